import { CalendarYearsUseCase } from './calendar-years.use-case.js';
import { NotificationFeed } from './notification-feed.js';
import { EmailOutbox } from './email-outbox.js';
import { AuditLog, AuditTree, CheckpointSigner, checkpointSignatureValid, TreeHasher, TrustedKeys, trustedKeysFromEnv, type AuditCrypto, type AuditSuite, type Checkpoint, type TreeHead, type TrustedKeyInput } from '@shenpi/audit';
import { AccessDenied, DomainError, ErrorCode, isGlobalAdmin, silentAlarmClock, systemActor, systemClock, type AlarmClock, type Clock, type Principal } from '@shenpi/domain';
import { AttachmentStore, Database, Repositories, type AttachmentSettings, type DatabaseConfig } from '@shenpi/persistence';
import { AuthenticationUseCase } from './authentication.use-case.js';
import { ChainCatalog } from './chain-catalog.js';
import { CreateDocumentUseCase } from './document/create-document.use-case.js';
import { DeadlineFiringUseCase } from './deadline-firing.use-case.js';
import { noDeadlines, type DeadlinePlanner } from './deadline-planner.port.js';
import { DirectoryUseCase } from './directory.use-case.js';
import { OrganisationUseCase } from './organisation.use-case.js';
import { NotificationsUseCase } from './notifications.use-case.js';
import { AuditReadModel } from './read-models/audit.read-model.js';
import { ChainReadModel } from './read-models/chain.read-model.js';
import { DirectoryReadModel } from './read-models/directory.read-model.js';
import { DocumentReadModel } from './read-models/document.read-model.js';
import { InboxReadModel } from './read-models/inbox.read-model.js';
import { SupervisionQueries } from './supervision.js';
import { SecurityAudit } from './security-audit.js';
import { StatutoryClockUseCase } from './statutory-clock.use-case.js';
import { TransitionUseCase } from './document/transition.use-case.js';
import { UrgeUseCase } from './urge.use-case.js';
import { CopyUseCase } from './copy.use-case.js';
import { SubstituteUseCase } from './substitute.use-case.js';
import { ChainMigrationUseCase } from './chain-migration.use-case.js';
import { ChainPublishingUseCase } from './chain-publishing.use-case.js';
import { DocumentKernel } from './document/document-kernel.js';
import { AttachmentUseCase } from './attachment.use-case.js';
import { IdempotencyUseCase } from './idempotency.js';
import { WebhookDeliveryUseCase } from './webhook-delivery.use-case.js';
import { WebhookOutbox, type WebhookConfig } from './webhook-outbox.js';
import { WriterQueue } from './writer-queue.js';
import { OpenInboxSweeper } from './open-inbox-sweeper.js';
import { AuditSequencer } from './audit-sequencer.js';
import { OperationsReadModel, quietObserver, type EngineObserver } from './engine-observer.js';
import { ChainLinter, lintBudgetFromEnv, type LintBudget } from './chain-lint/chain-linter.js';
import { failure, quietLog, type Log } from './log.js';

export interface EngineOptions {
  database: DatabaseConfig;
  clock?: Clock;
  /** Chain definitions that ship with the service; published (as a new version if changed) at start. */
  shippedChains?: readonly unknown[];
  /** Computes deadline instants (libs/scheduling's calendar planner); without one, steps get no timers. */
  planner?: DeadlinePlanner;
  /** Where attached files are kept and how large they may be; default `data/attachments`, 20 MiB. */
  attachments?: AttachmentSettings;
  /** Signs audit checkpoints and tree heads (Ed25519, SM2 in the SM suite); default: a key of the suite's scheme that lives as long as the process. */
  checkpointSigner?: CheckpointSigner;
  /**
   * The audit log's cryptography (AUDIT_CRYPTO): `sm` for SM3 and SM2. A new database takes it (standard
   * when unset); an existing one keeps the suite it was created with, and a different one asked for is refused.
   */
  auditCrypto?: AuditCrypto;
  /** Where audited transitions are delivered as signed webhooks (the scheduler sends them). */
  webhooks?: WebhookConfig;
  /** Public keys besides the signer's whose checkpoint signatures count (keys rotated out); default from AUDIT_TRUSTED_KEYS. */
  trustedKeys?: readonly TrustedKeyInput[];
  /** How a slowed login waits (default: real time); tests move their clock instead. */
  loginWait?: (ms: number) => Promise<void>;
  /** Whether the signer's key has been retired since start (read before each signature); default: listed in the trusted keys file. */
  keyRetired?: () => boolean;
  /** Time and memory a chain definition's lint may take; default from LINT_TIME_BUDGET_MS and LINT_MEMORY_BUDGET_MB. */
  lintBudget?: LintBudget;
  /** The process's JSON log (libs/observability's createLogger): background failures, refused logins; default: none. */
  log?: Log;
}

