import fc from 'fast-check';
import { compileChain, currentSigners, declaredSigners, lintChainDefinition, type AssigneeRef, type ChainEvent, type ChainPosition, type CompiledChain, type Signer } from '@shenpi/chains';
import { holdsRole, type Principal, type Role } from '@shenpi/domain';
import { normativeDocumentChain } from '../../workflows/normative-document/normative-document.chain.js';
import { recordFigure, useRelApp, type RelApp } from './rel-support.js';
import { size } from './size.js';

/**
 * Model-based test (fast-check commands) of the review chain over the real HTTP API: random
 * sequences of actions by random users, the permitted ones and the ones that must be refused.
 *
 * The model is the compiled chain (libs/chains) plus who holds which role plus separation of duties
 * (不相容职务分离): for each command it predicts accepted (2xx) or refused (4xx) and, when accepted,
 * the document's next position (`chain.next`, countersign progress included), version, open task
 * (its step, round, signer, role or user, and whom it was delegated from) and the record separation
 * of duties reads. Per document the model keeps the contributors (the creator and everyone whose
 * PATCH was accepted), every decided task with its step, step round, decider and onBehalfOf, and the
 * review round's base (the steps' rounds when the document last returned to its first step). From
 * them it predicts, as the engine's `judge` does, the refusals 403 SEPARATION_OF_DUTIES with their
 * `details.rule` and `details.userId` (author-decides, second-vote-in-step, second-step-in-round,
 * supervisor-decides): of a decision, of a delegation or 加签 by a caller who may not decide the task
 * (the caller and the task's delegatedFrom judged together), and of a delegation or 加签 to someone
 * who may not; withdraw after a decision in the review round is 409 ALREADY_DECIDED; and where a
 * seat goes when it opens (staffing): to the role when one of its holders may decide it, else to the
 * step's escalation target or the department's leader (rerouted), else it stays where it was.
 *
 * After every command: the answer matches the prediction (a refusal the model explains by
 * separation of duties or ALREADY_DECIDED must have that status, code, rule and user, and no other
 * refusal may carry those codes); an accepted action wrote exactly one audit entry for its document
 * (and no security entry) and left the stored document, its open task, its decided tasks,
 * `attributes.contributors` and `attributes.roundBase` as the model says; a refusal changed no row
 * of the document or its tasks and wrote one `security` entry exactly when it was 403/404
 * (AccessDenied, SEPARATION_OF_DUTIES included), none for 400/409/422.
 *
 * After every run, over the run's documents: as many non-security audit entries as accepted
 * actions, the security entries equal the 403/404s, every transition in the log replays on the
 * chain's machine, GET /api/audit/verify is ok, and from the audit log and the tasks table (each
 * decision entry is its task's decision, every decided task has one entry):
 * - no author decides: no decision on a review step by, or on behalf of, a contributor of the
 *   document at that moment (its creator, and whoever an earlier `edit`/`attach` entry names);
 * - nobody votes twice in a step: per step and step round, the people of the decisions (actor and
 *   onBehalfOf) are distinct;
 * - nobody decides two review steps of a document in one review round (a review round ends when
 *   the document returns to its first step);
 * - no supervisor decides: no decision by, or on behalf of, a user holding `supervisor`.
 * They are checked on the log, not on the model, so an engine that forgot a rule fails them even
 * where the model forgot it too: MODEL_BLIND_TO=<rule> makes the model forget one rule, to see a
 * weakened engine (its `judge` without that rule) pass every prediction and fail the property.
 *
 * Commands: create (up to three documents a run), edit (PATCH, with or without a field change and
 * expectedVersion current / missing / stale), submit and withdraw, decisions on a document's task
 * (open, or its last closed one) with or without a comment and returnTo (`comment` as a decision is
 * one no step declares: refused), delegation and 加签 (add-signer, before or after the caller).
 * Task actions are taken by whoever holds the task and may decide it (`@holder`), by a holder whom
 * separation of duties keeps from it (`@excluded`), or by a named user (the role's holders, the
 * author, other city-sti users, drafter-x of other-dept, the office, the supervisors and the
 * administrator); delegation and 加签 name holders and non-holders of the role, the author,
 * supervisors, outsiders, holders of the later steps' roles, or someone who already decided in the
 * review round (`@decider`).
 *
 * Users: the demo users, drafter-x, counsel-b and counsel-c from useRelApp, and three this spec
 * adds: author-counsel (drafter and legal-counsel in city-sti: the author holding a review role, who
 * creates a quarter of the runs' first documents and edits others), counsel-sup (legal-counsel and
 * supervisor in city-sti: a supervisor assigned a review role) and leader-b (a second leader, so
 * that signing can go on after the leader decided a rerouted step). The figure counts the refusals
 * by rule, the 409 ALREADY_DECIDED and the reroutes; from 200 runs on, the test fails if one of
 * them never occurred (the command mix no longer exercises it).
 *
 * Chain: `normative-document` (conditional fair competition review, legality review outcomes,
 * reject, a number on issue). Not `annual-report`: it is unique per department and year, and the
 * DTO allows only the years 2000–2100, which 1,000 runs creating documents would exhaust.
 *
 * Runs are independent: each works on documents it creates (up to three), in one app started once
 * (once per block of runs in the full size, see BLOCKS).
 * Sizes: 200 runs (quick) and 1,000 (full) of up to 50 actions, as the issue asks (MODEL_RUNS and
 * MODEL_MAX override). With separation of duties the quick size takes ~17 s on SQLite (~3,400 HTTP
 * actions, ~230 decisions checked on the record) and ~33 s on PostgreSQL on the 2-core machine,
 * within the ~60 s budget, so it was not reduced.
 */
const RUNS = Number(process.env.MODEL_RUNS ?? size(200, 1000));
const MAX_COMMANDS = Number(process.env.MODEL_MAX ?? 50);
/**
 * The full size runs in 4 blocks of 250, each on a fresh database (one app start per block): the
 * audit verify after every run walks the whole log, so one database for 1,000 runs made the
 * verifies grow with the square of the runs (8 min on SQLite, 17 min on PostgreSQL here).
 */
const BLOCKS = Number(process.env.MODEL_BLOCKS ?? size(1, 4));
const SEED = Number(process.env.MODEL_SEED ?? 20_260_301);
const MAX_DOCS = 3;

const lint = lintChainDefinition(normativeDocumentChain);
if (!lint.definition) throw new Error(`lint: ${JSON.stringify(lint.errors)}`);
const chain: CompiledChain = compileChain(lint.definition);
const INITIAL = chain.definition.initial;
// What the model assumes of the chain: one role signer per reviewed step, in the document's
// department, escalation there too, and no step relaxing second-step-in-round.
for (const step of chain.definition.steps) {
  const signers = declaredSigners(step);
  if (signers.length > 1 || signers.some((s) => !s.role || s.userId || s.department === 'office') || step.escalation?.to.department === 'office' || step.allowSameDeciderAcrossSteps) {
    throw new Error(`the model does not cover step ${step.key} of ${chain.definition.key}`);
  }
}
/** 加签 per step and round when the step does not say (libs/engine/document/add-signer.ts). */
const DEFAULT_MAX_ADDED_SIGNERS = 10;

