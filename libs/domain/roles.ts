export const ROLES = [
  'drafter',
  'legal-counsel',
  'party-secretary',
  'leader',
  'rule-of-law-office',
  'supervisor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

/** A role held in a department; `departmentId` null means held globally (admin only). */
export interface RoleGrant {
  role: Role;
  departmentId: string | null;
}

/** The authenticated caller, with roles read from the database on each request. */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  grants: RoleGrant[];
}

export const holdsRole = (p: Principal, role: Role, departmentId: string | null): boolean =>
  p.grants.some((g) => g.role === role && (g.departmentId === departmentId || (g.departmentId === null && role === 'admin')));

export const isGlobalAdmin = (p: Principal): boolean => p.grants.some((g) => g.role === 'admin' && g.departmentId === null);

/** A department's id, its code in the API (`city-sti`): kebab-case, 2 to 64 characters. */
export const DEPARTMENT_ID = /^(?=.{2,64}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A username: letters, digits and `_ . -`, 2 to 64 characters. */
export const USERNAME = /^[a-zA-Z0-9_.-]{2,64}$/;