/** The composition root of the use cases: the API, the worker and the CLI each open one. */
export class Engine {
  readonly writer: WriterQueue;
  /** SQLite: sweeps closed tasks out of the list of a role's open tasks (the tests sweep on demand). */
  readonly openInbox: OpenInboxSweeper;
  readonly audit: AuditLog;
  readonly auditTree: AuditTree;
  /** PostgreSQL: gives entries left in the intake their seq after commit (nothing to do on SQLite). */
  readonly auditSequencer: AuditSequencer;
  readonly chains: ChainCatalog;
  private readonly linter: ChainLinter;
  readonly transition: TransitionUseCase;
  readonly createDocument: CreateDocumentUseCase;
  readonly authentication: AuthenticationUseCase;
  readonly directory: DirectoryUseCase;
  readonly organisation: OrganisationUseCase;
  readonly security: SecurityAudit;
  readonly documentReadModel: DocumentReadModel;
  readonly inboxReadModel: InboxReadModel;
  readonly auditReadModel: AuditReadModel;
  readonly directoryReadModel: DirectoryReadModel;
  readonly chainReadModel: ChainReadModel;
  readonly chainPublishing: ChainPublishingUseCase;
  readonly supervision: SupervisionQueries;
  readonly deadlines: DeadlineFiringUseCase;
  readonly webhookDeliveries: WebhookDeliveryUseCase;
  readonly notifications: NotificationsUseCase;
  readonly statutoryClocks: StatutoryClockUseCase;
  readonly urge: UrgeUseCase;
  readonly copies: CopyUseCase;
  readonly substitutes: SubstituteUseCase;
  readonly chainMigrations: ChainMigrationUseCase;
  readonly attachments: AttachmentUseCase;
  readonly idempotency: IdempotencyUseCase;
  readonly calendarYears: CalendarYearsUseCase;
  readonly notificationFeed: NotificationFeed;
  readonly emails: EmailOutbox;
  /** Readiness and backlogs, for the probes and the metrics. */
  readonly operations: OperationsReadModel;
  /** Told of commits, decisions, firings and sequencing (the metrics); plugged in with observe(). */
  private observer: EngineObserver = quietObserver;
  /** Woken after each commit that wrote deadline rows; the scheduler plugs in with useAlarmClock(). */
  readonly alarm: AlarmClock;
  private alarmTarget: AlarmClock = silentAlarmClock;