// ---- who holds what (the demo users and those useRelApp adds) ----------------------------------

type User =
  | 'drafter'
  | 'author-counsel'
  | 'drafter-x'
  | 'counsel'
  | 'counsel-b'
  | 'counsel-c'
  | 'counsel-sup'
  | 'secretary'
  | 'leader'
  | 'leader-b'
  | 'supervisor'
  | 'office'
  | 'admin';
const DEPT = 'city-sti';
const GRANTS: Record<User, [Role, string | null][]> = {
  drafter: [['drafter', DEPT]],
  'author-counsel': [['drafter', DEPT], ['legal-counsel', DEPT]],
  'drafter-x': [['drafter', 'other-dept']],
  counsel: [['legal-counsel', DEPT]],
  'counsel-b': [['legal-counsel', DEPT]],
  'counsel-c': [['legal-counsel', DEPT]],
  'counsel-sup': [['legal-counsel', DEPT], ['supervisor', DEPT]],
  secretary: [['party-secretary', DEPT]],
  leader: [['leader', DEPT]],
  'leader-b': [['leader', DEPT]],
  supervisor: [['supervisor', DEPT], ['supervisor', 'rule-of-law-office']],
  office: [['rule-of-law-office', 'rule-of-law-office']],
  admin: [['admin', null]],
};
/** The users this spec adds to those of useRelApp (drafter-x, counsel-b, counsel-c) and the demo ones. */
const EXTRA_USERS = (['author-counsel', 'counsel-sup', 'leader-b'] as const).map((u) => ({ username: u, departmentId: DEPT, roles: GRANTS[u].map(([role]) => role as string) }));
const USERS = Object.keys(GRANTS) as User[];
const principalOf = (u: User): Principal => ({ id: u, username: u, displayName: u, grants: GRANTS[u].map(([role, departmentId]) => ({ role, departmentId })) });
const holds = (u: User, role: Role, dept: string | null) => holdsRole(principalOf(u), role, dept);
/** The holders of a role in city-sti, as the engine's directory lists them (staffing counts them). */
const holdersOf = (role: Role) => USERS.filter((u) => GRANTS[u].some(([r, d]) => r === role && d === DEPT));
const isSupervisor = (u: User) => GRANTS[u].some(([role]) => role === 'supervisor');
/** Holds some role in city-sti: may be added as a signer there, or be given a named task of it. */
const inDept = (u: User) => GRANTS[u].some(([, d]) => d === DEPT);
/**
 * Who can see a city-sti document: a role in city-sti or a global administrator. The others
 * (drafter-x of other-dept, the rule-of-law office) could see it only through a task of theirs on
 * it, and a normative document gives them none (delegation and 加签 to them are refused).
 */
const visible = (u: User) => inDept(u) || GRANTS[u].some(([role, d]) => role === 'admin' && d === null);

// ---- model and real system ---------------------------------------------------------------------

interface MTask {
  id: string;
  stepKey: string;
  /** The step's round when the task opened (its `round`). */
  round: number;
  /** The signer it was opened for: s0, the step's own, or a1, a2… added with 加签. */
  signer: string;
  /** The role it is assigned to (null for a named signer's task). */
  role: Role | null;
  /** A named signer's task, or a delegated one, is that user's only. */
  user: User | null;
  /** Whoever handed it on (转交): a decision on it is made on their behalf too. */
  from: User | null;
}
interface MDecided {
  stepKey: string;
  round: number;
  role: Role | null;
  by: User;
  onBehalfOf: User | null;
}
interface MDoc {
  id: string;
  label: string;
  pos: ChainPosition;
  fields: { involvesMarketActivity: boolean };
  version: number;
  task?: MTask;
  /** The last task the document had (decided or cancelled), for actions on a closed task. */
  lastTaskId?: string;
  /** The author and everyone whose edit was accepted: they never decide its review steps. */
  contributors: Set<User>;
  /** Every decided task, oldest first (the engine reads them ordered by id, i.e. by creation). */
  decided: MDecided[];
  /** The steps' rounds when the document last returned to its first step: tasks of later rounds are this review round's. */
  roundBase: Record<string, number>;
}
interface Model {
  docs: MDoc[];
  accepted: number;
  /** Refusals answered 403/404 (AccessDenied): one `security` entry each. */
  denied: number;
  refused: number;
  states: Set<string>;
}
interface Real {
  t: RelApp;
  userOfId: Map<string, User>;
  idOf: Map<User, string>;
}

// ---- separation of duties, as libs/engine/document/separation-of-duties.ts and staffing.ts ------

type SodRule = 'author-decides' | 'second-vote-in-step' | 'second-step-in-round' | 'supervisor-decides';
const SOD_RULES: SodRule[] = ['author-decides', 'second-vote-in-step', 'second-step-in-round', 'supervisor-decides'];
/** For the removal check only: the model forgets this rule (see the comment at the top). */
const BLIND = process.env.MODEL_BLIND_TO as SodRule | undefined;
if (BLIND && !SOD_RULES.includes(BLIND)) throw new Error(`MODEL_BLIND_TO must be one of ${SOD_RULES.join(', ')}`);

interface Seat {
  stepKey: string;
  round: number;
  role: Role | null;
}
const seatOf = (task: MTask): Seat => ({ stepKey: task.stepKey, round: task.round, role: task.role });
const reviewRound = (doc: MDoc) => doc.decided.filter((t) => t.round > (doc.roundBase[t.stepKey] ?? 0));

/** The rule `u` would break by deciding `seat` of `doc`, or null (the engine's `judge`). */
function judge(doc: MDoc, seat: Seat, u: User): SodRule | null {
  const on = (rule: SodRule) => rule !== BLIND;
  if (isSupervisor(u) && on('supervisor-decides')) return 'supervisor-decides';
  if (seat.role === 'drafter') return null;
  if (doc.contributors.has(u) && on('author-decides')) return 'author-decides';
  for (const t of reviewRound(doc)) {
    if (t.by !== u && t.onBehalfOf !== u) continue;
    if (t.stepKey === seat.stepKey && t.round === seat.round && on('second-vote-in-step')) return 'second-vote-in-step';
    if (t.stepKey !== seat.stepKey && t.role !== 'drafter' && on('second-step-in-round')) return 'second-step-in-round';
  }
  return null;
}

interface SodVerdict {
  rule: SodRule;
  user: User;
}
/**
 * A decision on `task` by `u`: `u` and whom the task was handed on by, judged together (the first
 * rule broken wins). One seat is open at a time here, but someone the step names elsewhere (an
 * added signer still to decide) votes there: deciding this seat too would be a second vote.
 */
function judgeDecision(doc: MDoc, task: MTask, u: User): SodVerdict | null {
  for (const person of [u, ...(task.from && task.from !== u ? [task.from] : [])]) {
    const rule = judgeOnSeat(doc, task, seatOf(task), person);
    if (rule) return { rule, user: person };
  }
  return null;
}

