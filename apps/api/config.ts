export const DEV_JWT_SECRET = 'shenpi-development-secret-change-me';

export interface ApiConfig {
  port: number;
  host: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  bodyLimitBytes: number;
}

/** `8h`, `30m`, `45s` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 8h, 30m, 3600)`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const jwtSecret = env.JWT_SECRET || DEV_JWT_SECRET;
  if (env.NODE_ENV === 'production' && jwtSecret === DEV_JWT_SECRET) {
    throw new Error('JWT_SECRET must be set in production: refusing to start with the development secret');
  }
  return {
    port: Number(env.PORT || 3000),
    host: env.HOST || '0.0.0.0',
    jwtSecret,
    jwtTtlSeconds: parseDuration(env.JWT_TTL || '8h'),
    bodyLimitBytes: Number(env.BODY_LIMIT_BYTES || 1024 * 1024),
  };
}
