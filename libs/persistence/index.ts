export * from './sql.js';
export * from './database.js';
export * from './repositories.js';
export type { DepartmentRow, UserRow } from './repositories/directory.repository.js';
export type { DocumentRow, DocumentFilter } from './repositories/documents.repository.js';
export type { TaskRow, TaskStatus, InboxRow } from './repositories/tasks.repository.js';
export type { ChainVersionRow } from './repositories/chain-versions.repository.js';
export type { AuditRow, AuditFilter } from './repositories/audit-entries.repository.js';
