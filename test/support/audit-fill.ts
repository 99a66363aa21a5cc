import { canonicalOf, hashOf, type AuditEntry } from '@shenpi/audit';
import type { Engine } from '@shenpi/engine';

const PER_INSERT = 500;

/**
 * Appends `n` valid, hash-chained audit entries quickly (multi-row INSERTs in large transactions),
 * computed with the log's own canonical form and hash: test and bench data for verify, search and
 * export at scale. Entries rotate over departments, actions and categories like a busy deployment.
 */
export async function fillAudit(engine: Engine, n: number, opts: { departments?: string[]; start?: Date } = {}): Promise<void> {
  const departments = opts.departments ?? ['city-sti', 'dept-a', 'dept-b', 'dept-c', 'dept-d'];
  const actions = ['submit', 'approve', 'return', 'remind', 'login'];
  const start = (opts.start ?? new Date('2025-01-01T00:00:00Z')).getTime();
  let head = await engine.writer.run((r) => r.audit.head());
  for (let done = 0; done < n; ) {
    await engine.writer.run(async (r) => {
      for (let t = 0; t < 20 && done < n; t++) {
        const rows: unknown[][] = [];
        for (let k = 0; k < PER_INSERT && done < n; k++, done++) {
          const seq = head.seq + 1;
          const i = seq % 1000;
          const action = actions[seq % actions.length];
          const unsigned: Omit<AuditEntry, 'hash'> = {
            v: 1,
            seq,
            at: new Date(start + seq * 1000).toISOString(),
            category: action === 'login' ? 'security' : 'transition',
            action,
            result: 'success',
            actor: { type: 'user', id: `user-${i % 50}`, role: 'legal-counsel', departmentId: departments[seq % departments.length], onBehalfOf: null },
            departmentId: departments[seq % departments.length],
            documentId: `0191e4a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
            from: 'legal-review',
            to: 'party-group-review',
            details: { version: i, comment: `第${seq}号：请补充“存在的不足和原因”部分, "quoted", =SUM(A1)` },
            prevHash: head.hash,
          };
          const canonical = canonicalOf(unsigned);
          const hash = hashOf(head.hash, canonical);
          rows.push([seq, canonical, hash]);
          head = { seq, hash };
        }
        await r.sql.run(`INSERT INTO audit_entries (seq, canonical, hash) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`, rows.flat());
      }
      await r.sql.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [head.seq, head.hash]);
    });
  }
}
