import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Logins that end: every token carries its user's epoch, and the row loading the caller on each
 * request matches it, so bumping it (password, roles, disable, logout) refuses every earlier token.
 * A disabled user can neither log in nor use a token.
 */
export class TokenEpoch1764900000000 implements MigrationInterface {
  name = 'TokenEpoch1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users ADD COLUMN token_epoch INTEGER NOT NULL DEFAULT 0');
    await runner.query('ALTER TABLE users ADD COLUMN disabled_at TEXT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE users DROP COLUMN disabled_at');
    await runner.query('ALTER TABLE users DROP COLUMN token_epoch');
  }
}
