import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents per batch: memory stays flat however many there are. */
const BATCH = 500;

/**
 * Separation of duties reads two things from a document's attributes that documents written before
 * it do not carry: `contributors` (its author and everyone who edited it, from the audit log) and
 * `roundBase` (the round each step had when the document last returned to its first step, from its
 * tasks and transitions). Without them the author alone would count as a contributor, and an editor
 * could decide the review of what they wrote.
 */
export class SeparationOfDutiesState1764800000000 implements MigrationInterface {
  name = 'SeparationOfDutiesState1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    const pg = runner.connection.driver.options.type === 'postgres';
    const at = (i: number) => (pg ? `$${i}` : '?');
    for (let after = ''; ; ) {
      const docs: { id: string; created_by: string; attributes: string; chain_key: string; chain_version: number }[] = await runner.query(
        `SELECT id, created_by, attributes, chain_key, chain_version FROM documents WHERE id > ${at(1)} ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (!docs.length) return;
      for (const doc of docs) {
        const attributes = JSON.parse(doc.attributes) as Record<string, unknown>;
        if (attributes.contributors) continue;
        const edits: { actor_id: string }[] = await runner.query(
          `SELECT DISTINCT actor_id FROM audit_entries WHERE document_id = ${at(1)} AND category = 'transition' AND action IN ('edit', 'attach') AND actor_type = 'user'`,
          [doc.id],
        );
        attributes.contributors = [...new Set([doc.created_by, ...edits.map((e) => e.actor_id)])];
        attributes.roundBase = await roundBase(runner, at, doc);
        await runner.query(`UPDATE documents SET attributes = ${at(1)} WHERE id = ${at(2)}`, [JSON.stringify(attributes), doc.id]);
      }
      after = docs[docs.length - 1].id;
    }
  }

  async down(): Promise<void> {
    // The attributes added are read only by separation of duties; older code ignores them.
  }
}

/** The rounds of the tasks opened before the document last came back to its chain's first step. */
async function roundBase(runner: QueryRunner, at: (i: number) => string, doc: { id: string; chain_key: string; chain_version: number }): Promise<Record<string, number>> {
  const [chain]: { definition: string }[] = await runner.query(`SELECT definition FROM chain_versions WHERE chain_key = ${at(1)} AND version = ${at(2)}`, [
    doc.chain_key,
    doc.chain_version,
  ]);
  const initial = chain ? (JSON.parse(chain.definition) as { initial: string }).initial : null;
  const [back]: { at: string }[] = initial
    ? await runner.query(
        `SELECT at FROM audit_entries WHERE document_id = ${at(1)} AND category = 'transition' AND to_state = ${at(2)} AND from_state IS NOT NULL AND from_state <> ${at(3)} ORDER BY seq DESC LIMIT 1`,
        [doc.id, initial, initial],
      )
    : [];
  if (!back) return {};
  const rows: { step_key: string; round: number }[] = await runner.query(
    `SELECT step_key, MAX(round) AS round FROM tasks WHERE document_id = ${at(1)} AND created_at < ${at(2)} GROUP BY step_key`,
    [doc.id, back.at],
  );
  return Object.fromEntries(rows.map((r) => [r.step_key, Number(r.round)]));
}
