import { bearer, useApp } from '../support/test-app.js';

describe('GET /api/departments', () => {
  const t = useApp();

  it('names every department, with the office it reports to, for any signed-in user', async () => {
    await t.engine.directory.addDepartment({ id: 'city-justice', name: '市司法局 / City justice bureau', officeId: 'rule-of-law-office' });
    for (const user of ['drafter', 'counsel', 'supervisor']) {
      const res = await t.http().get('/api/departments').set(bearer(await t.token(user)));
      expect(res.status).toBe(200);
      expect(res.body.items.map((d: { id: string }) => d.id)).toEqual(['city-justice', 'city-sti', 'rule-of-law-office']);
      expect(res.body.items[0]).toEqual({ id: 'city-justice', name: '市司法局 / City justice bureau', officeId: 'rule-of-law-office', issuerCode: null });
    }
  });

  it('refuses an anonymous caller', async () => {
    const res = await t.http().get('/api/departments');
    expect(res.status).toBe(401);
  });
});
