import { AccessDenied, ErrorCode, newId, validationFailed, type Clock, type Principal } from '@shenpi/domain';
import type { DocumentKernel } from './document/document-kernel.js';
import type { WriterQueue } from './writer-queue.js';

/**
 * 抄送 (copy-to): makes a document readable by named users and tells them. Anyone who holds a
 * role in the document's department, or has had a task on it, may copy it; recipients only read.
 * One audit entry per copy; the document's version does not change (it is not edited).
 */
export class CopyUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly kernel: DocumentKernel,
    private readonly clock: Clock,
  ) {}

  copy(p: Principal, documentId: string, userIds: string[], comment: string): Promise<{ copiedTo: string[] }> {
    return this.writer.run(async (repos) => {
      const { doc } = await this.kernel.open(repos, documentId, p, { action: 'copy-to' });
      const inDepartment = p.grants.some((g) => g.departmentId === doc.departmentId && g.role !== 'supervisor');
      const hadTask = await repos.tasks.hadTaskOn(doc.id, p.id);
      if (!inDepartment && !hadTask) {
        throw new AccessDenied(ErrorCode.FORBIDDEN, 'only the department and its reviewers copy a document', { action: 'copy-to', documentId, departmentId: doc.departmentId });
      }
      const existing = await repos.directory.existingUserIds([...new Set(userIds)]);
      const problems = userIds.flatMap((id, k) =>
        !existing.has(id) ? [{ field: `userIds[${k}]`, reason: 'no such user' }] : id === p.id ? [{ field: `userIds[${k}]`, reason: 'you can already read it' }] : [],
      );
      if (problems.length) throw validationFailed(problems);
      const unique = [...new Set(userIds)];
      const at = this.clock.now().toISOString();
      const copiedTo: string[] = [];
      for (const userId of unique) if (await repos.copies.add(doc.id, userId, p.id, at)) copiedTo.push(userId);
      const message = `抄送：《${doc.title}》${comment ? `：${comment}` : ''} / Copied to you: "${doc.title}"`;
      for (const userId of copiedTo) {
        await repos.notifications.insert({ id: newId(), userId, kind: 'copy-to', documentId: doc.id, taskId: null, message, details: { comment, by: p.id }, createdAt: at, readAt: null });
      }
      // A copy to nobody new changes nothing and logs nothing: asking again cannot grow the document's history.
      if (!copiedTo.length) return { copiedTo };
      await this.kernel.record(repos, doc, {
        action: 'copy-to',
        actor: { type: 'user', id: p.id, role: p.grants.find((g) => g.departmentId === doc.departmentId && g.role !== 'supervisor')?.role ?? null, departmentId: doc.departmentId, onBehalfOf: null },
        details: { recipients: copiedTo, comment },
      });
      return { copiedTo };
    });
  }
}