/** `judge`, and for a review seat, someone the step names elsewhere (the engine's `judgeAll` with the step's seats). */
function judgeOnSeat(doc: MDoc, task: MTask, seat: Seat, p: User): SodRule | null {
  const rule = judge(doc, seat, p);
  if (rule) return rule;
  const namedElsewhere = doc.pos.context.signing?.slots.some((slot) => slot.signers.some((s) => s.userId === p && s.id !== task.signer)) ?? false;
  return seat.role !== 'drafter' && namedElsewhere && BLIND !== 'second-vote-in-step' ? 'second-vote-in-step' : null;
}

const LEADER: AssigneeRef = { role: 'leader', department: 'document' };

/**
 * Who a seat opening now goes to (Staffing.assign): a named signer if they may decide it, a role if
 * one of its holders may; else the step's escalation target or the leader when one of their holders
 * may (rerouted); else it stays with those named. One seat is open at a time here, so the pools'
 * counts of seats already taken never matter; nobody has a substitute (代理).
 */
function staff(doc: MDoc, signer: Signer): Pick<MTask, 'role' | 'user' | 'from'> {
  const step = chain.step(doc.pos.stateKey);
  const seat: Seat = { stepKey: step.key, round: doc.pos.context.rounds[step.key] ?? 1, role: signer.role ?? null };
  const named = { role: signer.role ?? null, user: (signer.userId as User | undefined) ?? null, from: null };
  const mayDecide = (holders: User[], role: Role | null) => holders.some((u) => !judge(doc, { ...seat, role }, u));
  if (signer.userId ? mayDecide([signer.userId as User], seat.role) : !holdersOf(signer.role!).length || mayDecide(holdersOf(signer.role!), seat.role)) return named;
  for (const target of [step.escalation?.to, LEADER]) {
    if (target && mayDecide(holdersOf(target.role), target.role)) {
      tally.rerouted++;
      if (signer.userId) tally.namedRerouted++;
      rerouted.push(target.role);
      return { role: target.role, user: null, from: null };
    }
  }
  tally.unstaffed++;
  rerouted.push(null);
  return named;
}
/** The roles the seats opened by the last accepted action were rerouted to (null: nobody may decide it): its audit entry names them. */
let rerouted: (Role | null)[] = [];

const closeTask = (doc: MDoc) => {
  if (doc.task) doc.lastTaskId = doc.task.id;
  doc.task = undefined;
};

/**
 * Moves the model's document to `next` after an accepted action (`decidedBy` decided its open
 * task): the decision is recorded, leaving a step closes its task, returning to the first step
 * starts a new review round, and each signer now due without a task gets one (staffing).
 */
function moveTo(doc: MDoc, next: ChainPosition, decidedBy?: User): void {
  const from = doc.pos.stateKey;
  if (decidedBy) {
    const task = doc.task!;
    doc.decided.push({ stepKey: task.stepKey, round: task.round, role: task.role, by: decidedBy, onBehalfOf: task.from });
    closeTask(doc);
  }
  doc.pos = next;
  doc.version++;
  tally.states.add(next.stateKey);
  if (next.stateKey !== from) {
    closeTask(doc);
    if (next.stateKey === INITIAL) doc.roundBase = { ...next.context.rounds };
  }
  const due = currentSigners(next.context.signing);
  if (due.length > 1) throw new Error(`the model keeps one open task, ${doc.label} has ${due.length} signers due`);
  if (doc.task && !due.some((s) => s.id === doc.task!.signer)) closeTask(doc);
  if (due.length && !doc.task) {
    doc.task = { id: '', stepKey: next.stateKey, round: next.context.rounds[next.stateKey] ?? 1, signer: due[0].id, ...staff(doc, due[0]) };
  }
}

type Version = 'none' | 'current' | 'stale';
const versionField = (v: Version, doc: MDoc) => (v === 'none' ? {} : { expectedVersion: v === 'current' ? doc.version : doc.version - 1 });
const vtag = (v: Version) => (v === 'none' ? '' : ` v=${v}`);

interface Outcome {
  status: number;
  body: any;
}

/** A refusal the model explains in full: status and code, and for separation of duties the rule and whom it names. */
interface Refusal {
  status: number;
  code: string;
  rule?: SodRule;
  user?: User;
}
const sodRefusal = (v: SodVerdict): Refusal => ({ status: 403, code: 'SEPARATION_OF_DUTIES', rule: v.rule, user: v.user });
/** Codes only the refusals the model explains may carry. */
const EXPLAINED = new Set(['SEPARATION_OF_DUTIES', 'ALREADY_DECIDED']);

const tally = {
  commands: 0,
  accepted: 0,
  refused: 0,
  denied: 0,
  runs: 0,
  byStatus: new Map<number, number>(),
  states: new Set<string>(),
  /** 403 SEPARATION_OF_DUTIES answers by rule. */
  byRule: new Map<string, number>(),
  alreadyDecided: 0,
  addSigners: 0,
  rerouted: 0,
  /** Of them, an added signer's seat (someone who decided on their behalf in the step: the caller they delegated to, or a delegate who decided before them). */
  namedRerouted: 0,
  unstaffed: 0,
  /** Decision entries the run properties checked. */
  decisionsChecked: 0,
};

async function rowsOf(real: Real, docId: string | undefined) {
  if (!docId) return null;
  const reader = real.t.engine.database.reader;
  return {
    doc: await reader.one('SELECT state, version, title, content, attributes, context FROM documents WHERE id = ?', [docId]),
    tasks: await reader.all('SELECT id, step_key, status, decision, decided_by, on_behalf_of, assignee_role, assignee_user_id, delegated_from, signer FROM tasks WHERE document_id = ? ORDER BY id', [docId]),
  };
}

/**
 * Sends one request and checks it against the prediction (`why`: the refusal the model explains in
 * full); on acceptance `accept` updates the model, and the stored document must then be where the
 * model says.
 */
