import { AuthApiError } from '@supabase/auth-js';
import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from './errors';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ApiError.from(new Response(JSON.stringify(body), { status, headers }), body);

describe('errors in words', () => {
  it('gives the API’s own message for a refusal, with its code kept', () => {
    const error = answer(409, { error: { code: 'domain_unavailable', message: 'adabakes.co was taken a moment ago.' } });
    expect(error.code).toBe('domain_unavailable');
    expect(describeError(error)).toEqual({ title: 'That did not work', message: 'adabakes.co was taken a moment ago.', retryable: false });
  });

  it('offers a retry for a network failure, saying what happened', () => {
    const problem = describeError(new TypeError('Failed to fetch'));
    expect(problem).toMatchObject({ title: 'No connection', retryable: true, offline: true });
    expect(problem.message).toMatch(/could not reach DreamSeed/);
  });

  it('says how long to wait after a rate limit', () => {
    const error = answer(429, { error: { code: 'rate_limited', message: 'Too many requests.' } }, { 'retry-after': '30' });
    expect(describeError(error)).toEqual({ title: 'Too many requests', message: 'Too many requests. Try again in 30 seconds.', retryable: true });
  });

  it('says nothing changed when an owner service is busy', () => {
    const problem = describeError(answer(503, { error: { code: 'owner_unavailable', message: 'The billing service did not answer.' } }));
    expect(problem.retryable).toBe(true);
    expect(problem.message).toBe('The billing service did not answer. Nothing was changed. Please try again in a moment.');
  });

  it('copes with an answer that is not the API’s shape', () => {
    const error = answer(502, '<html>Bad gateway</html>');
    expect(error.code).toBe('http_502');
    expect(describeError(error)).toMatchObject({ title: 'Something went wrong on our side', retryable: true });
  });

  it('puts auth-js’s codes in the founder’s words', () => {
    const error = new AuthApiError('Invalid login credentials', 400, 'invalid_credentials');
    expect(describeError(error).message).toBe('That email and password do not match. Check them, or reset your password.');
  });

  it('never shows a bug’s message', () => {
    expect(describeError(new Error('Cannot read properties of undefined'))).toMatchObject({ title: 'Something went wrong', retryable: true });
  });
});
