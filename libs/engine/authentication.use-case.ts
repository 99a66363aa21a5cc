import { sha256, type AuditLog } from '@shenpi/audit';
import { DomainError, ErrorCode, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import { Repositories, type Database } from '@shenpi/persistence';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_PASSWORD_HASH, hashPassword, passwordProblem, verifyPassword } from './password.js';
import type { Log } from './log.js';
import type { WriterQueue } from './writer-queue.js';

/** Principals kept between requests (a user's, while the directory does not change); past this many the map starts over. */
const MAX_KNOWN_PRINCIPALS = 10_000;

/** A user who logged in, with the token epoch their token must carry. */
export type Authenticated = Principal & { tokenEpoch: number };

/** The departments a user holds roles in, first (by id) first: the department a login entry belongs to. */
const departmentsOf = (p: Principal) => [...new Set(p.grants.map((g) => g.departmentId).filter((d): d is string => d !== null))].sort();

/**
 * Checks credentials and records every attempt, failed, refused or not, as a security entry. An
 * attempt on a known user's account belongs to the user's department, so its supervisors see it.
 * Too many failures from an address are refused with 429, the first refusal of each spell audited;
 * many on an account slow its attempts down (login-throttle.ts). A disabled user gets the same 401 as
 * a wrong password.
 */