async function exec(
  what: string,
  model: Model,
  real: Real,
  doc: MDoc | undefined,
  predicted: boolean,
  why: Refusal | undefined,
  send: () => Promise<Outcome>,
  accept: (res: Outcome) => void,
): Promise<void> {
  const t = real.t;
  const before = await rowsOf(real, doc?.id);
  const head = await t.auditHead();
  const res = await send();
  tally.commands++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  const answer = `${res.status}${res.status >= 300 ? ` ${res.body?.code}: ${res.body?.message}${res.body?.details?.rule ? ` (${res.body.details.rule})` : ''}` : ''}`;
  if (res.status >= 500 || res.status < 200 || (res.status >= 300 && res.status < 400)) throw new Error(`${what}: answered ${answer}`);
  const accepted = res.status < 300;
  if (accepted !== predicted) throw new Error(`${what}: the model predicted ${predicted ? 'acceptance' : 'a refusal'}${why ? ` (${JSON.stringify(why)})` : ''}, the API answered ${answer}`);
  if (!accepted && (why || EXPLAINED.has(res.body?.code))) {
    const details = res.body?.details ?? {};
    const got: Refusal = { status: res.status, code: res.body?.code, ...(details.rule ? { rule: details.rule } : {}), ...(details.userId ? { user: real.userOfId.get(details.userId) ?? details.userId } : {}) };
    if (JSON.stringify(got) !== JSON.stringify(why ?? null)) throw new Error(`${what}: the model predicted ${why ? JSON.stringify(why) : 'a refusal for another reason'}, the API answered ${JSON.stringify(got)}`);
    if (got.rule) tally.byRule.set(got.rule, (tally.byRule.get(got.rule) ?? 0) + 1);
    if (got.code === 'ALREADY_DECIDED') tally.alreadyDecided++;
  }
  const added = await t.auditSince(head);
  const security = added.filter((e) => e.category === 'security');
  const other = added.filter((e) => e.category !== 'security');
  if (accepted) {
    model.accepted++;
    tally.accepted++;
    rerouted = [];
    accept(res);
    const target = doc ?? model.docs[model.docs.length - 1];
    if (security.length || other.length !== 1 || other[0].document_id !== target.id) {
      throw new Error(`${what}: accepted, but the audit log got ${JSON.stringify(added.map((e) => `${e.category}:${e.action}:${e.document_id === target.id ? 'this doc' : e.document_id}`))} instead of one entry for the document`);
    }
    // A seat that left those the step names is recorded, with where it went, in the entry of the action that opened it.
    const recorded = ((JSON.parse(other[0].details).rerouted ?? []) as { to: { role: Role } | null }[]).map((x) => x.to?.role ?? null);
    if (JSON.stringify(recorded) !== JSON.stringify(rerouted)) throw new Error(`${what}: the audit entry records reroutes to ${JSON.stringify(recorded)}, the model expected ${JSON.stringify(rerouted)}`);
    await checkStored(what, real, target);
  } else {
    model.refused++;
    tally.refused++;
    const denied = res.status === 403 || res.status === 404;
    if (denied) {
      model.denied++;
      tally.denied++;
    }
    if (other.length || security.length !== (denied ? 1 : 0)) {
      throw new Error(`${what}: refused ${answer}, but the audit log got ${JSON.stringify(added.map((e) => `${e.category}:${e.action}`))} (expected ${denied ? 'one security entry' : 'nothing'})`);
    }
    const after = await rowsOf(real, doc?.id);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`${what}: refused ${answer}, but the document or its tasks changed:\n${JSON.stringify(before)}\n→ ${JSON.stringify(after)}`);
  }
}

const sorted = (o: Record<string, number> = {}) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * The stored document is at the model's position and version, with the model's open task (step,
 * round, signer, role or user, delegated from), decided tasks (step, round, decider, on behalf of),
 * contributors and review round base.
 */
/** A task row as the checks read it from the database. */
interface StoredTask {
  id: string;
  step_key: string;
  round: number;
  signer: string | null;
  status: string;
  assignee_role: string | null;
  assignee_user_id: string | null;
  delegated_from: string | null;
  decided_by: string | null;
  on_behalf_of: string | null;
}

async function checkStored(what: string, real: Real, doc: MDoc): Promise<void> {
  const reader = real.t.engine.database.reader;
  const name = (id: string | null) => (id ? (real.userOfId.get(id) ?? id) : null);
  const row = await reader.one<{ state: string; version: number; context: string | object; attributes: string | object }>('SELECT state, version, context, attributes FROM documents WHERE id = ?', [doc.id]);
  const tasks = await reader.all<StoredTask>("SELECT id, step_key, round, signer, status, assignee_role, assignee_user_id, delegated_from, decided_by, on_behalf_of FROM tasks WHERE document_id = ? AND status IN ('open', 'done') ORDER BY id", [doc.id]);
  const context = json(row!.context);
  const attributes = json(row!.attributes);
  const open = tasks.filter((o) => o.status === 'open');
  const stored = {
    state: row!.state,
    version: Number(row!.version),
    rounds: sorted(context.rounds),
    open: open.map((o) => ({ step: o.step_key, round: Number(o.round), signer: o.signer, role: o.assignee_role, user: name(o.assignee_user_id), from: name(o.delegated_from) })),
    decided: tasks.filter((o) => o.status === 'done').map((o) => ({ step: o.step_key, round: Number(o.round), by: name(o.decided_by), onBehalfOf: name(o.on_behalf_of) })),
    contributors: ((attributes.contributors ?? []) as string[]).map(name).sort(),
    roundBase: sorted(attributes.roundBase),
  };
  const t = doc.task;
  const expected = {
    state: doc.pos.stateKey,
    version: doc.version,
    rounds: sorted(doc.pos.context.rounds),
    open: t ? [{ step: t.stepKey, round: t.round, signer: t.signer, role: t.role, user: t.user, from: t.from }] : [],
    decided: doc.decided.map((d) => ({ step: d.stepKey, round: d.round, by: d.by, onBehalfOf: d.onBehalfOf })),
    contributors: [...doc.contributors].sort(),
    roundBase: sorted(doc.roundBase),
  };
  if (JSON.stringify(stored) !== JSON.stringify(expected)) throw new Error(`${what}: stored ${JSON.stringify(stored)}, the model expected ${JSON.stringify(expected)}`);
  if (t) t.id = open[0].id;
}

/**
 * A command's user: a named one, or one the model picks when the command runs: `@holder`, whoever
 * holds the task (its user, else the n-th of the role's holders who may decide it, else of all its
 * holders); `@excluded`, the n-th holder whom separation of duties keeps from deciding it (else as
 * `@holder`).
 */
type Who = User | '@holder' | '@excluded';
function resolve(who: Who, n: number, doc: MDoc): User {
  if (who !== '@holder' && who !== '@excluded') return who;
  const task = doc.task;
  if (!task) return 'counsel';
  const holders = task.user ? [task.user] : holdersOf(task.role!);
  const excluded = holders.filter((u) => judgeDecision(doc, task, u));
  const eligible = holders.filter((u) => !judgeDecision(doc, task, u));
  const pool = who === '@excluded' && excluded.length ? excluded : eligible.length ? eligible : holders;
  return pool[n % pool.length] ?? 'counsel';
}
/**
 * Whom a delegation or 加签 names: a user, or `@decider`, the n-th person who decided (or was
 * decided for) in the document's review round (else counsel).
 */
type Target = User | '@decider';
function resolveTarget(to: Target, n: number, doc: MDoc): User {
  if (to !== '@decider') return to;
  const persons = [...new Set(reviewRound(doc).flatMap((t) => [t.by, ...(t.onBehalfOf ? [t.onBehalfOf] : [])]))];
  return persons[n % persons.length] ?? 'counsel';
}
const whoTag = (who: Who | Target, user: User) => (who.startsWith('@') ? `${user} (${who.slice(1)})` : user);

