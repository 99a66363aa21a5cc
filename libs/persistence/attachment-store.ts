import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface AttachmentSettings {
  /** Where files are kept, by SHA-256 (the same bytes are stored once). */
  dir: string;
  /** The largest file accepted (413 above it). */
  maxBytes: number;
}

/** ATTACHMENTS_DIR (default `data/attachments`, beside the SQLite file) and ATTACHMENT_MAX_BYTES (default 20 MiB). */
export function attachmentSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AttachmentSettings {
  const maxBytes = Number(env.ATTACHMENT_MAX_BYTES || 20 * 1024 * 1024);
  if (!Number.isInteger(maxBytes) || maxBytes < 1) throw new Error(`ATTACHMENT_MAX_BYTES must be a positive integer, not "${env.ATTACHMENT_MAX_BYTES}"`);
  return { dir: env.ATTACHMENTS_DIR || 'data/attachments', maxBytes };
}

/**
 * Files on disk, addressed by their SHA-256. A file is written to a temporary name, flushed and
 * renamed, so a crash never leaves a partial file under a hash; it is written before the
 * transaction that records it, so a rolled-back upload leaves at most an unreferenced file.
 */
export class AttachmentStore {
  constructor(readonly settings: AttachmentSettings) {}

  async put(data: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = this.path(sha256);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path).catch(async (err) => {
      await rm(tmp, { force: true });
      throw err;
    });
    return { sha256, size: data.length };
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.path(sha256));
  }

  private path(sha256: string): string {
    return join(this.settings.dir, sha256.slice(0, 2), sha256);
  }
}
