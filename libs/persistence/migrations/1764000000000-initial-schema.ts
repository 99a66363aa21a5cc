import type { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS = '0'.repeat(64);

const tables = [
  `CREATE TABLE departments (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, office_id TEXT NULL REFERENCES departments(id), created_at TEXT NOT NULL)`,
  `CREATE TABLE users (
     id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
     password_hash TEXT NOT NULL, created_at TEXT NOT NULL)`,
  `CREATE TABLE role_grants (
     user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL,
     department_id TEXT NULL REFERENCES departments(id), created_at TEXT NOT NULL)`,
  `CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, COALESCE(department_id, ''))`,
  `CREATE INDEX role_grants_department ON role_grants (department_id, role)`,
  `CREATE TABLE chain_versions (
     chain_key TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL,
     compiler_version INTEGER NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
     PRIMARY KEY (chain_key, version))`,
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY, chain_key TEXT NOT NULL, chain_version INTEGER NOT NULL, compiler_version INTEGER NOT NULL,
     department_id TEXT NOT NULL REFERENCES departments(id), year INTEGER NOT NULL, title TEXT NOT NULL,
     content TEXT NOT NULL, attributes TEXT NOT NULL, state TEXT NOT NULL, context TEXT NOT NULL, version INTEGER NOT NULL,
     unique_key TEXT NULL UNIQUE, due_at TEXT NULL, created_by TEXT NOT NULL REFERENCES users(id),
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     FOREIGN KEY (chain_key, chain_version) REFERENCES chain_versions(chain_key, version))`,
  `CREATE INDEX documents_department ON documents (department_id, id)`,
  `CREATE TABLE tasks (
     id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id), step_key TEXT NOT NULL,
     round INTEGER NOT NULL, department_id TEXT NOT NULL REFERENCES departments(id), assignee_role TEXT NULL,
     assignee_user_id TEXT NULL REFERENCES users(id), status TEXT NOT NULL, decision TEXT NULL, comment TEXT NULL,
     decided_by TEXT NULL, on_behalf_of TEXT NULL, delegated_from TEXT NULL, due_at TEXT NULL, created_at TEXT NOT NULL, closed_at TEXT NULL)`,
  `CREATE INDEX tasks_document ON tasks (document_id, status)`,
  `CREATE INDEX tasks_inbox_role ON tasks (department_id, assignee_role, status, id)`,
  `CREATE INDEX tasks_inbox_user ON tasks (assignee_user_id, status, id)`,
  `CREATE TABLE audit_entries (
     seq INTEGER PRIMARY KEY, at TEXT NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL, result TEXT NOT NULL,
     actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NULL, actor_department_id TEXT NULL,
     actor_on_behalf_of TEXT NULL, department_id TEXT NULL, document_id TEXT NULL, from_state TEXT NULL,
     to_state TEXT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, canonical TEXT NOT NULL)`,
  `CREATE INDEX audit_document ON audit_entries (document_id, seq)`,
  `CREATE INDEX audit_actor ON audit_entries (actor_id, seq)`,
  `CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL)`,
  `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS}')`,
];

// The audit log is append-only: the database itself refuses edits, whoever connects.
const sqliteTriggers = [
  `CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
     BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END`,
  `CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
     BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END`,
];

const postgresTriggers = [
  `CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$`,
  `CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
     FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`,
  `CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
     FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`,
];

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    for (const statement of [...tables, ...(postgres ? postgresTriggers : sqliteTriggers)]) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    if (postgres) await runner.query('DROP FUNCTION audit_entries_append_only() CASCADE');
    for (const table of ['audit_head', 'audit_entries', 'tasks', 'documents', 'chain_versions', 'role_grants', 'users', 'departments']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
