import { systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { testDatabase, testPlanner } from '../support/test-app.js';

/**
 * Versions published before names were required (a step, field, section or milestone without its name
 * passed the lint then) still load after the upgrade: read on every change and view of their documents.
 */
describe('a stored chain version published without some names', () => {
  const database = testDatabase();
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.open({ database, planner: testPlanner });
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('loads, each nameless part named by its key; a definition published now must still name them', async () => {
    const definition = JSON.parse(JSON.stringify(annualReportChain));
    definition.key = 'nameless-steps';
    delete definition.steps[1].name;
    delete definition.milestones?.[0]?.name;
    // As an older service stored it: the row written as publish writes it, without today's lint.
    await engine.writer.run((repos) =>
      repos.chains.insert({ chainKey: definition.key, version: 1, name: annualReportChain.name.zh, definition, compilerVersion: 1, createdBy: 'test', createdAt: new Date().toISOString() }),
    );
    const chain = await engine.writer.run((repos) => engine.chains.get(repos, definition.key, 1));
    const step = chain.definition.steps[1];
    expect(step.name).toEqual({ zh: step.key, en: step.key });
    if (definition.milestones?.length) expect(chain.definition.milestones![0].name).toEqual({ zh: definition.milestones[0].key, en: definition.milestones[0].key });
    expect(chain.definition.steps[0].name).toEqual(annualReportChain.steps[0].name);

    // Publishing such a definition today is refused, naming the field.
    await expect(engine.writer.run((repos) => engine.chains.publish(repos, { ...definition, key: 'nameless-now' }, systemActor('test')))).rejects.toMatchObject({
      details: expect.arrayContaining([expect.objectContaining({ field: 'steps[1].name', reason: 'name is required' })]),
    });
  });
});