const pickDoc = (model: Model, n: number) => model.docs[n % model.docs.length];
const taskTarget = (doc: MDoc) => doc.task?.id ?? doc.lastTaskId;
const hasTaskTarget = (m: Readonly<Model>) => m.docs.some((doc) => taskTarget(doc));
/** Decisions, delegations and 加签 act on `task#d`: the d-th document that has had a task, and that task. */
function pickTaskTarget(m: Model, d: number): { doc: MDoc; taskId: string } {
  const docs = m.docs.filter((doc) => taskTarget(doc));
  const doc = docs[d % docs.length];
  return { doc, taskId: taskTarget(doc)! };
}
const isAssigned = (task: MTask, u: User) => (task.user ? task.user === u : holds(u, task.role!, DEPT));
/** Where the engine judges separation of duties for a task action: the caller sees the document, and the task is open and theirs. */
const reaches = (doc: MDoc, u: User) => visible(u) && !!doc.task && isAssigned(doc.task, u);

// ---- commands ----------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, Real>;

class Create implements Cmd {
  constructor(
    readonly user: User,
    readonly market: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.docs.length < MAX_DOCS;
  async run(m: Model, r: Real) {
    const predicted = holds(this.user, 'drafter', DEPT);
    const label = `doc#${m.docs.length}`;
    await exec(
      this.toString(),
      m,
      r,
      undefined,
      predicted,
      undefined,
      async () => r.t.http().post('/api/documents').set(await r.t.as(this.user)).send({ chain: 'normative-document', title: `模型 ${label}`, year: 2026, departmentId: DEPT, content: '第一条 模型测试。', fields: { involvesMarketActivity: this.market } }),
      (res) => {
        const pos = chain.initial();
        tally.states.add(pos.stateKey);
        m.docs.push({ id: res.body.id, label, pos, fields: { involvesMarketActivity: this.market }, version: 1, contributors: new Set([this.user]), decided: [], roundBase: {} });
      },
    );
  }
  toString = () => `create(${this.user}, market=${this.market})`;
}

class Edit implements Cmd {
  constructor(
    readonly user: User,
    readonly d: number,
    readonly market: boolean | undefined,
    readonly v: Version,
  ) {}
  check = (m: Readonly<Model>) => m.docs.length > 0;
  async run(m: Model, r: Real) {
    const doc = pickDoc(m, this.d);
    const fields = this.market === undefined ? doc.fields : { involvesMarketActivity: this.market };
    const next = chain.next(doc.pos, { type: 'edit', fields });
    // PATCH requires expectedVersion (400 without it).
    const predicted = visible(this.user) && holds(this.user, 'drafter', DEPT) && next !== null && this.v === 'current';
    const body = { title: `改 ${doc.label} ${doc.version}`, ...(this.market === undefined ? {} : { fields: { involvesMarketActivity: this.market } }), ...versionField(this.v, doc) };
    await exec(
      this.describe(doc),
      m,
      r,
      doc,
      predicted,
      undefined,
      async () => r.t.http().patch(`/api/documents/${doc.id}`).set(await r.t.as(this.user)).send(body),
      () => {
        doc.fields = fields;
        doc.contributors.add(this.user);
        moveTo(doc, next!);
      },
    );
  }
  describe = (doc?: MDoc) => `edit(${this.user}, ${doc?.label ?? `doc#${this.d}`}${this.market === undefined ? '' : `, market=${this.market}`}${vtag(this.v)})`;
  toString = () => this.describe();
}

class Act implements Cmd {
  constructor(
    readonly user: User,
    readonly d: number,
    readonly action: 'submit' | 'withdraw',
    readonly v: Version,
  ) {}
  check = (m: Readonly<Model>) => m.docs.length > 0;
  async run(m: Model, r: Real) {
    const doc = pickDoc(m, this.d);
    const next = chain.next(doc.pos, { type: this.action, fields: doc.fields });
    const declared = chain.transitionFor(doc.pos.stateKey, this.action);
    const allowed = visible(this.user) && holds(this.user, 'drafter', DEPT) && !!declared?.by;
    // 撤回 only while nobody decided anything in the review round (checked before the version).
    const why = allowed && this.action === 'withdraw' && reviewRound(doc).length ? { status: 409, code: 'ALREADY_DECIDED' } : undefined;
    const predicted = allowed && !why && next !== null && this.v !== 'stale';
    await exec(
      this.describe(doc),
      m,
      r,
      doc,
      predicted,
      why,
      async () => r.t.http().post(`/api/documents/${doc.id}/actions`).set(await r.t.as(this.user)).send({ action: this.action, ...versionField(this.v, doc) }),
      () => moveTo(doc, next!),
    );
  }
  describe = (doc?: MDoc) => `${this.action}(${this.user}, ${doc?.label ?? `doc#${this.d}`}${vtag(this.v)})`;
  toString = () => this.describe();
}

const DECISIONS = ['approve', 'lawful', 'revise', 'unlawful', 'return', 'reject', 'comment'] as const;
const NEEDS_COMMENT = new Set(['return', 'reject']);
const taskTag = (doc: MDoc | undefined, d: number) => (doc ? `${doc.label} ${doc.task ? `open ${doc.task.stepKey} task${doc.task.signer === 's0' ? '' : ` of ${doc.task.signer}`}` : 'closed task'}` : `task#${d}`);
const holderTag = (who: Who | Target, n: number) => (who.startsWith('@') && n ? `${who}:${n}` : who);

/** Decisions, delegations and 加签 name `task#d`: the task (open, else the last) of the d-th document that has had one. */
class Decide implements Cmd {
  user: User = 'drafter';
  constructor(
    readonly who: Who,
    readonly n: number,
    readonly d: number,
    readonly decision: (typeof DECISIONS)[number],
    readonly returnTo: string | undefined,
    readonly comment: boolean,
    readonly v: Version,
  ) {}
  check = hasTaskTarget;
  async run(m: Model, r: Real) {
    const { doc, taskId } = pickTaskTarget(m, this.d);
    const task = doc.task;
    this.user = resolve(this.who, this.n, doc);
    // Separation of duties is judged once the task is found open and the caller's, before the decision itself.
    const sod = reaches(doc, this.user) ? judgeDecision(doc, task!, this.user) : null;
    const event: ChainEvent = { type: this.decision, signer: task?.signer, fields: doc.fields, ...(this.returnTo ? { returnTo: this.returnTo } : {}) };
    const declared = task && chain.transitionFor(task.stepKey, this.decision);
    const next = task ? chain.next(doc.pos, event) : null;
    const predicted =
      reaches(doc, this.user) &&
      !sod &&
      !!declared &&
      !declared.by &&
      (this.comment || !(declared.commentRequired || NEEDS_COMMENT.has(this.decision))) &&
      next !== null &&
      this.v !== 'stale';
    const body = { decision: this.decision, ...(this.returnTo ? { returnTo: this.returnTo } : {}), ...(this.comment ? { comment: `意见：${this.decision}` } : {}), ...versionField(this.v, doc) };
    await exec(
      this.describe(doc),
      m,
      r,
      doc,
      predicted,
      sod ? sodRefusal(sod) : undefined,
      async () => r.t.http().post(`/api/tasks/${taskId}/decision`).set(await r.t.as(this.user)).send(body),
      () => moveTo(doc, next!, this.user),
    );
  }
  describe = (doc?: MDoc) =>
    `decide(${whoTag(this.who, this.user)}, ${taskTag(doc, this.d)}, ${this.decision}${this.returnTo ? `→${this.returnTo}` : ''}${this.comment ? ' +comment' : ''}${vtag(this.v)})`;
  toString = () => `decide(${holderTag(this.who, this.n)}, task#${this.d}, ${this.decision}${this.returnTo ? `→${this.returnTo}` : ''}${this.comment ? ' +comment' : ''}${vtag(this.v)})`;
}

/**
 * 转交 (delegate) and 加签 (add-signer) share their checks: the caller must be able to decide the
 * task (403), the other user must be one who may be given it (400) and who may decide it (403),
 * within the step's limit of added signers (409).
 */
abstract class HandOn implements Cmd {
  user: User = 'drafter';
  to: User = 'counsel';
  constructor(
    readonly who: Who,
    readonly n: number,
    readonly d: number,
    readonly target: Target,
    readonly v: Version,
  ) {}
  check = hasTaskTarget;
  abstract readonly name: string;
  /** No 400 about the other user (checkDelegate, checkAddSigner). */
  abstract fits: (doc: MDoc, task: MTask) => boolean;
  /** The seat the other user is judged for. */
  abstract seat: (task: MTask) => Seat;
  /** No 409 for a limit (after the 403s). */
  within = (_doc: MDoc, _task: MTask) => true;
  abstract event: (task: MTask) => ChainEvent;
  abstract send: (r: Real, taskId: string, doc: MDoc) => Promise<Outcome>;
  abstract accepted: (doc: MDoc, next: ChainPosition) => void;

