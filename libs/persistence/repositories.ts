import type { Alarm } from '@shenpi/domain';
import type { Sql } from './sql.js';
import { AuditEntriesRepository } from './repositories/audit-entries.repository.js';
import { ChainVersionsRepository } from './repositories/chain-versions.repository.js';
import { DeadlinesRepository } from './repositories/deadlines.repository.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { DocumentsRepository } from './repositories/documents.repository.js';
import { NotificationsRepository } from './repositories/notifications.repository.js';
import { TasksRepository } from './repositories/tasks.repository.js';
import { WebhookDeliveriesRepository } from './repositories/webhook-deliveries.repository.js';
import { NumberingRepository } from './repositories/numbering.repository.js';
import { ProxiesRepository } from './repositories/proxies.repository.js';
import { CopiesRepository } from './repositories/copies.repository.js';
import { DocumentContentsRepository } from './repositories/document-contents.repository.js';
import { ChainMigrationsRepository } from './repositories/chain-migrations.repository.js';
import { AttachmentsRepository } from './repositories/attachments.repository.js';
import { AuditCheckpointsRepository } from './repositories/audit-checkpoints.repository.js';
import { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository.js';
import { AuditTreeRepository } from './repositories/audit-tree.repository.js';
import { CalendarYearsRepository } from './repositories/calendar-years.repository.js';
import { EmailOutboxRepository } from './repositories/email-outbox.repository.js';

/** Every repository bound to one connection or transaction. */
export class Repositories {
  /** Timed rows written in this transaction; the writer queue hands them to the alarm clock after commit. */
  readonly alarms: Alarm[] = [];
  /** Told once this transaction committed (the engine's observer hooks); never run if it rolls back. */
  readonly afterCommit: (() => void)[] = [];
  readonly directory: DirectoryRepository;
  readonly documents: DocumentsRepository;
  readonly tasks: TasksRepository;
  readonly chains: ChainVersionsRepository;
  readonly audit: AuditEntriesRepository;
  readonly deadlines: DeadlinesRepository;
  readonly notifications: NotificationsRepository;
  readonly webhooks: WebhookDeliveriesRepository;
  readonly numbering: NumberingRepository;
  readonly proxies: ProxiesRepository;
  readonly copies: CopiesRepository;
  readonly contents: DocumentContentsRepository;
  readonly migrations: ChainMigrationsRepository;
  readonly attachments: AttachmentsRepository;
  readonly checkpoints: AuditCheckpointsRepository;
  readonly idempotency: IdempotencyKeysRepository;
  readonly tree: AuditTreeRepository;
  readonly calendarYears: CalendarYearsRepository;
  readonly emails: EmailOutboxRepository;

  constructor(readonly sql: Sql) {
    this.directory = new DirectoryRepository(sql);
    this.documents = new DocumentsRepository(sql);
    this.tasks = new TasksRepository(sql);
    this.chains = new ChainVersionsRepository(sql);
    this.audit = new AuditEntriesRepository(sql);
    this.deadlines = new DeadlinesRepository(sql, this.alarms);
    this.notifications = new NotificationsRepository(sql);
    this.webhooks = new WebhookDeliveriesRepository(sql, this.alarms);
    this.numbering = new NumberingRepository(sql);
    this.proxies = new ProxiesRepository(sql);
    this.copies = new CopiesRepository(sql);
    this.contents = new DocumentContentsRepository(sql);
    this.migrations = new ChainMigrationsRepository(sql);
    this.attachments = new AttachmentsRepository(sql);
    this.checkpoints = new AuditCheckpointsRepository(sql);
    this.idempotency = new IdempotencyKeysRepository(sql);
    this.tree = new AuditTreeRepository(sql);
    this.calendarYears = new CalendarYearsRepository(sql);
    this.emails = new EmailOutboxRepository(sql);
  }
}
