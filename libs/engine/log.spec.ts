import BetterSqlite3 from 'better-sqlite3';
import { SqliteSql } from '@shenpi/persistence';
import { failure } from './log.js';

describe('failure: how an error is logged', () => {
  it('names a failed statement by class, message and the driver\'s code, never its parameters', async () => {
    const sql = new SqliteSql(new BetterSqlite3(':memory:'));
    await sql.run('CREATE TABLE t (id TEXT PRIMARY KEY)');
    await sql.run('INSERT INTO t (id) VALUES (?)', ['机密标题']);
    const err = await sql.run('INSERT INTO t (id) VALUES (?)', ['机密标题']).catch((e: unknown) => e);
    const logged = failure(err);
    expect(logged).toEqual({ error: { type: 'QueryFailedError', message: expect.stringContaining('UNIQUE constraint failed'), code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
    expect(JSON.stringify(logged)).not.toContain('机密标题');
  });

  it('keeps an error\'s own code (a socket\'s) and reads anything thrown that is not an Error as text', () => {
    expect(failure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toEqual({
      error: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' },
    });
    expect(failure('gone')).toEqual({ error: { type: 'string', message: 'gone' } });
  });
});