  private constructor(
    readonly database: Database,
    readonly clock: Clock,
    planner: DeadlinePlanner,
    webhooks: WebhookConfig,
    attachments: AttachmentSettings,
    readonly checkpointSigner: CheckpointSigner,
    lintBudget: LintBudget,
    trustedKeys: readonly TrustedKeyInput[],
    private readonly keyRetired: () => boolean,
    loginWait: ((ms: number) => Promise<void>) | undefined,
    /** The audit log's hash and signature suite, as the database was created with. */
    readonly auditSuite: AuditSuite,
    /** The process's log, which the scheduler's loops write to as well. */
    readonly log: Log,
  ) {
    this.alarm = { wake: (alarms) => this.alarmTarget.wake(alarms) };
    this.writer = new WriterQueue(database, this.alarm, log);
    // The components hold these forwarders, so an observer plugged in later reaches them all.
    const observed: EngineObserver = {
      documentChanged: (chain, action) => this.observer.documentChanged(chain, action),
      writerCommitted: (jobs) => this.observer.writerCommitted(jobs),
      deadlineFired: (kind, lateness) => this.observer.deadlineFired(kind, lateness),
      auditSequenced: (waited) => this.observer.auditSequenced(waited),
    };
    // SQLite: closed tasks leave the list of a role's open tasks in sweeps, after so many changes.
    this.openInbox = new OpenInboxSweeper(this.writer, log);
    this.writer.committed =
      database.kind === 'sqlite'
        ? (jobs) => {
            observed.writerCommitted(jobs);
            this.openInbox.committed(jobs);
          }
        : observed.writerCommitted;
    this.operations = new OperationsReadModel(database);
    const trusted = new TrustedKeys([{ publicKey: checkpointSigner.publicKey }, ...trustedKeys]);
    const hasher = new TreeHasher(auditSuite.hash);
    this.audit = new AuditLog(clock, trusted, hasher);
    this.auditTree = new AuditTree(hasher, trusted, auditSuite);
    this.audit.onAppend(new WebhookOutbox(webhooks, clock).record);
    this.auditSequencer = new AuditSequencer(database, this.writer, this.audit, log);
    this.auditSequencer.sequenced = observed.auditSequenced;
    this.writer.afterAuditEnqueued = () => this.auditSequencer.settle();
    const settleAudit = () => this.auditSequencer.flush();
    this.chains = new ChainCatalog(this.audit, clock);
    this.idempotency = new IdempotencyUseCase(database, this.writer, clock);
    // The one door every change to a document passes.
    const kernel = new DocumentKernel(this.chains, this.audit, planner, (divergence) => {
      // Its own transaction, after the refused one rolled back; a failure to record it is logged, not thrown.
      this.security.stateDiverged(divergence).catch((err) => log.error({ component: 'security-audit', documentId: divergence.documentId, ...failure(err) }, 'state-diverged entry not written'));
    }, observed.documentChanged);
    this.transition = new TransitionUseCase(this.writer, kernel, clock, planner, this.idempotency);
    this.createDocument = new CreateDocumentUseCase(this.writer, this.chains, kernel, clock, planner, this.idempotency);
    this.deadlines = new DeadlineFiringUseCase(this.writer, kernel, this.transition, clock, new Repositories(database.reader), log, observed.deadlineFired);
    this.webhookDeliveries = new WebhookDeliveryUseCase(database, this.writer, clock);
    this.authentication = new AuthenticationUseCase(database, this.writer, this.audit, clock, log, loginWait);
    this.directory = new DirectoryUseCase(this.writer, this.audit, clock);
    this.security = new SecurityAudit(this.writer, this.audit);
    this.documentReadModel = new DocumentReadModel(database, this.chains, planner, clock, this.auditTree, () => this.signTreeHead(), settleAudit);
    this.inboxReadModel = new InboxReadModel(database, this.chains);
    this.auditReadModel = new AuditReadModel(database, this.audit, this.auditTree, settleAudit);
    this.directoryReadModel = new DirectoryReadModel(database);
    this.chainReadModel = new ChainReadModel(database, this.chains);
    this.linter = new ChainLinter(lintBudget);
    this.chainPublishing = new ChainPublishingUseCase(database, this.writer, this.chains, this.linter);
    this.supervision = new SupervisionQueries(database, this.chains, planner, clock, settleAudit);
    this.notifications = new NotificationsUseCase(this.writer, clock);
    this.statutoryClocks = new StatutoryClockUseCase(this.writer, kernel, clock, planner);
    this.urge = new UrgeUseCase(this.writer, kernel, clock);
    this.copies = new CopyUseCase(this.writer, kernel, clock);
    this.substitutes = new SubstituteUseCase(this.writer, this.transition, this.audit, clock, this.security);
    this.chainMigrations = new ChainMigrationUseCase(this.writer, this.chains, this.audit, clock, kernel, log);
    this.organisation = new OrganisationUseCase(this.writer, new Repositories(database.reader), this.audit, clock, this.chains, this.transition, kernel);
    this.notificationFeed = new NotificationFeed(this.writer, this.chains, clock);
    this.emails = new EmailOutbox(this.writer, clock);
    this.calendarYears = new CalendarYearsUseCase(this.writer, new Repositories(database.reader), this.audit, clock, kernel, planner, log);
    this.attachments = new AttachmentUseCase(this.writer, this.transition, kernel, clock, new AttachmentStore(attachments));
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const database = await Database.open(options.database);
    let suite: AuditSuite;
    let toRecord: boolean;
    let signer: CheckpointSigner;
    try {
      ({ suite, toRecord } = await AuditLog.suiteOf(new Repositories(database.reader), options.auditCrypto));
      signer = options.checkpointSigner ?? CheckpointSigner.ephemeral(suite.signature);
      if (signer.scheme !== suite.signature) {
        throw new Error(`the audit log uses ${suite.name}: its signing key must be ${suite.signature === 'sm2' ? 'an SM2' : 'an Ed25519'} key, not ${signer.scheme === 'sm2' ? 'SM2' : 'Ed25519'}`);
      }
    } catch (err) {
      await database.close();
      throw err;
    }
    const engine = new Engine(
      database,
      options.clock ?? systemClock,
      options.planner ?? noDeadlines,
      options.webhooks ?? { urls: [] },
      options.attachments ?? { dir: 'data/attachments', maxBytes: 20 * 1024 * 1024 },
      signer,
      options.lintBudget ?? lintBudgetFromEnv(),
      options.trustedKeys ?? trustedKeysFromEnv(),
      options.keyRetired ?? (() => false),
      options.loginWait,
      suite,
      options.log ?? quietLog,
    );
    engine.auditSequencer.start();
    if (toRecord) await engine.writer.run((repos) => engine.audit.recordSuite(repos, systemActor('startup')));
    for (const definition of options.shippedChains ?? []) {
      await engine.writer.run((repos) => engine.chains.publishShipped(repos, definition, systemActor('startup')));
    }
    return engine;
  }

