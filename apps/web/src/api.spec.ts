import { describe, expect, it } from '@jest/globals';
import { ApiError, errorText, fieldErrors } from './api';

describe('the fields a refusal names', () => {
  it('reads a 400’s { field, reason } list and a 409’s field', () => {
    const list = [{ field: 'id', reason: 'id must be a department code' }, { field: 'holidays.2027-02-08', reason: 'missing 春节' }];
    expect(fieldErrors(new ApiError(400, 'VALIDATION_FAILED', 'bad', list))).toEqual({ id: 'id must be a department code', 'holidays.2027-02-08': 'missing 春节' });
    expect(fieldErrors(new ApiError(409, 'CONFLICT', 'department "city-edu" exists', { field: 'id' }))).toEqual({ id: 'department "city-edu" exists' });
    expect(fieldErrors(new ApiError(403, 'FORBIDDEN', 'no', { action: 'disable-user', departmentId: 'city-sti' }))).toEqual({});
    expect(fieldErrors(new Error('network'))).toEqual({});
  });

  it('says the code’s sentence with the fields and reasons', () => {
    const list = [{ field: 'holidays.2027-02-08', reason: 'missing 春节' }];
    expect(errorText(new ApiError(400, 'VALIDATION_FAILED', 'bad', list))).toBe('填写的内容有误：holidays.2027-02-08: missing 春节');
  });
});
