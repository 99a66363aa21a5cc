import { apiConfigFromEnv, DEV_JWT_SECRET, parseDuration } from './config.js';

describe('API configuration', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect([parseDuration('8h'), parseDuration('30m'), parseDuration('45'), parseDuration('2d')]).toEqual([28800, 1800, 45, 172800]);
    expect(() => parseDuration('8 hours')).toThrow(/not a duration/);
  });
  it('refuses to start in production with the development secret', () => {
    expect(() => apiConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(apiConfigFromEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
    expect(apiConfigFromEnv({}).jwtSecret).toBe(DEV_JWT_SECRET);
  });
});