export class AuthenticationUseCase {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly database: Database,
    private readonly writer: WriterQueue,
    private readonly audit: AuditLog,
    clock: Clock,
    private readonly log: Log,
    /** How a slowed attempt waits (real time; tests pass one that moves their clock instead). */
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.throttle = new LoginThrottle(clock);
  }

  /**
   * A password someone else set (an administrator's, or one the service generated for a new user)
   * lets its user in only to choose their own: 403 PASSWORD_CHANGE_REQUIRED, audited as a denied login.
   */
  async login(username: string, password: string, source: { ip?: string } = {}, changingPassword = false): Promise<Authenticated | null> {
    // Reserved before anything is awaited: parallel guesses count each other, so no more than the limit are checked.
    const attempt = this.throttle.reserve(username, source.ip);
    if (!attempt.ok && !attempt.first) {
      // The limit's spell was recorded when it began: repeats go to the application log, not the chained one,
      // the name typed by a digest (a password typed into the wrong field is never written).
      this.log.warn({ component: 'login', usernameSha256: sha256(username).slice(0, 16), ip: source.ip ?? null, limit: attempt.limit, retryAfterSeconds: attempt.retryAfterSeconds }, 'login refused: too many failures');
      throw new DomainError(ErrorCode.RATE_LIMITED, 'too many failed logins: try again later', { retryAfterSeconds: attempt.retryAfterSeconds });
    }
    // Many failures on the account: answered later, never refused (the owner gets in; guessing slows down).
    if (attempt.ok && attempt.delayMs) await this.wait(attempt.delayMs);
    const account = await new Repositories(this.database.reader).directory.account(username);
    // The dummy hash costs the same time as a real one: an unknown name is not told apart by the delay.
    const right = attempt.ok && (await verifyPassword(password, account?.passwordHash ?? DUMMY_PASSWORD_HASH));
    const ok = right && !!account && !account.disabled;
    if (ok && attempt.ok) attempt.succeeded();
    const mustChange = ok && attempt.ok && !changingPassword && !!(await new Repositories(this.database.reader).directory.accountState(account!.principal.id))?.passwordChangeRequired;
    const departmentIds = account ? departmentsOf(account.principal) : [];
    const departmentId = departmentIds[0] ?? null;
    await this.writer.run((repos) =>
      this.audit.append(repos, {
        category: 'security',
        action: 'login',
        result: !attempt.ok || mustChange ? 'denied' : ok ? 'success' : 'failure',
        actor: { type: 'user', id: account?.principal.id ?? 'anonymous', role: null, departmentId, onBehalfOf: null },
        departmentId,
        details: {
          username,
          ...(source.ip ? { ip: source.ip } : {}),
          ...(departmentIds.length ? { departmentIds } : {}),
          ...(!attempt.ok ? { reason: 'rate-limited', limit: attempt.limit, retryAfterSeconds: attempt.retryAfterSeconds } : {}),
          ...(attempt.ok && attempt.delayMs ? { slowedMs: attempt.delayMs } : {}),
          ...(right && account?.disabled ? { reason: 'disabled' } : {}),
          ...(mustChange ? { reason: 'password-change-required' } : {}),
        },
      }),
    );
    if (!attempt.ok) {
      throw new DomainError(ErrorCode.RATE_LIMITED, 'too many failed logins: try again later', { retryAfterSeconds: attempt.retryAfterSeconds });
    }
    if (mustChange) throw new DomainError(ErrorCode.PASSWORD_CHANGE_REQUIRED, 'this password was set for you: choose your own first (POST /api/auth/password)');
    return ok ? { ...account!.principal, tokenEpoch: account!.tokenEpoch } : null;
  }

  /**
   * The user replaces their password, proving the current one as a login does (throttled and
   * audited the same way); the new one is held to the policy. Every earlier session ends. Returns
   * the user as a login does, or null for wrong credentials.
   */
  async changePassword(username: string, password: string, newPassword: string, source: { ip?: string } = {}): Promise<Authenticated | null> {
    const problem = newPassword === password ? 'must differ from the current password' : passwordProblem(newPassword, username);
    if (problem) throw validationFailed([{ field: 'newPassword', reason: problem }]);
    const user = await this.login(username, password, source, true);
    if (!user) return null;
    const passwordHash = await hashPassword(newPassword);
    const departmentId = departmentsOf(user)[0] ?? null;
    const tokenEpoch = await this.writer.run(async (repos) => {
      await repos.directory.setOwnPassword(user.id, passwordHash);
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'change-password',
        actor: { type: 'user', id: user.id, role: null, departmentId, onBehalfOf: null },
        departmentId,
        details: { userId: user.id, username: user.username },
      });
      return (await repos.directory.account(user.username))!.tokenEpoch;
    });
    return { ...user, tokenEpoch };
  }

  /** Ends every session of the user: all their tokens carry the epoch this bumps. */
  async logout(principal: Principal): Promise<void> {
    const departmentId = departmentsOf(principal)[0] ?? null;
    await this.writer.run(async (repos) => {
      await repos.directory.endSessions(principal.id);
      await this.audit.append(repos, {
        category: 'security',
        action: 'logout',
        actor: { type: 'user', id: principal.id, role: null, departmentId, onBehalfOf: null },
        departmentId,
        details: { username: principal.username },
      });
    });
  }

  /**
   * The caller behind a token, with roles as they are now (a revoked role takes effect at once):
   * undefined when the token's epoch is no longer the user's (password or roles changed, disabled,
   * logged out). Every request reads it: one statement, the directory's version (which any change to
   * a user or a grant moves, in any process), and the principal itself only when it moved since this
   * user's was read. The version is read first: a change committed between the two reads leaves the
   * fresh principal kept under the older version, read again next time, never the reverse.
   */
  async principalForToken(userId: string, tokenEpoch: number): Promise<Principal | undefined> {
    const directory = new Repositories(this.database.reader).directory;
    const version = await directory.version();
    const known = this.principals.get(userId);
    if (known && known.version === version && known.tokenEpoch === tokenEpoch) return known.principal;
    const principal = await directory.activePrincipal(userId, tokenEpoch);
    if (!principal) return void this.principals.delete(userId);
    if (this.principals.size >= MAX_KNOWN_PRINCIPALS) this.principals.clear();
    // One object serves many requests: frozen, so no request can change another's caller.
    principal.grants.forEach((g) => Object.freeze(g));
    Object.freeze(principal.grants);
    this.principals.set(userId, { version, tokenEpoch, principal: Object.freeze(principal) });
    return principal;
  }

  /** Principals as last read, with the directory version and token epoch they were read at. */
  private readonly principals = new Map<string, { version: number; tokenEpoch: number; principal: Principal }>();

  /** A user and their roles as they are now, whether or not they may log in (tests, tools). */
  principal(userId: string): Promise<Principal | undefined> {
    return new Repositories(this.database.reader).directory.principal(userId);
  }
}
