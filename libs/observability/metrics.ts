import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine, EngineObserver } from '@shenpi/engine';

/** Seconds: from a millisecond up to a slow request (the HTTP and sequencer histograms). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds late: a poller's tick up to a day of downtime. */
const LATENESS_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21_600, 86_400];
/** Jobs per SQLite commit (MAX_BATCH is 200). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 200];

/**
 * The Prometheus series of one process (API or worker), in a registry of its own (several apps in
 * one test process never share one). The engine reports through EngineObserver; HTTP latency is
 * observed by the request hook; queue depth and backlogs are read when scraped.
 */
export class Metrics implements EngineObserver {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly decisions: Counter<'chain' | 'action'>;
  private readonly batches: Histogram;
  private readonly lateness: Histogram<'kind'>;
  private readonly sequencerWait: Histogram;
  /** One child per method, route and status: an observation is then a lookup, not a label hash. */
  private readonly httpChildren = new Map<string, { observe(value: number): void }>();

  constructor(engine: Engine, options: { prefix?: string } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: options.prefix ?? '' });
    this.http = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, in seconds',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.decisions = new Counter({
      name: 'shenpi_decisions_total',
      help: 'Committed changes to documents by chain and audited action (approve, return, submit, remind, escalate, …)',
      labelNames: ['chain', 'action'],
      registers,
    });
    this.batches = new Histogram({ name: 'shenpi_writer_batch_size', help: 'Jobs per committed writer transaction (SQLite group commit; 1 on PostgreSQL)', buckets: BATCH_BUCKETS, registers });
    new Gauge({
      name: 'shenpi_writer_queue_depth',
      help: 'Write jobs waiting or under way',
      registers,
      collect() {
        this.set(engine.writer.depth);
      },
    });
    this.lateness = new Histogram({
      name: 'shenpi_deadline_lateness_seconds',
      help: 'How long after its instant a deadline row fired, by kind (reminder, due, escalation, auto-action)',
      labelNames: ['kind'],
      buckets: LATENESS_BUCKETS,
      registers,
    });
    this.sequencerWait = new Histogram({
      name: 'shenpi_audit_sequencer_wait_seconds',
      help: 'PostgreSQL: how long an audit entry waited in the intake before it got its seq',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    // Read when scraped, in one query per outbox: kept apart so a scrape reads the database once.
    let backlogs: ReturnType<Engine['operations']['backlogs']> | null = null;
    const readBacklogs = () => (backlogs ??= engine.operations.backlogs().finally(() => setImmediate(() => (backlogs = null))));
    new Gauge({
      name: 'shenpi_backlog',
      help: 'Rows waiting by outbox: webhook deliveries and e-mails not yet sent (webhook, email), audit entries not yet sequenced (audit-intake), audit entries the notification feed has not read (notification-feed)',
      labelNames: ['outbox'],
      registers,
      async collect() {
        for (const [outbox, b] of Object.entries(await readBacklogs())) this.set({ outbox }, b.pending);
      },
    });
    new Gauge({
      name: 'shenpi_backlog_oldest_seconds',
      help: 'Age of the oldest waiting row by outbox (0 when none waits); for audit-intake the sequencer lag, for notification-feed the feed lag',
      labelNames: ['outbox'],
      registers,
      async collect() {
        // The engine's clock stamped the rows.
        const now = engine.clock.now().getTime();
        for (const [outbox, b] of Object.entries(await readBacklogs())) this.set({ outbox }, b.oldestAt ? Math.max(0, (now - Date.parse(b.oldestAt)) / 1000) : 0);
      },
    });
  }

  /** Called once per answered request by the request hook (route: the pattern, never the raw URL). */
  observeRequest(method: string, route: string, status: number, ms: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.httpChildren.get(key);
    if (!child) this.httpChildren.set(key, (child = this.http.labels(method, route, String(status))));
    child.observe(ms / 1000);
  }

  documentChanged(chain: string, action: string): void {
    this.decisions.inc({ chain, action });
  }

  writerCommitted(jobs: number): void {
    this.batches.observe(jobs);
  }

  deadlineFired(kind: string, latenessMs: number): void {
    this.lateness.observe({ kind }, Math.max(0, latenessMs) / 1000);
  }

  auditSequenced(waitedMs: readonly number[]): void {
    for (const ms of waitedMs) this.sequencerWait.observe(ms / 1000);
  }

  /** The text a scrape answers. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
