import type { TestApp } from './test-app.js';

/** Authorization headers for a user (each suite logs in its own way). */
export type As = (user: string) => Promise<Record<string, string>>;

export interface HistoryItem {
  action: string;
  from: string | null;
  to: string;
  comment: string | null;
  actor: { id: string; role: string | null };
  details: Record<string, unknown>;
}

/** What the e2e suites do again and again over HTTP: submit, read, find one's task, decide. */
export function reviewers(t: TestApp, as: As) {
  const doc = async (id: string, user = 'drafter') => {
    const res = await t.http().get(`/api/documents/${id}`).set(await as(user));
    expect(res.status).toBe(200);
    return res.body;
  };
  async function submit(id: string, user = 'drafter') {
    const res = await t.http().post(`/api/documents/${id}/actions`).set(await as(user)).send({ action: 'submit' });
    expect(res.status).toBe(200);
    return res.body;
  }
  /** The open task of one user on the document (from their own inbox), or undefined. */
  async function taskOf(user: string, docId: string): Promise<string | undefined> {
    const inbox = await t.http().get('/api/tasks').set(await as(user));
    expect(inbox.status).toBe(200);
    const mine = inbox.body.items.filter((x: { documentId: string }) => x.documentId === docId);
    expect(mine.length).toBeLessThanOrEqual(1);
    return mine[0]?.id;
  }
  const postDecision = async (user: string, taskId: string, body: object) => t.http().post(`/api/tasks/${taskId}/decision`).set(await as(user)).send(body);
  /** The user decides their open task on the document; answers with the document. */
  async function decide(user: string, docId: string, decision: string, extra: object = {}) {
    const task = await taskOf(user, docId);
    expect(task).toBeDefined();
    const res = await postDecision(user, task!, { decision, ...extra });
    expect(res.status).toBe(200);
    return res.body;
  }
  const history = async (id: string, user = 'drafter'): Promise<HistoryItem[]> => (await t.http().get(`/api/documents/${id}/history`).set(await as(user))).body.items;
  return { doc, submit, taskOf, postDecision, decide, history };
}
