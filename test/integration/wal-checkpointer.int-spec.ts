import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, CHECKPOINT_EVERY_MS, Database, WalCheckpointer } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

/**
 * SQLite only: the write-ahead log is copied back into the database file by the checkpointer
 * thread, not inside the writer's commits (whose own threshold is a backstop far above what this
 * test writes), and the log is started over instead of growing.
 */
const sqliteOnly = process.env.TEST_DATABASE_URL ? describe.skip : describe;

sqliteOnly('WAL checkpointer thread', () => {
  const config = testDatabase();
  const PAGE = 4096;
  const BLOB = 64 * PAGE;
  const TRANSACTIONS = 40;

  afterAll(() => config.drop());

  it('checkpoints committed pages into the database file while the writer keeps committing', async () => {
    const written = TRANSACTIONS * BLOB;
    // Far below the writer's own threshold: only the thread can have moved these pages.
    expect(written / PAGE).toBeLessThan(BACKSTOP_AUTOCHECKPOINT_PAGES / 2);
    let db = await Database.open(config);
    try {
      const untilGrown = async (from: number, by: number) => {
        const deadline = Date.now() + 10_000;
        while (statSync(config.sqlitePath).size - from < by && Date.now() < deadline) await sleep(50);
        return statSync(config.sqlitePath).size - from;
      };
      await db.transaction((sql) => sql.run('CREATE TABLE scratch (id INTEGER PRIMARY KEY, data BLOB NOT NULL)'));
      // The thread is running once a first blob reaches the database file.
      let sizeBefore = statSync(config.sqlitePath).size;
      await db.transaction((sql) => sql.run('INSERT INTO scratch (id, data) VALUES (?, randomblob(?))', [-1, BLOB]));
      expect(await untilGrown(sizeBefore, BLOB)).toBeGreaterThanOrEqual(BLOB);
      sizeBefore = statSync(config.sqlitePath).size;
      for (let i = 0; i < TRANSACTIONS; i++) {
        await db.transaction((sql) => sql.run('INSERT INTO scratch (id, data) VALUES (?, randomblob(?))', [i, BLOB]));
        await sleep(25);
      }
      expect(await untilGrown(sizeBefore, written)).toBeGreaterThanOrEqual(written);
      // Once the thread has copied everything, the next commit starts the log over from its
      // beginning: the file does not grow.
      await sleep(3 * CHECKPOINT_EVERY_MS);
      const walSize = statSync(`${config.sqlitePath}-wal`).size;
      expect(walSize).toBeGreaterThan(2 * BLOB);
      await db.transaction((sql) => sql.run('INSERT INTO scratch (id, data) VALUES (?, randomblob(?))', [-2, BLOB]));
      expect(statSync(`${config.sqlitePath}-wal`).size).toBe(walSize);
      expect(await db.reader.one<{ n: number; bytes: number }>('SELECT COUNT(*) AS n, SUM(length(data)) AS bytes FROM scratch WHERE id >= 0')).toEqual({ n: TRANSACTIONS, bytes: written });
    } finally {
      await db.close();
    }
    // Closing stops the thread and leaves every committed row in place.
    db = await Database.open(config);
    try {
      expect(await db.reader.one<{ n: number }>('SELECT COUNT(*) AS n FROM scratch WHERE id >= 0')).toEqual({ n: TRANSACTIONS });
    } finally {
      await db.close();
    }
  });

  it('stops at once when its thread has already died (the database closes, nothing hangs)', async () => {
    const checkpointer = WalCheckpointer.start(join(tmpdir(), 'no-such-folder-for-shenpi', 'x.sqlite'));
    // The thread fails to open the file and exits; give it the time to.
    await sleep(500);
    await expect(checkpointer.stop()).resolves.toBeUndefined();
  });
});
