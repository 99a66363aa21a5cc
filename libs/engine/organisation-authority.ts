import { AccessDenied, ErrorCode, isGlobalAdmin, systemActor, type Actor, type Principal, type Role, type RoleGrant } from '@shenpi/domain';

/**
 * Who changes the organisation, and how far their authority reaches: a global administrator (or the
 * command line's operator) everywhere; a department administrator (`admin` held in a department)
 * within that department only.
 */
export interface Administrator {
  /** The audit entry's actor. */
  actor: Actor;
  /** The departments administered; 'all' for a global administrator and the operator. */
  scope: 'all' | readonly string[];
  /** The signed-in caller; absent for the command line, which has no account. */
  principal?: Principal;
}

/** The command line: whoever has the server's shell already has the database. */
export const OPERATOR: Administrator = { actor: systemActor('cli'), scope: 'all' };

/**
 * Roles only a global administrator grants or takes away: administrators are appointed from above,
 * and supervisors oversee a department, so the department never chooses its own overseers.
 */
const GLOBAL_ONLY_ROLES: readonly Role[] = ['admin', 'supervisor'];

const denied = (message: string, action: string, departmentId: string | null = null) => new AccessDenied(ErrorCode.FORBIDDEN, message, { action, departmentId });

/** The caller as an administrator; anyone else is refused (403). */
export function administratorOf(p: Principal, action: string): Administrator {
  const actor = (departmentId: string | null): Actor => ({ type: 'user', id: p.id, role: 'admin', departmentId, onBehalfOf: null });
  if (isGlobalAdmin(p)) return { actor: actor(null), scope: 'all', principal: p };
  const scope = [...new Set(p.grants.filter((g) => g.role === 'admin' && g.departmentId).map((g) => g.departmentId!))].sort();
  if (!scope.length) throw denied('only administrators change the organisation', action);
  return { actor: actor(scope[0]), scope, principal: p };
}

export const isGlobal = (a: Administrator) => a.scope === 'all';

/** The audit actor for a change in `departmentId`: a department administrator acts as the administrator of that department. */
export const actorIn = (a: Administrator, departmentId: string | null): Actor =>
  a.actor.type === 'user' && !isGlobal(a) && departmentId && a.scope.includes(departmentId) ? { ...a.actor, departmentId } : a.actor;

/** What only a global administrator does (departments, supervision, administrators). */
export function requireGlobal(a: Administrator, action: string, what: string, departmentId: string | null = null): void {
  if (!isGlobal(a)) throw denied(`only a global administrator ${what}`, action, departmentId);
}

export function requireDepartment(a: Administrator, departmentId: string, action: string): void {
  if (a.scope !== 'all' && !a.scope.includes(departmentId)) throw denied(`you administer ${a.scope.join(', ')}, not ${departmentId}`, action, departmentId);
}

/**
 * A user the administrator may change. Nobody changes their own account here (another administrator
 * does: no one grants themselves a role or lifts their own disabling). A department administrator
 * changes only users who belong to their department alone and hold neither `admin` nor `supervisor`
 * (the people they appoint and the people who oversee them are not theirs to change).
 */
export function requireManages(a: Administrator, target: Principal, action: string): void {
  const departmentId = homeDepartment(target);
  if (a.principal?.id === target.id) throw denied('your own account is changed by another administrator', action, departmentId);
  if (isGlobal(a)) return;
  const scope = a.scope as readonly string[];
  const theirs = target.grants.length > 0 && target.grants.every((g) => g.departmentId !== null && scope.includes(g.departmentId) && !GLOBAL_ONLY_ROLES.includes(g.role));
  if (!theirs) throw denied(`${target.username} is not a user of ${scope.join(', ')} alone, or is an administrator or supervisor: a global administrator changes them`, action, departmentId);
}

/** A role a department administrator may grant or take away: their department's working roles, never admin or supervisor, never elsewhere. */
export function requireGrantable(a: Administrator, grant: RoleGrant, action: string): void {
  if (isGlobal(a)) return;
  if (grant.departmentId === null || GLOBAL_ONLY_ROLES.includes(grant.role)) {
    throw denied(`only a global administrator grants or takes away ${grant.role}${grant.departmentId ? '' : ' globally'}`, action, grant.departmentId);
  }
  requireDepartment(a, grant.departmentId, action);
}

/** The department a user's entries belong to (so its supervisors see them): the first they hold a role in. */
export function homeDepartment(p: Principal): string | null {
  return p.grants.map((g) => g.departmentId).filter((d): d is string => d !== null).sort()[0] ?? null;
}