  async run(m: Model, r: Real) {
    const { doc, taskId } = pickTaskTarget(m, this.d);
    const task = doc.task;
    this.user = resolve(this.who, this.n, doc);
    this.to = resolveTarget(this.target, this.n, doc);
    const next = task ? chain.next(doc.pos, { ...this.event(task), fields: doc.fields }) : null;
    let predicted = false;
    let why: Refusal | undefined;
    if (reaches(doc, this.user)) {
      const sod = judgeDecision(doc, task!, this.user);
      if (sod) why = sodRefusal(sod);
      else if (this.fits(doc, task!)) {
        const rule = judgeOnSeat(doc, task!, this.seat(task!), this.to);
        if (rule) why = sodRefusal({ rule, user: this.to });
        else predicted = this.within(doc, task!) && next !== null && this.v !== 'stale';
      }
    }
    await exec(
      this.describe(doc),
      m,
      r,
      doc,
      predicted,
      why,
      () => this.send(r, taskId, doc),
      () => this.accepted(doc, next!),
    );
  }
  describe = (doc?: MDoc) => `${this.name}(${whoTag(this.who, this.user)} → ${whoTag(this.target, this.to)}, ${taskTag(doc, this.d)}${vtag(this.v)})`;
  toString = () => `${this.name}(${holderTag(this.who, this.n)} → ${holderTag(this.target, this.n)}, task#${this.d}${vtag(this.v)})`;
}

class Delegate extends HandOn {
  readonly name = 'delegate';
  // A role's task to another holder of the role, a named one to anyone holding a role in the department; never to oneself or a supervisor.
  fits = (_: MDoc, task: MTask) => (task.role ? holds(this.to, task.role, DEPT) : inDept(this.to)) && this.to !== this.user && !isSupervisor(this.to);
  seat = seatOf;
  event = (task: MTask): ChainEvent => ({ type: 'delegate', signer: task.signer });
  send = async (r: Real, taskId: string, doc: MDoc) =>
    r.t.http().post(`/api/tasks/${taskId}/delegate`).set(await r.t.as(this.user)).send({ toUserId: r.idOf.get(this.to), comment: '请代为处理', ...versionField(this.v, doc) });
  accepted = (doc: MDoc, next: ChainPosition) => {
    moveTo(doc, next);
    doc.task = { ...doc.task!, user: this.to, from: this.user };
  };
}

class AddSigner extends HandOn {
  readonly name: string;
  constructor(
    who: Who,
    n: number,
    d: number,
    to: Target,
    readonly position: 'before' | 'after',
    v: Version,
  ) {
    super(who, n, d, to, v);
    this.name = `add-signer-${position}`;
  }
  // Someone holding a role in the department, not the caller, no supervisor, not already a signer of the step (nor whom the task is held for).
  fits = (doc: MDoc, task: MTask) =>
    inDept(this.to) &&
    this.to !== this.user &&
    !isSupervisor(this.to) &&
    this.to !== task.from &&
    !doc.pos.context.signing?.slots.some((slot) => slot.signers.some((s) => s.userId === this.to));
  // The step's limit of added signers per round (409, after separation of duties).
  override within = (doc: MDoc, task: MTask) => (doc.pos.context.signing?.added ?? 0) < (chain.step(task.stepKey).maxAddedSigners ?? DEFAULT_MAX_ADDED_SIGNERS);
  // An added signer decides as themselves (no role).
  seat = (task: MTask): Seat => ({ ...seatOf(task), role: null });
  // The model names users by username in the chain's context (the engine by id): only rounds and steps are compared.
  event = (task: MTask): ChainEvent => ({ type: 'add-signer', signer: task.signer, added: { userId: this.to }, position: this.position });
  send = async (r: Real, taskId: string, doc: MDoc) =>
    r.t.http().post(`/api/tasks/${taskId}/add-signer`).set(await r.t.as(this.user)).send({ userId: r.idOf.get(this.to), position: this.position, comment: '请会签', ...versionField(this.v, doc) });
  accepted = (doc: MDoc, next: ChainPosition) => {
    tally.addSigners++;
    moveTo(doc, next);
  };
}

// Users weighted towards those who hold the chain's roles, so that most sequences get somewhere.
const user = fc.oneof(
  { arbitrary: fc.constantFrom<User>('drafter', 'author-counsel', 'counsel', 'counsel-b', 'counsel-c', 'secretary', 'leader', 'leader-b'), weight: 6 },
  { arbitrary: fc.constantFrom<User>(...USERS), weight: 2 },
);
const drafterMostly = fc.oneof({ arbitrary: fc.constant<User>('drafter'), weight: 3 }, { arbitrary: fc.constant<User>('author-counsel'), weight: 1 }, { arbitrary: user, weight: 1 });
const who = fc.oneof({ arbitrary: fc.constant<Who>('@holder'), weight: 5 }, { arbitrary: fc.constant<Who>('@excluded'), weight: 1 }, { arbitrary: user as fc.Arbitrary<Who>, weight: 2 });
const pick = fc.nat({ max: 5 });
const version = fc.constantFrom<Version>('none', 'none', 'current', 'stale');
const editVersion = fc.constantFrom<Version>('current', 'current', 'current', 'none', 'stale');
const docIndex = fc.nat({ max: MAX_DOCS - 1 });
const returnTo = fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constantFrom('drafting', 'legality-review', 'collective-deliberation', 'issued'), weight: 1 });
const decision = fc.oneof({ arbitrary: fc.constantFrom('approve', 'lawful'), weight: 6 }, { arbitrary: fc.constantFrom(...DECISIONS), weight: 3 });
// Holders of the later steps' roles come more often: an added secretary or leader who decides an early step makes a later seat reroute.
const handOnTarget = fc.oneof(
  { arbitrary: fc.constantFrom<Target>('counsel', 'counsel-b', 'counsel-c', 'author-counsel', 'counsel-sup', 'drafter', 'drafter-x', 'office', 'supervisor'), weight: 4 },
  { arbitrary: fc.constantFrom<Target>('secretary', 'leader', 'leader-b'), weight: 3 },
  { arbitrary: fc.constant<Target>('@decider'), weight: 2 },
);
const commands = fc.commands(
  [
    fc.tuple(user, fc.boolean()).map(([u, market]) => new Create(u, market)),
    fc.tuple(drafterMostly, docIndex, fc.option(fc.boolean(), { nil: undefined }), editVersion).map(([u, d, market, v]) => new Edit(u, d, market, v)),
    fc.tuple(drafterMostly, docIndex, fc.constantFrom<'submit' | 'withdraw'>('submit', 'submit', 'withdraw'), version).map(([u, d, a, v]) => new Act(u, d, a, v)),
    fc
      .tuple(who, pick, docIndex, decision, returnTo, fc.boolean(), version)
      .map(([u, n, d, decision, returnTo, comment, v]) => new Decide(u, n, d, decision, returnTo, comment || NEEDS_COMMENT.has(decision), v)),
    fc.tuple(who, pick, docIndex, handOnTarget, version).map(([u, n, d, to, v]) => new Delegate(u, n, d, to, v)),
    fc.tuple(who, pick, docIndex, handOnTarget, fc.constantFrom<'before' | 'after'>('before', 'after'), version).map(([u, n, d, to, p, v]) => new AddSigner(u, n, d, to, p, v)),
    // Decisions come more often than the rest, approvals by a holder who may decide most: without them few sequences reach the later steps.
    fc
      .tuple(who, pick, docIndex, decision, fc.constant(undefined), fc.boolean(), fc.constant<Version>('none'))
      .map(([u, n, d, decision, , comment]) => new Decide(u, n, d, decision, undefined, comment || NEEDS_COMMENT.has(decision), 'none')),
    fc.tuple(pick, docIndex, fc.constantFrom('approve', 'lawful')).map(([n, d, decision]) => new Decide('@holder', n, d, decision, undefined, false, 'none')),
  ],
  { maxCommands: MAX_COMMANDS, size: 'max' },
);

