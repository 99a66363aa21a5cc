import { useApp, PASSWORD } from '../support/test-app.js';

/** Password guessing is slowed: after 10 failures for a username within 15 minutes, 429 until the window passes. */
describe('login throttling', () => {
  const t = useApp();
  const login = (username: string, password: string) => t.http().post('/api/auth/login').send({ username, password });

  it('refuses the 11th attempt within the window with 429 and Retry-After, audited; the window passing lets the user in', async () => {
    for (let i = 0; i < 10; i++) expect((await login('counsel', `wrong-${i}`)).status).toBe(401);
    const refused = await login('counsel', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 900 } });
    expect(refused.headers['retry-after']).toBe('900');
    // Other users are not locked out by someone guessing counsel's password.
    expect((await login('secretary', PASSWORD)).status).toBe(200);
    const admin = (await login('admin', PASSWORD)).body.accessToken;
    const entries = (await t.http().get('/api/audit?category=security&action=login&limit=20').set({ Authorization: `Bearer ${admin}` })).body.items;
    expect(entries.filter((e: { details: { username: string } }) => e.details.username === 'counsel').map((e: { result: string }) => e.result)).toEqual(['denied', ...Array(10).fill('failure')]);
    t.clock.set(new Date(t.clock.now().getTime() + 15 * 60_000 + 1000));
    expect((await login('counsel', PASSWORD)).status).toBe(200);
  });
});
