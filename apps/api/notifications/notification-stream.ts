import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '@shenpi/domain';
import type { Engine } from '@shenpi/engine';
import { BARE_SECURITY_HEADERS } from '../http/error-response.js';

/** How often an open stream looks for notifications another process wrote, and checks its caller may still read. */
const POLL_MS = 2000;
const HEARTBEAT_MS = 15_000;

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
  const resume = typeof req.headers['last-event-id'] === 'string' && /^[0-9a-f-]{36}$/i.test(req.headers['last-event-id']) ? req.headers['last-event-id'] : null;
  let last = resume ?? (await engine.inboxReadModel.notificationsAfter(principal, null)).last;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...BARE_SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  raw.write('retry: 3000\n\n');
  let open = true;
  let sending: Promise<void> = Promise.resolve();
  const send = () => {
    sending = sending.then(async () => {
      if (!open) return;
      for (;;) {
        const { items, last: next } = await engine.inboxReadModel.notificationsAfter(principal, last);
        for (const n of items) raw.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
        last = next;
        if (items.length < 50) return;
      }
    }).catch(() => close());
  };
  const poll = setInterval(async () => {
    if (!(await stillValid().catch(() => false))) return close();
    send();
  }, POLL_MS);
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  const mine = listeners.get(principal.id) ?? new Set();
  listeners.set(principal.id, mine.add(send));
  function close() {
    if (!open) return;
    open = false;
    clearInterval(poll);
    clearInterval(heartbeat);
    mine.delete(send);
    if (!mine.size) listeners.delete(principal.id);
    raw.end();
  }
  req.raw.on('close', close);
  send();
}
