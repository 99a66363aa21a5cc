import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

interface Part {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
const older = (parts: Part[]) => parts.filter((p) => p.op !== 'insert').map((p) => p.text).join('');
const newer = (parts: Part[]) => parts.filter((p) => p.op !== 'delete').map((p) => p.text).join('');

/**
 * A document's text at each version: the reviewer who returned it compares the version they
 * returned with the one that came back, paragraph by paragraph and character by character.
 */
describe('document versions', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const revised = REPORT_OUTLINE.replace('审查行政规范性文件2件', '审查行政规范性文件5件') + '\n四、补充说明\n本年度新增执法监督检查3次。';
  let id: string;
  let returnedAt: number;
  let resubmittedAt: number;

  beforeAll(async () => {
    const drafter = await as('drafter');
    const counsel = await as('counsel');
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '2025年度报告（初稿）', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    id = created.body.id;
    await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' }).expect(200);
    const task = (await t.http().get(`/api/documents/${id}`).set(counsel)).body.openTasks[0].id;
    const returned = await t.http().post(`/api/tasks/${task}/decision`).set(counsel).send({ decision: 'return', comment: '数字有误' });
    returnedAt = returned.body.version;
    const edit = await t.http().patch(`/api/documents/${id}`).set(drafter).send({ title: '2025年度报告', content: revised, expectedVersion: returnedAt });
    expect([edit.status, edit.body.details]).toEqual([200, undefined]);
    resubmittedAt = (await t.http().post(`/api/documents/${id}/actions`).set(drafter).send({ action: 'submit' }).expect(200)).body.version;
  });

  it('serves the text at every version up to the present, with who wrote it and the edit before it', async () => {
    const counsel = await as('counsel');
    const drafterId = (await t.http().get('/api/me').set(await as('drafter'))).body.id;
    const first = (await t.http().get(`/api/documents/${id}/versions/1`).set(counsel)).body;
    expect(first).toMatchObject({ version: 1, title: '2025年度报告（初稿）', content: REPORT_OUTLINE, writtenAt: 1, previousVersion: null, by: drafterId, latestVersion: resubmittedAt });
    expect(first.people[drafterId]).toMatch(/起草/);
    // The version the counsel returned (a transition, not an edit) still reads the text of version 1.
    expect((await t.http().get(`/api/documents/${id}/versions/${returnedAt}`).set(counsel)).body).toMatchObject({ version: returnedAt, content: REPORT_OUTLINE, writtenAt: 1 });
    const latest = (await t.http().get(`/api/documents/${id}/versions/${resubmittedAt}`).set(counsel)).body;
    expect(latest).toMatchObject({ title: '2025年度报告', content: revised, writtenAt: resubmittedAt - 1, previousVersion: 1 });
    expect(latest.diff).toBeUndefined();
    // The timeline names the version each transition left: an edit's text, and the one before it, are a click away.
    const timeline = (await t.http().get(`/api/documents/${id}/timeline`).set(counsel)).body.transitions as { action: string; version: number }[];
    expect(timeline.map((x) => [x.action, x.version])).toEqual([['create', 1], ['submit', 2], ['return', returnedAt], ['edit', resubmittedAt - 1], ['submit', resubmittedAt]]);
  });

  it('redlines the version that came back against the one returned: paragraphs added whole, characters inside a changed one', async () => {
    const res = await t.http().get(`/api/documents/${id}/versions/${resubmittedAt}?diff=${returnedAt}`).set(await as('counsel')).expect(200);
    const { diff } = res.body as { diff: { against: number; title: Part[]; content: Part[] } };
    expect(diff.against).toBe(returnedAt);
    expect([older(diff.content), newer(diff.content)]).toEqual([REPORT_OUTLINE, revised]);
    expect([older(diff.title), newer(diff.title)]).toEqual(['2025年度报告（初稿）', '2025年度报告']);
    const changed = diff.content.filter((p) => p.op !== 'equal');
    // Inside the rewritten paragraph only the digit changed; the new section came as one insertion.
    expect(changed.slice(0, 2)).toEqual([{ op: 'delete', text: '2' }, { op: 'insert', text: '5' }]);
    expect(changed.slice(2).map((p) => p.op)).toEqual(['insert']);
    expect(changed[2]!.text).toContain('四、补充说明\n本年度新增执法监督检查3次。');
  });

  it('refuses versions that do not exist, bad numbers, and readers who may not see the document', async () => {
    const counsel = await as('counsel');
    const beyond = await t.http().get(`/api/documents/${id}/versions/${resubmittedAt + 1}`).set(counsel);
    expect([beyond.status, beyond.body.code]).toEqual([404, 'NOT_FOUND']);
    for (const v of ['0', 'abc', '1.5']) {
      const bad = await t.http().get(`/api/documents/${id}/versions/${v}`).set(counsel);
      expect([bad.status, bad.body.details?.[0]?.field]).toEqual([400, 'v']);
    }
    const badDiff = await t.http().get(`/api/documents/${id}/versions/1?diff=x`).set(counsel);
    expect([badDiff.status, badDiff.body.details?.[0]?.field]).toEqual([400, 'diff']);
    expect((await t.http().get(`/api/documents/${id}/versions/1?diff=${resubmittedAt + 5}`).set(counsel)).status).toBe(404);
    // The rule-of-law office does not see a department's draft under legal review; nor its versions.
    expect((await t.http().get(`/api/documents/${id}/versions/1`).set(await as('office'))).status).toBe(404);
    expect((await t.http().get(`/api/documents/${id}/versions/1`)).status).toBe(401);
  });

  it('serves a reader who came later (the rule-of-law office) the versions from the one it was given, not the drafts before', async () => {
    const drafter = await as('drafter');
    const doc = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: '报送前的草稿', year: 2023, departmentId: 'city-sti', content: REPORT_OUTLINE }).expect(201);
    const edited = (await t.http().patch(`/api/documents/${doc.body.id}`).set(drafter).send({ content: `${REPORT_OUTLINE}\n定稿。`, expectedVersion: 1 }).expect(200)).body.version as number;
    await t.http().post(`/api/documents/${doc.body.id}/actions`).set(drafter).send({ action: 'submit' }).expect(200);
    for (const [user, step] of [['counsel', 'legal-review'], ['secretary', 'party-group-review']] as const) {
      const task = (await t.http().get(`/api/documents/${doc.body.id}`).set(await as(user))).body.openTasks.find((x: { stepKey: string }) => x.stepKey === step).id;
      await t.http().post(`/api/tasks/${task}/decision`).set(await as(user)).send({ decision: 'approve' }).expect(200);
    }
    const office = await as('office');
    const submitted = (await t.http().get(`/api/documents/${doc.body.id}`).set(office).expect(200)).body.version as number;
    // What it was sent (the text of the last edit) it reads, at any version since; the drafts before, not.
    expect((await t.http().get(`/api/documents/${doc.body.id}/versions/${submitted}`).set(office).expect(200)).body).toMatchObject({ content: `${REPORT_OUTLINE}\n定稿。`, writtenAt: edited });
    for (const v of [1, edited]) expect((await t.http().get(`/api/documents/${doc.body.id}/versions/${v}`).set(office)).status).toBe(404);
    expect((await t.http().get(`/api/documents/${doc.body.id}/versions/${submitted}?diff=1`).set(office)).status).toBe(404);
    // Its own department's reviewers read every version.
    expect((await t.http().get(`/api/documents/${doc.body.id}/versions/1`).set(await as('counsel'))).body.content).toBe(REPORT_OUTLINE);
  });

  it('keeps no text for an edit that did not commit', async () => {
    const drafter = await as('drafter');
    const counsel = await as('counsel');
    const task = (await t.http().get(`/api/documents/${id}`).set(counsel)).body.openTasks[0].id;
    const back = (await t.http().post(`/api/tasks/${task}/decision`).set(counsel).send({ decision: 'return', comment: '再改' }).expect(200)).body.version as number;
    const postgres = t.engine.database.kind === 'postgres';
    await t.engine.writer.run(async (r) => {
      if (postgres) {
        await r.sql.run(`CREATE FUNCTION refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
        await r.sql.run(`CREATE TRIGGER refuse_edit BEFORE INSERT ON audit_intake FOR EACH ROW WHEN (NEW.action = 'edit') EXECUTE FUNCTION refuse_edit()`);
      } else {
        await r.sql.run(`CREATE TRIGGER refuse_edit BEFORE INSERT ON audit_entries WHEN NEW.action = 'edit' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      }
    });
    try {
      // Straight to the engine: over HTTP this is a 500, which no route's contract lists.
      const principal = (await t.engine.authentication.login('drafter', PASSWORD))!;
      await expect(t.engine.transition.execute({ documentId: id, action: 'edit', principal, expectedVersion: back, edit: { content: '不应留下的文字' } })).rejects.toThrow(/injected failure/);
    } finally {
      await t.engine.writer.run(async (r) => {
        await r.sql.run('DROP TRIGGER refuse_edit' + (postgres ? ' ON audit_intake' : ''));
        if (postgres) await r.sql.run('DROP FUNCTION refuse_edit');
      });
    }
    const rows = await t.engine.database.reader.all<{ content: string }>('SELECT content FROM document_contents WHERE document_id = ? ORDER BY version', [id]);
    expect(rows.map((r) => r.content)).toEqual([REPORT_OUTLINE, revised]);
    expect((await t.http().get(`/api/documents/${id}/versions/${back}`).set(counsel)).body.content).toBe(revised);
    // The next edit that commits is kept.
    const edited = (await t.http().patch(`/api/documents/${id}`).set(drafter).send({ content: `${revised}\n五、附记`, expectedVersion: back }).expect(200)).body.version as number;
    expect((await t.http().get(`/api/documents/${id}/versions/${edited}?diff=${back}`).set(counsel)).body.diff.content.filter((p: Part) => p.op !== 'equal')).toEqual([{ op: 'insert', text: '\n五、附记' }]);
  });
});
