import { AccessDenied, ErrorCode, notFound, type Clock, type Principal } from '@shenpi/domain';
import type { WriterQueue } from './writer-queue.js';

/** A user marks their own notifications read; anyone else's is not found. */
export class NotificationsUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly clock: Clock,
  ) {}

  async markRead(p: Principal, id: string): Promise<void> {
    const owner = await this.writer.run(async (repos) => {
      if (await repos.notifications.markRead(id, p.id, this.clock.now().toISOString())) return p.id;
      return repos.notifications.ownerOf(id);
    });
    // Someone else's notification is not found for the caller, and the attempt is a security entry.
    if (owner && owner !== p.id) throw new AccessDenied(ErrorCode.NOT_FOUND, 'notification not found', { action: 'mark-notification-read' });
    if (!owner) throw notFound('notification');
  }
}
