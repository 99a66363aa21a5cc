import type { AuditLog } from '@shenpi/audit';
import { DomainError, ErrorCode, type Clock, type Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './password.js';
import type { WriterQueue } from './writer-queue.js';

/**
 * Checks credentials and records every attempt, failed, refused or not, as a security entry.
 * Too many failures for a username or from an address are refused with 429 for a while.
 */
export class AuthenticationUseCase {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly database: Database,
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
    clock: Clock,
  ) {
    this.throttle = new LoginThrottle(clock);
  }

  async login(username: string, password: string, source: { ip?: string } = {}): Promise<Principal | null> {
    const reader = new Repositories(this.database.reader);
    const user = await reader.directory.userByUsername(username);
    const retryAfter = this.throttle.retryAfter(username, source.ip);
    const ok = retryAfter === 0 && (await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH));
    const result = retryAfter ? 'denied' : ok && user ? 'success' : 'failure';
    await this.writer.run((repos) =>
      this.audit.append(repos, {
        category: 'security',
        action: 'login',
        result,
        actor: { type: 'user', id: user?.id ?? 'anonymous', role: null, departmentId: null, onBehalfOf: null },
        details: { username, ...(source.ip ? { ip: source.ip } : {}), ...(retryAfter ? { reason: 'rate-limited', retryAfterSeconds: retryAfter } : {}) },
      }),
    );
    if (retryAfter) {
      throw new DomainError(ErrorCode.RATE_LIMITED, 'too many failed logins: try again later', { retryAfterSeconds: retryAfter });
    }
    if (ok && user) this.throttle.succeeded(username);
    else this.throttle.failed(username, source.ip);
    return ok && user ? ((await reader.directory.principal(user.id)) ?? null) : null;
  }

  /** The caller behind a token, with roles as they are now: a revoked role takes effect at once. */
  principal(userId: string): Promise<Principal | undefined> {
    return new Repositories(this.database.reader).directory.principal(userId);
  }
}
