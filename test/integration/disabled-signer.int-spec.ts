import { systemActor, type Principal } from '@shenpi/domain';
import { Engine, OPERATOR } from '@shenpi/engine';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** A chain may name a person for a step; a person who left (their account disabled) never gets a new task. */
describe('a step that names a disabled user', () => {
  const database = testDatabase();
  let engine: Engine;
  let drafter: Principal;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    engine = await Engine.open({ database, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    for (const username of ['named-counsel', 'other-counsel']) {
      ids[username] = (await engine.directory.addUser({ username, password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
    }
    for (const username of ['named-counsel', 'other-counsel']) {
      const chain = JSON.parse(JSON.stringify(annualReportChain));
      chain.key = `named-${username}`;
      chain.uniquePerDepartmentAndYear = false;
      delete chain.steps[1].assignee;
      chain.steps[1].assignees = [{ userId: ids[username] }];
      chain.steps[1].signing = 'all';
      await engine.writer.run((r) => engine.chains.publish(r, chain, systemActor('test')));
    }
    drafter = (await engine.authentication.login('drafter', PASSWORD))!;
    ids.leader = (await engine.authentication.login('leader', PASSWORD))!.id;
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  const submitted = async (chain: string) => {
    const doc = await engine.createDocument.execute({ principal: drafter, chain, title: '报告', year: 2026, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const [task] = (await engine.documentReadModel.document(drafter, doc.id)).openTasks;
    const entry = (await engine.writer.run((r) => r.audit.forDocument(doc.id, 'transition'))).find((e) => e.action === 'submit')!;
    return { id: doc.id, task, rerouted: JSON.parse(entry.details).rerouted };
  };

  it("goes to the step's escalation target, says why, and tells its holders; an enabled named user keeps the seat", async () => {
    await engine.organisation.disableUser(OPERATOR, ids['named-counsel'], '调离');
    const enabled = await submitted('named-other-counsel');
    expect(enabled.task).toMatchObject({ assigneeUserId: ids['other-counsel'], assigneeRole: null });
    expect(enabled.rerouted).toBeUndefined();

    const left = await submitted('named-named-counsel');
    expect(left.task).toMatchObject({ assigneeRole: 'leader', assigneeUserId: null, departmentId: 'city-sti' });
    expect(left.rerouted).toEqual([
      { signer: 's0', from: { role: null, userId: ids['named-counsel'], departmentId: 'city-sti' }, to: { role: 'leader', departmentId: 'city-sti' }, excluded: [{ userId: ids['named-counsel'], rule: 'disabled' }] },
    ]);
    const told = (await engine.writer.run((r) => r.notifications.forUser(ids.leader, false, null, 50))).filter((n) => n.documentId === left.id && n.kind === 'task-rerouted');
    expect(told).toHaveLength(1);
    expect(told[0].message).toContain('账号已停用');
  });
});
