import type { Role } from './roles.js';

/** Who performed an audited action: a user acting in a role, or the system (deadlines, start-up). */
export interface Actor {
  type: 'user' | 'system';
  id: string;
  role: Role | null;
  departmentId: string | null;
  onBehalfOf: string | null;
}

export const systemActor = (id = 'shenpi'): Actor => ({ type: 'system', id, role: null, departmentId: null, onBehalfOf: null });
