import { failure } from '@shenpi/engine';
import { createLogger } from './logger.js';

describe('the JSON log', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) };
  };

  it('logs a failure by its type, message and code, never the fields a driver hangs on its error', () => {
    // What a driver's error carries besides its message: the statement's parameters, the row's values.
    const err = Object.assign(new TypeError('duplicate key value violates unique constraint'), { code: '23505', parameters: ['机密正文', 'Secret-Password-1'], detail: 'Key (title)=(机密标题)' });
    const { lines, logger } = capture();
    logger.error({ component: 'notification-feed', ...failure(err) }, 'pass failed');
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 50, component: 'notification-feed', msg: 'pass failed', error: { type: 'TypeError', message: 'duplicate key value violates unique constraint', code: '23505' } });
    for (const secret of ['机密正文', 'Secret-Password-1', '机密标题', 'stack']) expect(lines[0]).not.toContain(secret);
    // What logging the error itself would have written.
    logger.error({ err }, 'raw');
    expect(lines[1]).toContain('Secret-Password-1');
  });

  it('logs what is thrown that is not an Error by its text', () => {
    expect(failure('redis down')).toEqual({ error: { type: 'string', message: 'redis down' } });
  });
});
