import { AccessDenied, type Principal, type RoleGrant } from '@shenpi/domain';
import { actorIn, administratorOf, OPERATOR, requireGrantable, requireManages } from './organisation-authority.js';

const person = (id: string, grants: RoleGrant[]): Principal => ({ id, username: id, displayName: id, grants });
const global = person('root', [{ role: 'admin', departmentId: null }]);
const stiAdmin = person('sti-admin', [{ role: 'admin', departmentId: 'city-sti' }]);
const counsel = person('counsel', [{ role: 'legal-counsel', departmentId: 'city-sti' }]);
const twoDepartments = person('both', [{ role: 'drafter', departmentId: 'city-sti' }, { role: 'drafter', departmentId: 'city-justice' }]);
const supervisor = person('sup', [{ role: 'supervisor', departmentId: 'city-sti' }]);
const newcomer = person('new', []);

const refused = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AccessDenied ? err.code : 'other';
  }
  return 'allowed';
};

describe('who administers what', () => {
  it('only holders of admin administer: globally, or in the departments they hold it in', () => {
    expect(administratorOf(global, 'x').scope).toBe('all');
    expect(administratorOf(stiAdmin, 'x')).toMatchObject({ scope: ['city-sti'], actor: { id: 'sti-admin', role: 'admin', departmentId: 'city-sti' } });
    expect(refused(() => administratorOf(counsel, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => administratorOf(supervisor, 'x'))).toBe('FORBIDDEN');
  });

  it('a department administrator changes the users of their department alone, never an administrator or a supervisor, never themselves', () => {
    const a = administratorOf(stiAdmin, 'x');
    expect(refused(() => requireManages(a, counsel, 'x'))).toBe('allowed');
    expect(refused(() => requireManages(a, twoDepartments, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireManages(a, supervisor, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireManages(a, global, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireManages(a, stiAdmin, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireManages(a, newcomer, 'x'))).toBe('FORBIDDEN');
    const g = administratorOf(global, 'x');
    for (const target of [counsel, twoDepartments, supervisor, stiAdmin, newcomer]) expect(refused(() => requireManages(g, target, 'x'))).toBe('allowed');
    expect(refused(() => requireManages(g, global, 'x'))).toBe('FORBIDDEN');
    // The command line's operator has no account of their own.
    expect(refused(() => requireManages(OPERATOR, global, 'x'))).toBe('allowed');
  });

  it('a department administrator grants their department’s working roles, not admin or supervisor, not elsewhere', () => {
    const a = administratorOf(stiAdmin, 'x');
    for (const role of ['drafter', 'legal-counsel', 'party-secretary', 'leader', 'rule-of-law-office'] as const) {
      expect(refused(() => requireGrantable(a, { role, departmentId: 'city-sti' }, 'x'))).toBe('allowed');
      expect(refused(() => requireGrantable(a, { role, departmentId: 'city-justice' }, 'x'))).toBe('FORBIDDEN');
    }
    expect(refused(() => requireGrantable(a, { role: 'admin', departmentId: 'city-sti' }, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireGrantable(a, { role: 'admin', departmentId: null }, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireGrantable(a, { role: 'supervisor', departmentId: 'city-sti' }, 'x'))).toBe('FORBIDDEN');
    expect(refused(() => requireGrantable(administratorOf(global, 'x'), { role: 'admin', departmentId: null }, 'x'))).toBe('allowed');
  });

  it('a department administrator’s entries name the department they acted in', () => {
    const both = administratorOf(person('two', [{ role: 'admin', departmentId: 'city-justice' }, { role: 'admin', departmentId: 'city-sti' }]), 'x');
    expect(actorIn(both, 'city-sti').departmentId).toBe('city-sti');
    expect(actorIn(both, 'elsewhere').departmentId).toBe('city-justice');
    expect(actorIn(administratorOf(global, 'x'), 'city-sti').departmentId).toBeNull();
  });
});
