import type { Principal, Role } from './roles.js';

/** Who performed an audited action: a user acting in a role, or the system (deadlines, start-up). */
export interface Actor {
  type: 'user' | 'system';
  id: string;
  role: Role | null;
  departmentId: string | null;
  onBehalfOf: string | null;
}

export const systemActor = (id = 'shenpi'): Actor => ({ type: 'system', id, role: null, departmentId: null, onBehalfOf: null });

/**
 * The principal a system actor acts as through the document kernel (deadline actions, handing on a
 * user's tasks): no grants, so it holds no seat and is never a candidate; with `system` set on the
 * command the kernel skips the caller's access checks but keeps separation of duties.
 */
export const systemPrincipal = (actor: Actor): Principal => ({ id: actor.id, username: actor.id, displayName: '系统 / System', grants: [] });
