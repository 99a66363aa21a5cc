import { AuditLog } from '@shenpi/audit';
import { systemActor, systemClock, type Clock } from '@shenpi/domain';
import { Database, type DatabaseConfig } from '@shenpi/persistence';
import { AuthenticationUseCase } from './authentication.use-case.js';
import { ChainCatalog } from './chain-catalog.js';
import { CreateDocumentUseCase } from './create-document.use-case.js';
import { DirectoryUseCase } from './directory.use-case.js';
import { Queries } from './queries.js';
import { SecurityAudit } from './security-audit.js';
import { TransitionUseCase } from './transition.use-case.js';
import { WriterQueue } from './writer-queue.js';

export interface EngineOptions {
  database: DatabaseConfig;
  clock?: Clock;
  /** Chain definitions that ship with the service; published (as a new version if changed) at start. */
  shippedChains?: readonly unknown[];
}

/** The composition root of the use cases: the API, the worker and the CLI each open one. */
export class Engine {
  readonly writer: WriterQueue;
  readonly audit: AuditLog;
  readonly chains: ChainCatalog;
  readonly transition: TransitionUseCase;
  readonly createDocument: CreateDocumentUseCase;
  readonly authentication: AuthenticationUseCase;
  readonly directory: DirectoryUseCase;
  readonly security: SecurityAudit;
  readonly queries: Queries;

  private constructor(
    readonly database: Database,
    readonly clock: Clock,
  ) {
    this.writer = new WriterQueue(database);
    this.audit = new AuditLog(clock);
    this.chains = new ChainCatalog(this.audit, clock);
    this.transition = new TransitionUseCase(this.writer, this.chains, this.audit, clock);
    this.createDocument = new CreateDocumentUseCase(this.writer, this.chains, this.audit, clock);
    this.authentication = new AuthenticationUseCase(database, this.writer, this.audit);
    this.directory = new DirectoryUseCase(this.writer, this.audit, clock);
    this.security = new SecurityAudit(this.writer, this.audit);
    this.queries = new Queries(database, this.chains, this.audit);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const database = await Database.open(options.database);
    const engine = new Engine(database, options.clock ?? systemClock);
    for (const definition of options.shippedChains ?? []) {
      await engine.writer.run((repos) => engine.chains.publish(repos, definition, systemActor('startup')));
    }
    return engine;
  }

  async close(): Promise<void> {
    await this.writer.run(async () => undefined);
    await this.database.close();
  }
}
