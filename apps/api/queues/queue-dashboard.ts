import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isGlobalAdmin, type Principal } from '@shenpi/domain';
import { bodyForStatus } from '../http/error-response.js';

/** Where the dashboard is mounted (only when REDIS_URL is set). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ queues' dashboard for global administrators: the same bearer token as the API
 * (none or a bad one: 401; anyone else: 403), checked before any of its routes, pages or files.
 * Its actions (retry, remove) touch only Redis's wake-ups: the deadline and delivery rows in the
 * database stay the truth, and the reconciler enqueues what a removed job left pending.
 */
export async function registerQueueDashboard(fastify: FastifyInstance, queues: readonly Queue[], principalOf: (req: FastifyRequest) => Promise<Principal | undefined>): Promise<void> {
  // Loaded only when mounted: a deployment without Redis never loads the dashboard's UI packages.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([import('@bull-board/api'), import('@bull-board/api/bullMQAdapter'), import('@bull-board/fastify')]);
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      const principal = await principalOf(req);
      if (!principal) return reply.code(401).send(bodyForStatus(401, 'a bearer token is required'));
      (req as { principal?: Principal }).principal = principal;
      if (!isGlobalAdmin(principal)) return reply.code(403).send(bodyForStatus(403, 'the queue dashboard is for global administrators'));
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
