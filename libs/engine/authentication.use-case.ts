import type { AuditLog } from '@shenpi/audit';
import type { Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password.js';
import type { WriterQueue } from './writer-queue.js';

/** Checks credentials and records every attempt, failed or not, as a security entry. */
export class AuthenticationUseCase {
  constructor(
    private readonly database: Database,
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
  ) {}

  async login(username: string, password: string, source: { ip?: string } = {}): Promise<Principal | null> {
    const reader = new Repositories(this.database.reader);
    const user = await reader.directory.userByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    await this.writer.run((repos) =>
      this.audit.append(repos, {
        category: 'security',
        action: 'login',
        result: ok && user ? 'success' : 'failure',
        actor: { type: 'user', id: user?.id ?? 'anonymous', role: null, departmentId: null, onBehalfOf: null },
        details: { username, ...(source.ip ? { ip: source.ip } : {}) },
      }),
    );
    return ok && user ? ((await reader.directory.principal(user.id)) ?? null) : null;
  }

  /** The caller behind a token, with roles as they are now: a revoked role takes effect at once. */
  principal(userId: string): Promise<Principal | undefined> {
    return new Repositories(this.database.reader).directory.principal(userId);
  }
}
