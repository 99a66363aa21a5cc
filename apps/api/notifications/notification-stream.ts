import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, type Principal } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';
import { BARE_SECURITY_HEADERS } from '../http/error-response.js';

/** How often an open stream looks for notifications another process wrote, and checks its caller may still read. */
const POLL_MS = 2000;
const HEARTBEAT_MS = 15_000;
/** Open streams a user may hold in one process (tabs, devices); one more is refused with 429. */
const MAX_STREAMS_PER_USER = 10;

/** Open streams of this process, by user: the notification feed of this process wakes them at once. */
const listeners = new Map<string, Set<() => void>>();

export function wakeStreams(userIds: string[]): void {
  for (const id of userIds) for (const wake of listeners.get(id) ?? []) wake();
}

/**
 * Server-sent events: each new notification of the caller as `event: notification` with its id (a
 * reconnecting EventSource sends Last-Event-ID and gets what it missed). Polls every 2 s for what
 * another process wrote, and is woken at once by this process's feed. Ends when the caller may no
 * longer read (logged out, disabled: `stillValid`), or when the client goes.
 */
export async function streamNotifications(engine: Engine, req: FastifyRequest, reply: FastifyReply, principal: Principal, stillValid: () => Promise<boolean>): Promise<void> {
  if ((listeners.get(principal.id)?.size ?? 0) >= MAX_STREAMS_PER_USER) {
    throw new DomainError(ErrorCode.RATE_LIMITED, `at most ${MAX_STREAMS_PER_USER} notification streams are open at once for one user`);
  }
  const lastEventId = req.headers['last-event-id'];
  const resume = typeof lastEventId === 'string' && /^[0-9a-f-]{36}$/i.test(lastEventId) ? lastEventId.toLowerCase() : null;
  let last = resume ?? (await engine.inboxReadModel.notificationsAfter(principal, null)).last;
  // The client may have gone while this looked: nothing to open then.
  if (req.raw.destroyed) return;
  reply.hijack();
  const raw = reply.raw;
  let open = true;
  const mine = listeners.get(principal.id) ?? new Set();
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(poll);
    clearInterval(heartbeat);
    mine.delete(send);
    if (!mine.size) listeners.delete(principal.id);
    raw.end();
  };
  let sending: Promise<void> = Promise.resolve();
  // One look at a time; a client that reads slowly is waited for (drain), never buffered for without bound.
  const send = () => {
    sending = sending
      .then(async () => {
        for (let full = true; open && full; ) {
          const { items, last: next } = await engine.inboxReadModel.notificationsAfter(principal, last);
          for (const n of items) if (!raw.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
          last = next;
          full = items.length === 50;
        }
      })
      .catch(() => close());
  };
  const poll = setInterval(async () => {
    if (!(await stillValid().catch(() => false))) return close();
    send();
  }, POLL_MS);
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  req.raw.on('close', close);
  listeners.set(principal.id, mine.add(send));
  raw.writeHead(200, { ...BARE_SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  raw.write('retry: 3000\n\n');
  send();
}
