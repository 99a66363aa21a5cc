import { auditCryptoFromEnv, type AuditCrypto } from '@shenpi/audit';
import { attachmentSettingsFromEnv, databaseConfigFromEnv, type AttachmentSettings, type DatabaseConfig } from '@shenpi/persistence';

export interface EngineSettings {
  database: DatabaseConfig;
  attachments: AttachmentSettings;
  /** AUDIT_CRYPTO: the audit suite a new database is created with (`sm`: SM3 and SM2). */
  auditCrypto?: AuditCrypto;
}

/** Where the engine keeps its data, from the environment (README: DATABASE_URL or SQLITE_PATH, ATTACHMENTS_DIR, ATTACHMENT_MAX_BYTES, AUDIT_CRYPTO). */
export function engineSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  return { database: databaseConfigFromEnv(env), attachments: attachmentSettingsFromEnv(env), auditCrypto: auditCryptoFromEnv(env) };
}
