import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import type { WebCall } from '../../api/queries';
import { WebCallSession, type VapiLike, type WebCallDeps } from './web-call';

const CALL: WebCall = {
  public_key: 'pk_test',
  call_stage: 2,
  assistant_id: null,
  assistant: { name: 'Positioning', model: { provider: 'openai' } },
  assistant_overrides: { metadata: { ticket: 'signed' }, variableValues: { stage: 2 } },
  expires_at: '2026-12-06T02:54:13.220Z',
};

/** VAPI's client as the app sees it: events the test fires, and what start and stop were given. */
class FakeVapi implements VapiLike {
  private readonly listeners = new Map<string, ((arg?: unknown) => void)[]>();
  start = vi.fn(async (_assistant: string | Record<string, unknown>, _overrides: Record<string, unknown>): Promise<unknown> => ({ id: 'call-1' }));
  stop = vi.fn(async () => this.emit('call-end'));
  on(event: string, listener: (arg?: unknown) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, arg?: unknown) {
    this.listeners.get(event)?.forEach((listener) => listener(arg));
  }
}

function setUp(overrides: Partial<WebCallDeps> = {}) {
  const vapi = new FakeVapi();
  const factory = vi.fn((_key: string) => vapi);
  const deps = {
    requestCall: vi.fn(async () => CALL),
    checkMicrophone: vi.fn(async () => undefined),
    loadVapi: vi.fn(async () => factory),
    onEnded: vi.fn(),
    ...overrides,
  };
  const session = new WebCallSession(deps);
  const phases: string[] = [];
  session.subscribe(() => phases.push(session.getState().phase));
  return { session, vapi, factory, deps, phases };
}

describe('a call from the browser', () => {
  it('starts VAPI with the key, the assistant and the overrides exactly as DreamSeed gave them', async () => {
    const { session, vapi, factory, phases } = setUp();
    await session.start();
    expect(factory).toHaveBeenCalledWith('pk_test');
    expect(vapi.start).toHaveBeenCalledWith(CALL.assistant, CALL.assistant_overrides);
    expect(vapi.start.mock.calls[0]?.[0]).toBe(CALL.assistant);
    expect(vapi.start.mock.calls[0]?.[1]).toBe(CALL.assistant_overrides);
    expect(phases).toEqual(['asking', 'connecting']);
    vapi.emit('call-start');
    expect(session.getState()).toEqual({ phase: 'in-call', stage: 2 });
  });

  it('passes a saved assistant by its id', async () => {
    const { session, vapi } = setUp({ requestCall: vi.fn(async () => ({ ...CALL, assistant_id: 'asst_1', assistant: null })) });
    await session.start();
    expect(vapi.start).toHaveBeenCalledWith('asst_1', CALL.assistant_overrides);
  });

  it('hangs up, ends, and has the calls read again once', async () => {
    const { session, vapi, deps, phases } = setUp();
    await session.start();
    vapi.emit('call-start');
    await session.hangUp();
    expect(vapi.stop).toHaveBeenCalledTimes(1);
    expect(phases.slice(-2)).toEqual(['ending', 'ended']);
    expect(deps.onEnded).toHaveBeenCalledTimes(1);
  });

  it('ends when the assistant ends the call', async () => {
    const { session, vapi, deps } = setUp();
    await session.start();
    vapi.emit('call-start');
    vapi.emit('call-end');
    expect(session.getState().phase).toBe('ended');
    expect(deps.onEnded).toHaveBeenCalledTimes(1);
  });

  it('says in words that the microphone is blocked, and starts nothing', async () => {
    const { session, deps } = setUp({ checkMicrophone: vi.fn(async () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))) });
    await session.start();
    expect(session.getState()).toMatchObject({ phase: 'failed', title: 'Your microphone is blocked' });
    expect(deps.loadVapi).not.toHaveBeenCalled();
  });

  it('tells a microphone Daily could not open during the call, and stops it', async () => {
    const { session, vapi } = setUp();
    await session.start();
    vapi.emit('camera-error', { type: 'camera-error', error: { error: { type: 'mic-in-use', msg: 'in use' } } });
    expect(session.getState()).toMatchObject({ phase: 'failed', title: 'Your microphone is busy' });
    expect(vapi.stop).toHaveBeenCalled();
  });

  it('is unavailable, without an error, where the platform has no browser calls', async () => {
    const { session, deps } = setUp({ requestCall: vi.fn(async () => Promise.reject(new ApiError(404, 'web_calls_off', 'Calls from the browser are off.'))) });
    await session.start();
    expect(session.getState()).toEqual({ phase: 'unavailable' });
    expect(deps.checkMicrophone).not.toHaveBeenCalled();
  });

  it('fails with words when VAPI cannot start the call', async () => {
    const { session, vapi } = setUp();
    vapi.start.mockImplementationOnce(async () => {
      vapi.emit('error', { type: 'start-method-error' });
      return null;
    });
    await session.start();
    expect(session.getState()).toMatchObject({ phase: 'failed', title: 'The call did not start' });
  });

  it('keeps going through the SDK’s recoverable errors, but not through Daily’s own', async () => {
    const { session, vapi, deps } = setUp();
    await session.start();
    vapi.emit('call-start');
    vapi.emit('error', { type: 'audio-processing-error' });
    expect(session.getState().phase).toBe('in-call');
    vapi.emit('error', { type: 'daily-error' });
    expect(session.getState()).toMatchObject({ phase: 'failed', title: 'The call could not go on' });
    expect(deps.onEnded).toHaveBeenCalledTimes(1);
  });

  it('goes no further when the founder hangs up while the call is being prepared', async () => {
    let answer: (call: WebCall) => void = () => undefined;
    const { session, deps } = setUp({ requestCall: vi.fn(() => new Promise<WebCall>((resolve) => (answer = resolve))) });
    const starting = session.start();
    await session.hangUp();
    answer(CALL);
    await starting;
    expect(session.getState().phase).toBe('idle');
    expect(deps.loadVapi).not.toHaveBeenCalled();
  });

  it('starts once on a double click', async () => {
    const { session, deps } = setUp();
    await Promise.all([session.start(), session.start()]);
    expect(deps.requestCall).toHaveBeenCalledTimes(1);
  });
});