interface LogRow {
  action: string;
  actor_type: string;
  actor_id: string;
  actor_on_behalf_of: string | null;
  from_state: string | null;
  to_state: string | null;
  details: string;
}

/** A document's transition entries, oldest first, and its tasks by id. */
async function logOf(real: Real, doc: MDoc) {
  const reader = real.t.engine.database.reader;
  const rows = await reader.all<LogRow>(
    "SELECT action, actor_type, actor_id, actor_on_behalf_of, from_state, to_state, details FROM audit_entries WHERE document_id = ? AND category <> 'security' ORDER BY seq",
    [doc.id],
  );
  const tasks = await reader.all<StoredTask>('SELECT id, step_key, round, signer, status, assignee_role, assignee_user_id, delegated_from, decided_by, on_behalf_of FROM tasks WHERE document_id = ?', [doc.id]);
  return { rows: rows.map((r) => ({ ...r, details: JSON.parse(r.details) })), tasks: new Map(tasks.map((t) => [t.id, { ...t, round: Number(t.round) }])) };
}
type Log = Awaited<ReturnType<typeof logOf>>;

/** Each transition in the log, replayed on the chain's machine from the document's creation, lands where the log says. */
function replayLog(doc: MDoc, { rows, tasks }: Log): string[] {
  const problems: string[] = [];
  let pos: ChainPosition | null = null;
  for (const row of rows) {
    const details = row.details;
    if (pos === null) {
      pos = chain.initial();
      if (row.to_state !== pos.stateKey) problems.push(`${doc.label}: created in ${row.to_state}, the chain starts in ${pos.stateKey}`);
      continue;
    }
    if (row.from_state !== pos.stateKey) problems.push(`${doc.label}: ${row.action} from ${row.from_state}, the machine was in ${pos.stateKey}`);
    // The signer of the task acted on; 加签 names whom it added (by id: only steps and rounds are compared).
    const signer = (details.taskId && tasks.get(details.taskId)?.signer) || 's0';
    const added = details.addSigner ? { added: { userId: details.addSigner.userId }, position: details.addSigner.position } : {};
    // The log does not hold the fields at each step: a transition is allowed when the machine takes it with either value.
    const candidates = [true, false]
      .map((market) => chain.next(pos!, { type: row.action, signer, fields: { involvesMarketActivity: market }, ...added, ...(details.returnTo ? { returnTo: details.returnTo } : {}) }))
      .filter((p): p is ChainPosition => p !== null && p.stateKey === row.to_state);
    if (!candidates.length) {
      problems.push(`${doc.label}: ${row.action} ${row.from_state} → ${row.to_state} is not a transition the chain's machine allows`);
      break;
    }
    pos = candidates[0];
  }
  return problems;
}

/** Task events that are not decisions (their entries name the task too). */
const NOT_DECISIONS = new Set(['delegate', 'add-signer', 'reassign']);

/**
 * Separation of duties on the record, whatever the model predicted: walks a document's log, with
 * the contributors so far (creator, editors), each decision's task (its step round and role), and
 * the review round (restarted when the document returns to its first step).
 */
function separationOnRecord(doc: MDoc, { rows, tasks }: Log, supervisors: Set<string>, name: (id: string) => string): string[] {
  const problems: string[] = [];
  const contributors = new Set<string>();
  /** Per step and step round: who took part in a decision. */
  const votes = new Map<string, Set<string>>();
  /** This review round: the review step each person decided. */
  let stepOf = new Map<string, string>();
  const seen = new Set<string>();
  for (const row of rows) {
    const taskId: string | undefined = row.details.taskId;
    if (row.action === 'create' || row.action === 'edit' || row.action === 'attach') contributors.add(row.actor_id);
    else if (taskId && !NOT_DECISIONS.has(row.action)) {
      tally.decisionsChecked++;
      const task = tasks.get(taskId);
      const persons = [row.actor_id, row.actor_on_behalf_of].filter((p): p is string => !!p);
      const what = `${doc.label}: ${row.action} on ${row.from_state} by ${persons.map(name).join(' for ')}`;
      if (!task || task.status !== 'done' || task.decided_by !== row.actor_id || (task.on_behalf_of ?? null) !== (row.actor_on_behalf_of ?? null) || task.step_key !== row.from_state || seen.has(taskId)) {
        problems.push(`${what}: the entry is not its task's decision (${JSON.stringify(task)})`);
        continue;
      }
      seen.add(taskId);
      if (persons.some((p) => supervisors.has(p))) problems.push(`${what}: a supervisor decided (supervisor-decides)`);
      // A drafter's seat is the drafting department's own work: only supervisors are kept from it.
      if (task.assignee_role === 'drafter') continue;
      if (persons.some((p) => contributors.has(p))) problems.push(`${what}: an author or editor of the document decided a review step (author-decides)`);
      const key = `${task.step_key}#${task.round}`;
      const voted = votes.get(key) ?? new Set<string>();
      if (persons.some((p) => voted.has(p))) problems.push(`${what}: a second vote in ${key} (second-vote-in-step)`);
      persons.forEach((p) => voted.add(p));
      votes.set(key, voted);
      for (const p of persons) {
        const other = stepOf.get(p);
        if (other && other !== task.step_key) problems.push(`${what}: ${name(p)} already decided ${other} in this review round (second-step-in-round)`);
        stepOf.set(p, task.step_key);
      }
    }
    if (row.to_state === INITIAL && row.from_state !== null && row.from_state !== INITIAL) stepOf = new Map();
  }
  const decided = [...tasks.values()].filter((t) => t.status === 'done');
  if (decided.length !== seen.size) problems.push(`${doc.label}: ${decided.length} decided tasks, ${seen.size} decision entries`);
  return problems;
}

