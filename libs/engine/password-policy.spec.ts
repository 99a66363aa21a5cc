import { COMMON_PASSWORDS } from './common-passwords.js';
import { passwordProblem } from './password-policy.js';

describe('the password policy', () => {
  it('refuses fewer than 12 characters, counting characters rather than bytes', () => {
    expect(passwordProblem('x', 'counsel')).toBe('must be at least 12 characters long (this one has 1)');
    expect(passwordProblem('Kx9#mQ2$vL4', 'counsel')).toMatch(/at least 12/);
    expect(passwordProblem('Kx9#mQ2$vL4!', 'counsel')).toBeNull();
    expect(passwordProblem('审批链口令绝不外传给别人', 'counsel')).toBeNull();
    expect(passwordProblem('审批链口令', 'counsel')).toMatch(/at least 12/);
    expect(passwordProblem('k'.repeat(100) + 'x'.repeat(157), 'counsel')).toMatch(/at most 256/);
  });

  it('refuses the username, and any password containing it, in any case', () => {
    expect(passwordProblem('legal-counsel', 'legal-counsel')).toBe('must not be the username');
    expect(passwordProblem('LEGAL-COUNSEL', 'legal-counsel')).toBe('must not be the username');
    expect(passwordProblem('my-Counsel-2026-pw', 'counsel')).toBe('must not contain the username');
    expect(passwordProblem('my-cousel-2026-pw', 'counsel')).toBeNull();
  });

  it('refuses common passwords, also behind digits and symbols, and short patterns repeated', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    expect(passwordProblem('qwertyuiop123', 'counsel')).toMatch(/too common/);
    expect(passwordProblem('Password2026!', 'counsel')).toMatch(/too common/);
    expect(passwordProblem('2026!!Welcome??', 'counsel')).toMatch(/too common/);
    expect(passwordProblem('woaini1314520', 'counsel')).toMatch(/too common/);
    expect(passwordProblem('123456789012', 'counsel')).toMatch(/too common/);
    expect(passwordProblem('abcabcabcabc', 'counsel')).toMatch(/one short pattern repeated/);
    expect(passwordProblem('correct horse battery', 'counsel')).toBeNull();
  });
});
