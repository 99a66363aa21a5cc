import { describe, expect, it } from '@jest/globals';
import { errorMessage } from './i18n';

// The API's codes, read from the server's own list (a path the web build does not follow: jest resolves it).
const SERVER_ERRORS = '../../../libs/domain/errors.js';

describe('error messages', () => {
  it('every code the API answers has a sentence in Chinese and one in English, neither naming the code', async () => {
    const { ErrorCode } = (await import(SERVER_ERRORS)) as { ErrorCode: Record<string, string> };
    expect(Object.values(ErrorCode).length).toBeGreaterThan(10);
    for (const code of Object.values(ErrorCode)) {
      const zh = errorMessage(code, 'zh');
      const en = errorMessage(code, 'en');
      expect({ code, zh: /[\u4e00-\u9fff]/.test(zh ?? ''), en: !!en && !/[\u4e00-\u9fff]/.test(en) }).toEqual({ code, zh: true, en: true });
      expect([zh, en].some((text) => text?.includes(code))).toBe(false);
    }
  });
});