  /**
   * Records the working-day calendar in force when it differs from the one last recorded: the
   * years whose data changed, before and after (a deployment adding next year's notice, say).
   */
  async recordCalendar(years: Record<string, { sha256: string; source: string }>): Promise<string[]> {
    await this.auditSequencer.flush();
    return this.writer.run(async (repos) => {
      const [last] = await repos.audit.search({ category: 'configuration', action: 'calendar-data' }, null, 1);
      const previous = (last ? JSON.parse(last.details).calendar : {}) as typeof years;
      const changed = [...new Set([...Object.keys(previous), ...Object.keys(years)])].filter((y) => previous[y]?.sha256 !== years[y]?.sha256).sort();
      if (!changed.length) return [];
      const pick = (from: typeof years) => Object.fromEntries(changed.filter((y) => from[y]).map((y) => [y, from[y]]));
      await this.audit.append(repos, {
        category: 'configuration',
        action: 'calendar-data',
        actor: systemActor('startup'),
        details: { changedYears: changed, before: pick(previous), after: pick(years), calendar: years },
      });
      return changed;
    });
  }

  /** Signs the audit chain's head (nothing when it is already the latest checkpoint). */
  async checkpoint(): Promise<Checkpoint | null> {
    this.refuseRetiredKey();
    await this.auditSequencer.flush();
    return this.writer.run((repos) => this.audit.checkpoint(repos, this.checkpointSigner));
  }

  /**
   * After `audit rotate-key` lists this process's key as retired, it signs nothing more with it
   * (its signatures from then on could never be trusted): a restart takes the new key.
   */
  private refuseRetiredKey(): void {
    if (this.keyRetired()) {
      throw new DomainError(ErrorCode.CONFLICT, 'the audit signing key was retired (audit rotate-key): restart the service to sign with the new key', { keyId: this.checkpointSigner.keyId });
    }
  }

  /**
   * Extends the audit tree to the end of the log (a batch per transaction, so the writers wait for
   * no long job) and signs a tree head of it, unless one of that size exists.
   */
  async signTreeHead(): Promise<TreeHead | null> {
    this.refuseRetiredKey();
    await this.auditSequencer.flush();
    for (let size = -1; ; ) {
      const grown = await this.writer.run((repos) => this.auditTree.extend(repos));
      if (grown === size) break;
      size = grown;
    }
    return this.writer.run((repos) => this.auditTree.signHead(repos, this.checkpointSigner, this.clock.now().toISOString()));
  }

  /**
   * The checkpoints signed before the log became a Merkle tree, restated as tree heads of their
   * sizes (signed now): each one that still holds (signed by a pinned key, its entry unchanged).
   * One that does not is left as it is, for verify to name. Returns how many were adopted.
   */
  async adoptCheckpoints(): Promise<number> {
    await this.signTreeHead();
    return this.writer.run(async (repos) => {
      const size = await repos.tree.size();
      let adopted = 0;
      for (const c of await repos.checkpoints.all()) {
        if (c.seq > size || (await repos.tree.headOfSize(c.seq))) continue;
        const [entry] = await repos.audit.range(c.seq - 1, 1);
        if (entry?.hash !== c.hash || !checkpointSignatureValid(c, this.audit.trusted)) continue;
        await this.auditTree.signHeadAt(repos, this.checkpointSigner, c.seq, this.clock.now().toISOString());
        adopted++;
      }
      return adopted;
    });
  }

  /** A witness's signature over a tree head it checked (`shenpi audit witness`): supervisors and administrators. */
  cosignTreeHead(p: Principal, treeSize: number, witness: { publicKey: string; signature: string }) {
    if (!isGlobalAdmin(p) && !p.grants.some((g) => g.role === 'supervisor')) {
      throw new AccessDenied(ErrorCode.FORBIDDEN, 'only supervisors and administrators cosign tree heads', { action: 'cosign-tree-head' });
    }
    return this.writer.run((repos) => this.auditTree.cosign(repos, treeSize, witness, this.clock.now().toISOString()));
  }

  /** Health: the database answers a trivial read. */
  async ping(): Promise<void> {
    await this.database.reader.one('SELECT 1 AS ok');
  }

  /** Plugs in the metrics (one observer per engine; quiet until then). */
  observe(observer: EngineObserver): void {
    this.observer = observer;
  }

  useAlarmClock(alarm: AlarmClock): void {
    this.alarmTarget = alarm;
  }

  async close(): Promise<void> {
    await this.chainMigrations.stop();
    await this.linter.close();
    await this.openInbox.stop();
    await this.writer.idle();
    await this.auditSequencer.stop();
    await this.audit.close();
    await this.database.close();
  }
}
