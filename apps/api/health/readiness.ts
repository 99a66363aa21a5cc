import { Redis } from 'ioredis';
import type { Engine } from '@shenpi/engine';

/** How long a dependency may take to answer a probe before it counts as down. */
const PROBE_TIMEOUT_MS = 1000;

export interface ReadinessReport {
  ready: boolean;
  database: 'up' | 'down';
  migrations: 'applied' | 'pending' | 'unknown';
  /** Only when REDIS_URL is set. */
  redis?: 'up' | 'down';
}

/**
 * What `GET /health/ready` asks: the database answers and holds every migration this code needs,
 * and Redis (when configured) answers PING. Its own Redis connection, which never queues a
 * command while disconnected, so a probe against a Redis that is down answers at once.
 */
export class Readiness {
  private readonly redis: Redis | null;

  constructor(
    private readonly engine: Engine,
    redisUrl?: string,
  ) {
    this.redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: PROBE_TIMEOUT_MS, retryStrategy: () => PROBE_TIMEOUT_MS }) : null;
    // A Redis that is down is the probe's answer, not an error to log on every retry.
    this.redis?.on('error', () => undefined);
  }

  async check(): Promise<ReadinessReport> {
    const [{ database, migrations }, redis] = await Promise.all([this.engine.operations.readiness(), this.redis ? this.pingRedis(this.redis) : undefined]);
    return { ready: database === 'up' && migrations === 'applied' && redis !== 'down', database, migrations, ...(redis ? { redis } : {}) };
  }

  private async pingRedis(redis: Redis): Promise<'up' | 'down'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), PROBE_TIMEOUT_MS)));
    const ping = (async () => {
      if (redis.status === 'wait') await redis.connect();
      return (await redis.ping()) === 'PONG' ? ('up' as const) : ('down' as const);
    })().catch(() => 'down' as const);
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.redis?.disconnect();
  }
}
