import { attachmentSettingsFromEnv, databaseConfigFromEnv, type AttachmentSettings, type DatabaseConfig } from '@shenpi/persistence';

export interface EngineSettings {
  database: DatabaseConfig;
  attachments: AttachmentSettings;
}

/** Where the engine keeps its data, from the environment (README: DATABASE_URL or SQLITE_PATH, ATTACHMENTS_DIR, ATTACHMENT_MAX_BYTES). */
export function engineSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  return { database: databaseConfigFromEnv(env), attachments: attachmentSettingsFromEnv(env) };
}
