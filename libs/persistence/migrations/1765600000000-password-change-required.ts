import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password an administrator set (or the service generated for them) is known to someone else than
 * the user: such an account logs in only to choose its own (POST /api/auth/password).
 */
export class PasswordChangeRequired1765600000000 implements MigrationInterface {
  name = 'PasswordChangeRequired1765600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users DROP COLUMN password_change_required');
  }
}
