import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiConfigFromEnv, JWT_SECRET_FILE, jwtSecretFromEnv, parseDuration, parseTrustProxy, secretDirectory } from './config.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
const freshDir = () => mkdtempSync(join(tmpdir(), 'shenpi-config-'));

describe('API configuration', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect([parseDuration('8h'), parseDuration('30m'), parseDuration('45'), parseDuration('2d')]).toEqual([28800, 1800, 45, 172800]);
    expect(() => parseDuration('8 hours')).toThrow(/not a duration/);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise', () => {
    const env = { SQLITE_PATH: join(freshDir(), 'shenpi.sqlite') };
    expect(apiConfigFromEnv(env).host).toBe('127.0.0.1');
    expect(apiConfigFromEnv({ ...env, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('TRUST_PROXY: addresses and CIDR blocks, comma-separated; nothing else, and no block of every address', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy(' ')).toBe(false);
    expect(parseTrustProxy('10.0.0.5')).toBe('10.0.0.5');
    expect(parseTrustProxy(' 10.0.0.5, 10.1.0.0/16 ,::1, fd00::/48')).toBe('10.0.0.5,10.1.0.0/16,::1,fd00::/48');
    for (const bad of ['true', '1', '*', 'loopback', 'proxy.internal', '10.0.0.0/33', '10.0.0.0/8/1', '::/129', '10.0.0.5,nonsense']) {
      expect(() => parseTrustProxy(bad)).toThrow(/TRUST_PROXY: .* not an IP address or CIDR block/);
    }
    expect(() => parseTrustProxy('0.0.0.0/0')).toThrow(/wider than \/8/);
    expect(() => parseTrustProxy('::/0')).toThrow(/wider than \/32/);
    // Blocks wide enough to take in clients as well: any of them could then name its own address.
    expect(() => parseTrustProxy('0.0.0.0/1,128.0.0.0/1')).toThrow(/wider than \/8/);
    expect(() => parseTrustProxy('::ffff:0:0/96')).toThrow(/takes in IPv4 clients/);
    expect(parseTrustProxy('10.0.0.0/8,fd00::/32')).toBe('10.0.0.0/8,fd00::/32');
    expect(apiConfigFromEnv({ SQLITE_PATH: join(freshDir(), 's.sqlite'), TRUST_PROXY: '127.0.0.1' }).trustProxy).toBe('127.0.0.1');
  });

  it('has no signing secret in its source: none of apps/ or libs/ holds the old development secret or falls back from JWT_SECRET', () => {
    const files = ['apps', 'libs'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const old = ['shenpi', 'development', 'secret'].join('-');
    const found = files.filter((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return text.includes(old) || /DEV_JWT_SECRET|JWT_SECRET\s*(\|\||\?\?)/.test(text);
    });
    expect(found).toEqual([]);
    // Two fresh installations: two different random 256-bit secrets.
    const a = jwtSecretFromEnv({ SQLITE_PATH: join(freshDir(), 'shenpi.sqlite') }).secret;
    const b = jwtSecretFromEnv({ SQLITE_PATH: join(freshDir(), 'shenpi.sqlite') }).secret;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });

  it('without JWT_SECRET: the first start writes a random secret beside the database with mode 0600, later starts reuse it', () => {
    const dir = freshDir();
    const env = { SQLITE_PATH: join(dir, 'db', 'shenpi.sqlite') };
    const first = apiConfigFromEnv(env);
    const file = join(dir, 'db', JWT_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(first.jwtSecretOrigin).toBe(`a new random secret, generated into ${file} (mode 0600)`);
    const second = apiConfigFromEnv(env);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.jwtSecretOrigin).toBe(`the secret kept in ${file}`);
    // PostgreSQL: DATA_DIR, else ./data.
    expect(secretDirectory({ DATABASE_URL: 'postgres://db/shenpi', DATA_DIR: '/var/lib/shenpi' })).toBe('/var/lib/shenpi');
    expect(secretDirectory({ DATABASE_URL: 'postgres://db/shenpi' })).toBe('data');
    expect(secretDirectory({})).toBe('data');
  });

  it('refuses a secret file others may read, a short one, and a short JWT_SECRET', () => {
    const dir = freshDir();
    const env = { SQLITE_PATH: join(dir, 'shenpi.sqlite') };
    jwtSecretFromEnv(env);
    chmodSync(join(dir, JWT_SECRET_FILE), 0o644);
    expect(() => jwtSecretFromEnv(env)).toThrow(/others may read it \(mode 644\)/);
    expect(() => apiConfigFromEnv({ ...env, JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(apiConfigFromEnv({ ...env, JWT_SECRET: 'x'.repeat(32) })).toMatchObject({ jwtSecret: 'x'.repeat(32), jwtSecretOrigin: 'JWT_SECRET' });
  });
});
