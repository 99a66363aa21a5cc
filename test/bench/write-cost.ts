import { openSync, readSync, closeSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { sqlStatements } from '@shenpi/persistence';

/**
 * What decisions cost besides time, per decision over one run: SQL statements (every connection,
 * transaction control included), CPU of the process that runs the engine, and the write-ahead log
 * they produce. The bench prints these beside the throughput, so a change's effect on the bytes
 * and round trips is measured in the same run as its effect on the rate.
 */
export interface PerDecision {
  statements: number;
  cpuMicros: number;
}

/** Statements and CPU of this process from now until `per(decisions)`. */
export function meter(): { per(decisions: number): PerDecision } {
  const statements = sqlStatements.count;
  const cpu = process.cpuUsage();
  return {
    per(decisions) {
      const used = process.cpuUsage(cpu);
      return { statements: (sqlStatements.count - statements) / decisions, cpuMicros: (used.user + used.system) / decisions };
    },
  };
}

/**
 * The WAL frames SQLite has appended so far and how many of them a checkpoint has copied back: the
 * wal-index header's mxFrame (offset 16 of the -shm file) and the checkpoint info's nBackfill (offset
 * 96, after the header's two copies), native byte order.
 */
function walIndex(path: string): { frames: number; backfilled: number } {
  const fd = openSync(`${path}-shm`, 'r');
  try {
    const index = Buffer.alloc(100);
    readSync(fd, index, 0, 100, 0);
    return { frames: index.readUInt32LE(16), backfilled: index.readUInt32LE(96) };
  } finally {
    closeSync(fd);
  }
}

const walFrames = (path: string) => walIndex(path).frames;

export interface WalMeter {
  /**
   * Pages (frames) appended to the WAL since the meter started, their bytes (page + 24-byte frame
   * header), and the frames by the table or index (B-tree) their page belongs to now.
   */
  read(): { pages: number; bytes: number; byTree: Map<string, number> };
  release(): void;
}

/**
 * SQLite: holds a read snapshot on the file so that no checkpoint restarts the WAL (a restart
 * needs every reader past the frames it overwrites); frames appended meanwhile are then the
 * growth of mxFrame. The held snapshot is what "checkpointer off" means: use it for a run of its
 * own, since a WAL that only grows slows the run a little.
 */
export function holdSqliteWal(path: string): WalMeter {
  const db = new Sqlite(path, { readonly: true });
  // A snapshot begun when every frame was already copied back reads the database file alone, and
  // does not stop the writer from restarting the log (the count would then start again from 0):
  // begin it while the log holds a frame not yet copied, made by a write of the meter's own.
  for (let attempt = 0; ; attempt++) {
    db.prepare('BEGIN').run();
    db.prepare('SELECT seq FROM audit_head').get();
    const { frames, backfilled } = walIndex(path);
    if (frames > backfilled) break;
    db.prepare('COMMIT').run();
    if (attempt === 20) throw new Error('the WAL meter found no frame left to hold the log open with');
    const writer = new Sqlite(path);
    try {
      writer.exec('CREATE TABLE IF NOT EXISTS bench_wal_meter (at TEXT); INSERT INTO bench_wal_meter VALUES (CURRENT_TIMESTAMP)');
    } finally {
      writer.close();
    }
  }
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const start = walFrames(path);
  return {
    read: () => {
      const end = walFrames(path);
      const pages = end - start;
      return { pages, bytes: pages * (pageSize + 24), byTree: framesByTree(path, pageSize, start, end) };
    },
    release: () => {
      db.prepare('COMMIT').run();
      db.close();
    },
  };
}

/**
 * Where the frames in (start, end] of the WAL went: each frame header names its page (WAL format:
 * a 32-byte file header, then per frame 24 bytes whose first 4 are the page number, big-endian,
 * and the page), and dbstat names the B-tree a page belongs to. Pages freed or on the freelist
 * count as "(free or other)".
 */
function framesByTree(path: string, pageSize: number, start: number, end: number): Map<string, number> {
  const db = new Sqlite(path, { readonly: true });
  const owner = new Map<number, string>();
  try {
    for (const { name, pageno } of db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) owner.set(pageno, name);
  } finally {
    db.close();
  }
  const counts = new Map<string, number>();
  const fd = openSync(`${path}-wal`, 'r');
  try {
    const header = Buffer.alloc(4);
    for (let frame = start + 1; frame <= end; frame++) {
      readSync(fd, header, 0, 4, 32 + (frame - 1) * (pageSize + 24));
      const name = owner.get(header.readUInt32BE(0)) ?? '(free or other)';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  } finally {
    closeSync(fd);
  }
  return counts;
}

/** PostgreSQL: WAL bytes the server wrote from now on (every database of the cluster: the bench is alone on it). */
export async function postgresWal(url: string): Promise<{ read(): Promise<number>; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const start = (await client.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn as string;
  return {
    read: async () => Number((await client.query('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS bytes', [start])).rows[0].bytes),
    release: () => client.end(),
  };
}
