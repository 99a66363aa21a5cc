import { logLevelFromEnv, metricsPortFromEnv } from './index.js';

describe('operations settings from the environment', () => {
  it('METRICS_PORT: a port number, or no metrics when unset; anything else refused at start', () => {
    expect(metricsPortFromEnv({})).toBeNull();
    expect(metricsPortFromEnv({ METRICS_PORT: '' })).toBeNull();
    expect(metricsPortFromEnv({ METRICS_PORT: '9464' })).toBe(9464);
    expect(() => metricsPortFromEnv({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT must be a port number, not "nine"/);
    expect(() => metricsPortFromEnv({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => metricsPortFromEnv({ METRICS_PORT: '-1' })).toThrow(/METRICS_PORT/);
  });

  it('LOG_LEVEL: info by default, one of pino levels, else refused at start', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of .*not "loud"/);
  });
});
