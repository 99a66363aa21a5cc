import { AccessDenied, DomainError, ErrorCode, hiddenCharacterIn, newId, notFound, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import type { AttachmentRow, AttachmentStore } from '@shenpi/persistence';
import { isAssignedTo } from './document/access-rules.js';
import type { DocumentKernel } from './document/document-kernel.js';
import { checkDecider } from './document/separation-of-duties.js';
import type { TransitionUseCase } from './document/transition.use-case.js';
import type { WriterQueue } from './writer-queue.js';

export interface UploadCommand {
  name: string;
  contentType: string;
  data: Buffer;
  expectedVersion?: number;
}

/** Runs of spaces (any kind) push an extension out of sight: "report.pdf      .exe". */
const SPACE_RUN = /\p{Zs}{2,}/u;
const MAX_NAME = 255;

/** The name in NFC (one form of each character, as stored and shown), once it passed the checks. */
function checkedName(name: string): string {
  const normalized = name.normalize('NFC');
  checkAttachmentName(normalized);
  return normalized;
}

/** Refuses a file name that is empty, too long, a path, or hides characters (400 naming `name`). */
function checkAttachmentName(name: string): void {
  const bad = (reason: string) => validationFailed([{ field: 'name', reason }]);
  if (!name.trim()) throw bad('must not be empty');
  if (name.length > MAX_NAME) throw bad(`must be at most ${MAX_NAME} characters`);
  if (/[/\\]/.test(name) || name === '.' || name === '..') throw bad('must be a file name, not a path (no / or \\)');
  const hidden = hiddenCharacterIn(name);
  if (hidden) throw bad(hidden);
  if (SPACE_RUN.test(name)) throw bad('must not contain a run of spaces');
}

/**
 * Files on a document (its drafter, while the step is editable: a change of the document, so it
 * goes through the transition use case and bumps the version) and on a task (its reviewer, while
 * the task is open: named with its SHA-256 in the decision's audit entry). The bytes are stored
 * first, by hash; the row and the audit entry are one transaction.
 */
export class AttachmentUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly transition: TransitionUseCase,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
    readonly store: AttachmentStore,
  ) {}

  async toDocument(p: Principal, documentId: string, upload: UploadCommand): Promise<AttachmentRow> {
    const cmd = { ...upload, name: checkedName(upload.name) };
    const { sha256, size } = await this.store.put(cmd.data);
    const attachment = { id: newId(this.clock.now().getTime()), name: cmd.name, contentType: cmd.contentType, size, sha256 };
    await this.transition.execute({ documentId, action: 'attach', principal: p, attachment, expectedVersion: cmd.expectedVersion });
    return (await this.writer.run((repos) => repos.attachments.get(attachment.id)))!;
  }

  async toTask(p: Principal, taskId: string, upload: UploadCommand): Promise<AttachmentRow> {
    const cmd = { ...upload, name: checkedName(upload.name) };
    const { sha256, size } = await this.store.put(cmd.data);
    return this.writer.run(async (repos) => {
      const documentId = (await repos.tasks.get(taskId))?.documentId;
      if (!documentId) throw notFound('task');
      const { doc, chain } = await this.kernel.open(repos, documentId, p, { action: 'attach', taskId });
      // Read again under the document's lock: a decision may have closed it meanwhile.
      const task = (await repos.tasks.get(taskId))!;
      if (!isAssignedTo(task, p)) {
        throw new AccessDenied(ErrorCode.FORBIDDEN, 'this task is not assigned to you', { action: 'attach', documentId: doc.id, departmentId: doc.departmentId, taskId });
      }
      if (task.status !== 'open') throw new DomainError(ErrorCode.TASK_NOT_OPEN, `the task is ${task.status}`, { status: task.status });
      // A file on the task is part of its decision: only someone who may decide it adds one.
      await checkDecider(repos, p, task, doc, chain.step(task.stepKey), 'attach');
      const at = this.clock.now().toISOString();
      const row: AttachmentRow = { id: newId(this.clock.now().getTime()), documentId: doc.id, taskId, name: cmd.name, contentType: cmd.contentType, size, sha256, uploadedBy: p.id, createdAt: at };
      await repos.attachments.insert(row);
      await this.kernel.tasksChanged(repos, doc);
      await this.kernel.record(repos, doc, {
        action: 'attach',
        actor: { type: 'user', id: p.id, role: task.assigneeRole, departmentId: task.departmentId, onBehalfOf: task.delegatedFrom },
        details: { taskId, attachment: { id: row.id, name: row.name, size, sha256 } },
      });
      return row;
    });
  }

  /** The row and its bytes, for a caller who may read the document (404 otherwise). */
  async download(p: Principal, id: string): Promise<{ attachment: AttachmentRow; data: Buffer }> {
    const attachment = await this.writer.run(async (repos) => {
      const row = await repos.attachments.get(id);
      return row && (await repos.documents.isVisible(p, row.documentId)) ? row : undefined;
    });
    if (!attachment) throw new AccessDenied(ErrorCode.NOT_FOUND, 'attachment not found', { action: 'download-attachment' });
    return { attachment, data: await this.store.read(attachment.sha256) };
  }
}
