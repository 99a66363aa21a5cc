import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { engineSettingsFromEnv } from '@shenpi/engine';
import { logLevelFromEnv, metricsPortFromEnv } from '@shenpi/observability';

export interface ApiConfig {
  port: number;
  /** HOST, default 127.0.0.1: only this machine reaches the service unless told otherwise (the Docker image sets 0.0.0.0). */
  host: string;
  jwtSecret: string;
  /** Where the signing secret came from, for the start-up log (never the secret itself). */
  jwtSecretOrigin: string;
  jwtTtlSeconds: number;
  bodyLimitBytes: number;
  /** The proxies whose X-Forwarded-For is believed (Fastify's `trustProxy`); false: the socket's address is the client's. */
  trustProxy: string | false;
  /** LOG_LEVEL of the JSON log (default info). */
  logLevel: string;
  /** METRICS_PORT: Prometheus's GET /metrics on a port of its own; null (unset): no metrics. */
  metricsPort: number | null;
  /** METRICS_HOST, default 127.0.0.1, as HOST. */
  metricsHost: string;
}

/** `8h`, `30m`, `45s` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 8h, 30m, 3600)`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/**
 * TRUST_PROXY: a comma-separated list of addresses and CIDR blocks (`10.0.0.5, 10.1.0.0/16, ::1`),
 * the reverse proxies in front of the service. Only a request whose socket peer is one of them has
 * its X-Forwarded-For read, from the right, up to the first address not on the list: that is the
 * client's address (login throttling and the audit's `ip` use it). Unset or empty: nobody's
 * X-Forwarded-For is believed. Everything else is refused at start, `true`, hop counts and
 * blocks that cover every address included, since each would let any client name its own address.
 */
export function parseTrustProxy(text: string | undefined): string | false {
  const items = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) return false;
  for (const item of items) {
    const [address, prefix, extra] = item.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || extra !== undefined || !okPrefix) {
      throw new Error(`TRUST_PROXY: "${item}" is not an IP address or CIDR block (give the proxies' addresses, comma-separated, e.g. 10.0.0.5,10.1.0.0/16)`);
    }
    // A block so wide that it takes in clients too would let any of them name its own address.
    const widest = family === 4 ? 8 : 32;
    if (prefix !== undefined && Number(prefix) < widest) throw new Error(`TRUST_PROXY: "${item}" is wider than /${widest}: it would trust clients too; name the proxies`);
    if (family === 6 && /^::ffff:/i.test(address) && prefix !== undefined && Number(prefix) < 104) throw new Error(`TRUST_PROXY: "${item}" takes in IPv4 clients: name the proxies`);
  }
  return items.join(',');
}

/** The directory the generated signing secret is kept in: the SQLite file's, else DATA_DIR (default `data`). */
export function secretDirectory(env: NodeJS.ProcessEnv): string {
  const { database } = engineSettingsFromEnv(env);
  return !database.url && database.sqlitePath && database.sqlitePath !== ':memory:' ? dirname(database.sqlitePath) : env.DATA_DIR || 'data';
}

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * JWT_SECRET when set (at least 32 characters). Otherwise a random 256-bit secret generated on
 * the first start into `jwt-secret` beside the data (mode 0600) and read again on later starts:
 * there is no default secret anyone could read in the source. Several API processes on one
 * database need the same secret: give them JWT_SECRET, or one shared data directory.
 */
export function jwtSecretFromEnv(env: NodeJS.ProcessEnv): { secret: string; origin: string } {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 32) throw new Error('JWT_SECRET must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)');
    return { secret: env.JWT_SECRET, origin: 'JWT_SECRET' };
  }
  const file = join(secretDirectory(env), JWT_SECRET_FILE);
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // Written whole under another name, then linked into place: a second process starting at the
    // same moment either links first (and this one reads its file) or finds this one complete.
    const scratch = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(scratch, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(scratch, 0o600);
    try {
      linkSync(scratch, file);
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(scratch);
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new Error(`${file} holds the token signing secret but others may read it (mode ${mode.toString(8)}): chmod 600 ${file}`);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} must hold a secret of at least 32 characters; delete it to have one generated`);
  return { secret, origin: created ? `a new random secret, generated into ${file} (mode 0600)` : `the secret kept in ${file}` };
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const { secret, origin } = jwtSecretFromEnv(env);
  return {
    port: Number(env.PORT || 3000),
    host: env.HOST || '127.0.0.1',
    jwtSecret: secret,
    jwtSecretOrigin: origin,
    jwtTtlSeconds: parseDuration(env.JWT_TTL || '8h'),
    bodyLimitBytes: Number(env.BODY_LIMIT_BYTES || 1024 * 1024),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    logLevel: logLevelFromEnv(env),
    metricsPort: metricsPortFromEnv(env),
    metricsHost: env.METRICS_HOST || '127.0.0.1',
  };
}
