import type { JsonSchema } from './dto-schema.js';

/**
 * The schemas of the API's answers (the requests' come from the DTOs). Written by hand from the
 * read models' types (libs/engine/views.ts and the read models): the e2e suite validates every
 * answer against them, so a field renamed or retyped there fails until it is changed here too.
 * Objects are open (a new field is an extension, API.md), their listed fields required.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const nullable = (type: string) => ({ type: [type, 'null'] });
const instant = { type: 'string', format: 'date-time' };
const date = { type: 'string', format: 'date' };
const uuid = { type: 'string', format: 'uuid' };
const hex = { type: 'string', pattern: '^[0-9a-f]*$' };
const object = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const list = (item: JsonSchema) => object({ items: { type: 'array', items: item } });
const page = (item: JsonSchema) => object({ items: { type: 'array', items: item }, nextCursor: nullable('string') });

export const UPLOAD_TYPES_DESCRIPTION =
  'The file as the raw body; its content-type is its media type: application/pdf, application/zip, application/ofd, application/msword, ' +
  'application/vnd.*, application/octet-stream, image/*, text/plain (never HTML, SVG or other XML).';

export const RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    ...object({ statusCode: int, code: str, message: str, details: {} }),
    description: 'Every error body (API.md, "Errors").',
  },
  FieldError: {
    ...object({ field: str, reason: str, message: ref('Localized') }, ['message']),
    description: 'A refused field and why (English). A refused chain definition (POST /api/chains) also says why in both languages: `message: { zh, en }`, `en` being `reason`.',
  },
  Localized: object({ zh: str, en: str }),
  RoleGrant: object({ role: str, departmentId: nullable('string') }),
  Me: object({ id: uuid, username: str, displayName: str, roles: { type: 'array', items: ref('RoleGrant') } }),
  Session: object({ accessToken: str, tokenType: { const: 'Bearer' }, expiresIn: int, user: ref('Me') }),
  Task: object({
    id: uuid,
    documentId: uuid,
    documentTitle: str,
    stepKey: str,
    step: object({ key: str, name: ref('Localized') }),
    round: int,
    departmentId: str,
    assigneeRole: nullable('string'),
    assigneeUserId: nullable('string'),
    assignee: object({ role: nullable('string'), userId: nullable('string'), departmentId: str }),
    status: { enum: ['open', 'done', 'cancelled'] },
    decision: nullable('string'),
    comment: nullable('string'),
    decidedBy: nullable('string'),
    onBehalfOf: nullable('string'),
    delegatedFrom: nullable('string'),
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: instant,
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    signer: nullable('string'),
    // In the inbox: the document's title and chain, and whether its due date is provisional.
    chainKey: str,
    dueProvisional: bool,
  }, ['documentTitle', 'chainKey', 'dueProvisional']),
  TaskPage: page(ref('Task')),
  TaskList: list(ref('Task')),
  AllowedAction: object({ action: str, taskId: uuid, returnTo: { type: 'array', items: str } }, ['taskId', 'returnTo']),
  Document: {
    ...object({
      id: uuid,
      title: str,
      year: int,
      departmentId: str,
      chain: object({ key: str, version: int, name: ref('Localized') }),
      state: str,
      stateName: ref('Localized'),
      final: bool,
      version: int,
      content: str,
      disclosure: {},
      fields: { type: 'object' },
      number: nullable('string'),
      signing: { oneOf: [ref('Signing'), { type: 'null' }] },
      clock: {},
      dueAt: { type: ['string', 'null'], format: 'date-time' },
      dueProvisional: bool,
      milestones: { type: 'array', items: ref('Milestone') },
      planning: { type: 'array', items: object({ step: str, name: ref('Localized'), latestStart: date, milestone: str, provisional: bool }) },
      openTasks: { type: 'array', items: ref('Task') },
      allowedActions: { type: 'array', items: ref('AllowedAction') },
      createdBy: str,
      createdAt: instant,
      updatedAt: instant,
    }, ['content']),
    description: 'A document as the caller may read it; `content` only where the route says so (GET, create, edit).',
  },
  DocumentPage: page(ref('Document')),
  Signing: {
    ...object({
      mode: str,
      needed: int,
      for: int,
      against: int,
      slots: {
        type: 'array',
        items: object({
          // A seat: a role in the document's department or its office, or a named user.
          signers: { type: 'array', items: object({ id: str, role: str, department: { enum: ['document', 'office'] }, userId: uuid }, ['role', 'department', 'userId']) },
          current: nullable('string'),
          vote: nullable('string'),
        }),
      },
    }),
    description: 'Countersign progress of the current step: each slot\'s signers in order, who is due, and its vote.',
  },
  Milestone: {
    ...object({ key: str, name: ref('Localized'), step: str, dueAt: instant, reached: bool, overdue: bool, daysOverdue: int }),
    description: 'A statutory date of the chain: `overdue` while its date has passed unreached, `daysOverdue` whole Beijing calendar days since it (0 otherwise).',
  },
  MilestoneStanding: {
    ...object(
      {
        key: str,
        dueAt: instant,
        reachedAt: { type: ['string', 'null'], format: 'date-time' },
        met: nullable('boolean'),
        overdue: bool,
        daysOverdue: int,
        disclosure: object({ publishedOn: date, recordedAt: instant, recordedLate: bool }),
      },
      ['disclosure'],
    ),
    description:
      'How a document stands against a statutory date: `met` true (reached by it), false (reached late, or unreached past it: then `overdue`), null (neither yet); ' +
      '`daysOverdue` whole Beijing calendar days from the date to when it was reached or, while `overdue`, to today.',
  },
  Actor: object({ type: { enum: ['user', 'system'] }, id: nullable('string'), role: nullable('string'), departmentId: nullable('string'), onBehalfOf: nullable('string') }),
  History: list(object({ seq: int, at: instant, actor: ref('Actor'), action: str, from: nullable('string'), to: nullable('string'), comment: nullable('string') })),
  Timeline: object({
    documentId: uuid,
    state: str,
    transitions: { type: 'array', items: object({ seq: int, at: instant, action: str, result: str, from: nullable('string'), to: nullable('string'), actor: ref('Actor'), comment: nullable('string'), version: nullable('integer') }) },
    milestones: { type: 'array', items: { allOf: [ref('MilestoneStanding'), object({ name: ref('Localized'), step: str })] } },
  }),
  RedlinePart: object({ op: { enum: ['equal', 'insert', 'delete'] }, text: str }),
  DocumentVersion: {
    ...object(
      {
        version: int,
        title: str,
        content: str,
        fields: { type: 'object' },
        writtenAt: int,
        previousVersion: nullable('integer'),
        latestVersion: int,
        at: instant,
        by: uuid,
        people: { type: 'object', additionalProperties: str },
        diff: object({ against: int, title: { type: 'array', items: ref('RedlinePart') }, content: { type: 'array', items: ref('RedlinePart') } }),
      },
      ['diff'],
    ),
    description:
      'The text at a version: written by the create or edit at `writtenAt` (the last at or before `version`), by `by` at `at`; `previousVersion` is the text before it. ' +
      'With `?diff=w`, `diff` is the redline from version w: paragraphs, and characters inside a rewritten paragraph; equal+delete runs give the older text, equal+insert the newer.',
  },
  Diagram: object({ format: { const: 'mermaid' }, source: str }),
  ProofBundle: {
    ...object({ v: { const: 1 }, documentId: uuid, treeHead: ref('TreeHead'), entries: { type: 'array', items: object({ entry: ref('AuditEntry') }) } }),
    description: 'Check it offline with `shenpi audit verify-bundle FILE --key PUB.pem`.',
  },
  Copied: object({ copiedTo: { type: 'array', items: uuid } }),
  CopyList: list(object({ userId: uuid, copiedBy: uuid, createdAt: instant })),
  CopiesReceived: {
    ...object({
      items: { type: 'array', items: object({ documentId: uuid, title: str, copiedBy: uuid, createdAt: instant, comment: nullable('string'), notificationId: nullable('string'), read: bool }) },
      nextCursor: nullable('string'),
      people: { type: 'object', additionalProperties: str },
    }),
    description: '`read`: whether the caller marked the copy\'s notification read (POST /api/notifications/{notificationId}/read); `people`: the copiers\' display names.',
  },
  Urged: object({ notified: int }),
  Attachment: object({ id: uuid, documentId: uuid, taskId: nullable('string'), name: str, contentType: str, size: int, sha256: hex, uploadedBy: uuid, createdAt: instant, url: str }),
  AttachmentList: list(ref('Attachment')),
  BulkDecisionResult: object({
    results: {
      type: 'array',
      items: object({ taskId: str, statusCode: int, document: object({ id: uuid, state: str, version: int }), code: str, message: str, details: {} }, ['document', 'code', 'message', 'details']),
    },
  }),
  ChainList: list(object({ key: str, name: str, latestVersion: int })),
  ChainVersion: object({ key: str, version: int, name: str, definition: { type: 'object' } }),
  LintFinding: {
    ...object({ path: str, reason: str, message: ref('Localized') }),
    description: 'One lint finding: where (`path`, e.g. `steps[1].transitions[0].to`), why in English (`reason`), and why in both languages for people (`message`, its `en` equal to `reason`).',
  },
  ChainValidation: object({ valid: bool, errors: { type: 'array', items: ref('LintFinding') }, warnings: { type: 'array', items: ref('LintFinding') } }),
  Published: object({ key: str, version: int }),
  MigrationPlan: object({ chainKey: str, toVersion: int, total: int, movable: int, blocked: int, forced: int, items: { type: 'array', items: { type: 'object' } } }),
  MigrationProgress: object({
    id: uuid,
    chainKey: str,
    toVersion: int,
    mapping: { type: 'object' },
    force: bool,
    reason: nullable('string'),
    status: str,
    total: int,
    done: int,
    failed: int,
    failures: { type: 'array' },
    createdBy: uuid,
    createdAt: instant,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  }),
  WorkingDay: object({ date, provisional: bool }),
  CalendarYear: object({
    year: int,
    source: { enum: ['package', 'file', 'uploaded', 'law'] },
    provisional: bool,
    holidays: { type: 'object', additionalProperties: ref('Localized'), description: 'Each day off by date, named as GET /api/calendar/days/{date} names it, whatever the source.' },
    workdays: { type: 'object', additionalProperties: ref('Localized'), description: 'Each adjusted working day (调休) by date, named alike.' },
  }),
  CalendarUploaded: object({ year: int, documentsMoved: int, timersMoved: int, documentsFailed: int }),
  Day: object({ date, working: bool, holiday: ref('Localized'), provisional: bool }, ['holiday']),
  User: object({ id: uuid, username: str, displayName: str, roles: { type: 'array', items: ref('RoleGrant') }, disabled: bool }),
  UserPage: page(ref('User')),
  CreatedUser: object({ id: uuid, username: str, displayName: str, roles: { type: 'array', items: ref('RoleGrant') }, oneTimePassword: str }, ['oneTimePassword']),
  RenamedUser: object({ id: uuid, username: str, displayName: str }),
  HandOver: object({ reassigned: { type: 'array' }, unassigned: { type: 'array' } }),
  UserStatus: object({ id: uuid, username: str, disabled: bool, changed: bool, tasks: ref('HandOver') }, ['tasks']),
  RoleChange: object({ userId: uuid, role: str, departmentId: nullable('string'), roles: { type: 'array', items: ref('RoleGrant') }, tasks: ref('HandOver') }, ['tasks']),
  SupervisionChange: object({ userId: uuid, departmentIds: { type: 'array', items: str }, oversees: { type: 'array', items: str }, tasks: ref('HandOver') }, ['tasks']),
  TasksReassigned: object({ reassigned: int, results: { type: 'array', items: object({ taskId: uuid, documentId: uuid, reassigned: bool }, ['documentId']) } }),
  Department: object({ id: str, name: str, officeId: nullable('string'), issuerCode: nullable('string') }),
  DepartmentList: list(ref('Department')),
  Proxy: object({ id: uuid, userId: uuid, substituteId: uuid, startsAt: instant, endsAt: instant, createdAt: instant, cancelledAt: { type: ['string', 'null'], format: 'date-time' } }),
  ProxyList: list(ref('Proxy')),
  Notification: object({ id: uuid, userId: uuid, kind: str, documentId: nullable('string'), taskId: nullable('string'), message: str, details: {}, createdAt: instant, readAt: { type: ['string', 'null'], format: 'date-time' } }),
  NotificationPage: {
    ...object({ items: { type: 'array', items: ref('Notification') }, nextCursor: nullable('string'), unreadCount: { type: 'integer', minimum: 0 } }),
    description: '`unreadCount`: how many of the caller\'s notifications are unread in all (not only on this page), but the kinds they turned off in the app.',
  },
  NotificationSettings: object({ email: nullable('string'), kinds: { type: 'object', additionalProperties: object({ inApp: bool, email: bool }) } }),
  Overview: object({
    chain: str,
    chainVersion: int,
    year: int,
    generatedAt: instant,
    milestones: { type: 'array', items: object({ key: str, name: ref('Localized'), step: str, dueAt: instant }) },
    departments: { type: 'array', items: object({ departmentId: str, departmentName: str, documentId: nullable('string'), state: nullable('string'), milestones: { type: 'array', items: ref('MilestoneStanding') } }) },
  }),
  AuditEntry: object({
    v: { const: 1 },
    seq: int,
    at: instant,
    category: { enum: ['transition', 'configuration', 'security'] },
    action: str,
    result: {},
    actor: { type: 'object' },
    departmentId: nullable('string'),
    documentId: nullable('string'),
    from: nullable('string'),
    to: nullable('string'),
    details: {},
    prevHash: hex,
    hash: hex,
  }),
  AuditPage: page(ref('AuditEntry')),
  AuditVerification: {
    ...object({ ok: bool }),
    oneOf: [
      { properties: { ok: { const: true }, entries: int, headHash: hex }, required: ['entries', 'headHash'] },
      { properties: { ok: { const: false }, firstBadSeq: int, reason: str }, required: ['firstBadSeq', 'reason'] },
    ],
  },
  Checkpoint: object({ seq: int, hash: hex, at: instant, keyId: str, publicKey: str, signature: str }),
  Checkpoints: object({ keyId: str, publicKey: str, items: { type: 'array', items: ref('Checkpoint') } }),
  CheckpointVerification: object({ ok: bool, signatureValid: bool, entryMatches: bool, chain: { type: 'object' } }, ['chain']),
  TreeHead: object({ treeSize: int, rootHash: hex, timestamp: {}, keyId: str, suite: { enum: ['sha256-ed25519', 'sm3-sm2'] }, signature: str }),
  TreeHeads: list({
    allOf: [ref('TreeHead'), object({ cosignatures: { type: 'array', items: object({ witnessKeyId: str, at: instant }) } })],
    description: 'A stored tree head and the witnesses that cosigned it (POST /api/audit/tree-heads/{treeSize}/cosign).',
  }),
  Cosignature: object({ treeSize: int, witnessKeyId: str, publicKey: str, signature: str, at: instant }),
  InclusionProof: object({ leafIndex: int, treeSize: int, leafHash: hex, auditPath: { type: 'array', items: hex } }),
  ConsistencyProof: object({ first: int, second: int, proof: { type: 'array', items: hex } }),
  Health: object({ status: { const: 'ok' }, database: { const: 'up' }, scheduler: { enum: ['bullmq', 'embedded'] } }),
  Readiness: object(
    { status: { enum: ['ready', 'unavailable'] }, database: { enum: ['up', 'down'] }, migrations: { enum: ['applied', 'pending', 'unknown'] }, redis: { enum: ['up', 'down'] } },
    ['redis'],
  ),
};