describe('model-based: random action sequences by random users over HTTP', () => {
  const started = performance.now();
  let passed = 0;
  let kind = '';

  for (let block = 0; block < BLOCKS; block++) {
    const runs = Math.round(RUNS / BLOCKS);
    const seed = SEED + block;
    describe(BLOCKS > 1 ? `block ${block + 1} of ${BLOCKS} (a fresh database)` : 'one database', () => {
      const t = useRelApp(EXTRA_USERS);
      const real = { t } as Real;
      let supervisors = new Set<string>();

      beforeAll(async () => {
        real.userOfId = new Map();
        real.idOf = new Map();
        for (const u of USERS) {
          const id = await t.id(u);
          real.userOfId.set(id, u);
          real.idOf.set(u, id);
          await t.as(u);
        }
        // Who holds supervisor, from the directory (not from the model's GRANTS).
        const rows = await t.engine.database.reader.all<{ user_id: string }>("SELECT DISTINCT user_id FROM role_grants WHERE role = 'supervisor'");
        supervisors = new Set(rows.map((r) => r.user_id));
      });

      it(`${runs} runs of up to ${MAX_COMMANDS} actions (normative-document): every answer as the model predicts, audit consistent, separation of duties on the record (seed ${seed})`, async () => {
        kind = t.engine.database.kind;
        const name = (id: string) => real.userOfId.get(id) ?? id;
        const first = fc.record({ author: fc.constantFrom<User>('drafter', 'drafter', 'drafter', 'author-counsel'), market: fc.boolean() });
        const property = fc.asyncProperty(first, commands, async ({ author, market }, cmds) => {
          const model: Model = { docs: [], accepted: 0, denied: 0, refused: 0, states: new Set() };
          const head = await t.auditHead();
          // Every run starts with one document (the commands may create two more).
          await new Create(author, market).run(model, real);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          tally.runs++;
          // The run's documents: as many non-security entries as accepted actions, one security entry per 403/404.
          const added = await t.auditSince(head);
          const ids = new Set(model.docs.map((d) => d.id));
          const transitions = added.filter((e) => e.category !== 'security');
          const security = added.filter((e) => e.category === 'security');
          if (transitions.length !== model.accepted || transitions.some((e) => !ids.has(e.document_id!))) {
            throw new Error(`after the run: ${transitions.length} non-security audit entries, ${model.accepted} accepted actions`);
          }
          if (security.length !== model.denied) throw new Error(`after the run: ${security.length} security entries, ${model.denied} refusals with 403/404`);
          for (const doc of model.docs) {
            const log = await logOf(real, doc);
            const problems = [...replayLog(doc, log), ...separationOnRecord(doc, log, supervisors, name)];
            if (problems.length) throw new Error(`after the run: ${problems.join('; ')}`);
          }
          const verify = await t.http().get('/api/audit/verify').set(await t.as('supervisor'));
          if (verify.status !== 200 || verify.body.ok !== true) throw new Error(`after the run: audit verify ${verify.status} ${JSON.stringify(verify.body)}`);
        });
        const details = await fc.check(property, { seed, numRuns: runs, endOnFailure: false });
        if (details.failed) {
          const shrunk = details.counterexample?.[1];
          const start = details.counterexample?.[0];
          throw new Error(
            [
              `model-based test failed after ${details.numRuns} runs, shrunk ${details.numShrinks} times (seed ${details.seed}, path "${details.counterexamplePath}"; rerun with MODEL_SEED=${SEED} MODEL_RUNS=${RUNS})`,
              `minimal sequence: create(${start?.author}, market=${start?.market}) (every run starts with it), ${shrunk ? String(shrunk) : '(none)'}`,
              `failure: ${(details.errorInstance as Error | undefined)?.message ?? String(details.errorInstance)}`,
            ].join('\n'),
          );
        }
        passed += runs;
        // The command mix must reach every rule (at the quick size and above, over the blocks so far).
        if (block === BLOCKS - 1 && RUNS >= 200 && !BLIND) {
          const missing = SOD_RULES.filter((rule) => !tally.byRule.get(rule));
          if (missing.length || !tally.alreadyDecided || !tally.rerouted) {
            throw new Error(`the runs never met ${[...missing, ...(tally.alreadyDecided ? [] : ['ALREADY_DECIDED']), ...(tally.rerouted ? [] : ['a reroute'])].join(', ')}`);
          }
        }
      }, 60 * 60_000);
    });
  }

  afterAll(() => {
    const seconds = (performance.now() - started) / 1000;
    const statuses = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
    const rules = SOD_RULES.map((rule) => `${rule}×${tally.byRule.get(rule) ?? 0}`).join(' ');
    const ok = passed === Math.round(RUNS / BLOCKS) * BLOCKS;
    const figure =
      `${RUNS} runs${BLOCKS > 1 ? ` in ${BLOCKS} blocks of a fresh database` : ''} (seed ${SEED}) of up to ${MAX_COMMANDS} actions: ${tally.commands} HTTP actions, ${tally.accepted} accepted, ${tally.refused} refused ` +
      `(${tally.denied} × 403/404 with a security entry), statuses ${statuses}; separation of duties: 403 ${rules}, withdraw 409 ALREADY_DECIDED×${tally.alreadyDecided}, ` +
      `${tally.addSigners} signers added, ${tally.rerouted} seats rerouted (${tally.namedRerouted} of them an added signer's; ${tally.unstaffed} left with nobody eligible), ${tally.decisionsChecked} decision entries checked; states reached ${[...tally.states].sort().join(', ')}; ` +
      `${ok ? 'every answer as predicted, audit counts equal, verify ok and separation of duties kept on the record after every run' : 'FAILED'} in ${seconds.toFixed(1)} s [${kind}]${BLIND ? ` (model blind to ${BLIND})` : ''}`;
    console.log(`model-based: ${figure}`);
    if (ok && !BLIND) recordFigure('model-based', figure);
  });
});
