import { notFound, type Clock, type Principal } from '@shenpi/domain';
import type { WriterQueue } from './writer-queue.js';

/** A user marks their own notifications read; anyone else's is not found. */
export class NotificationsUseCase {
  constructor(
    private readonly writer: WriterQueue,
    private readonly clock: Clock,
  ) {}

  async markRead(p: Principal, id: string): Promise<void> {
    const changed = await this.writer.run((repos) => repos.notifications.markRead(id, p.id, this.clock.now().toISOString()));
    if (!changed) throw notFound('notification');
  }
}
