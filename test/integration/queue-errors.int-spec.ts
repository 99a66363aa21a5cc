import { Redis } from 'ioredis';
import { AlarmQueue } from '@shenpi/scheduling';
import type { Log } from '@shenpi/engine';

/** A queue whose Redis is unreachable logs one JSON-able line per failure, not BullMQ's raw error object on stderr. */
describe('a BullMQ queue without Redis', () => {
  it('logs its connection failures through the process log', async () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const log: Log = { info: () => undefined, warn: () => undefined, error: (fields, message) => lines.push({ fields, message }) };
    const printed: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    // Nothing listens on port 1: every connection attempt fails.
    const producer = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 1, retryStrategy: () => 50, lazyConnect: false });
    producer.on('error', () => undefined);
    const queue = new AlarmQueue(producer, `queue-errors-${process.pid}`, 'deadline', log);
    try {
      for (let i = 0; i < 100 && !lines.length; i++) await new Promise((r) => setTimeout(r, 50));
      expect(lines[0]).toEqual({ fields: expect.objectContaining({ component: 'redis', queue: `queue-errors-${process.pid}`, error: expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') }) }), message: 'queue connection failed' });
      expect(printed).toEqual([]);
    } finally {
      console.error = consoleError;
      await queue.queue.close().catch(() => undefined);
      producer.disconnect();
    }
  });
});
