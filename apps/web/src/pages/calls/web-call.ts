import { ApiError, describeError } from '../../api/errors';
import type { WebCall } from '../../api/queries';

/** The part of VAPI's web SDK (`@vapi-ai/web`) a call from the browser uses, so tests can stand in for it. */
export interface VapiLike {
  on(event: 'call-start' | 'call-end', listener: () => void): unknown;
  on(event: 'error' | 'camera-error', listener: (error: unknown) => void): unknown;
  start(assistant: string | Record<string, unknown>, overrides: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void> | void;
}

export type VapiFactory = (publicKey: string) => VapiLike;

/**
 * idle → asking (DreamSeed prepares the call) → connecting (microphone, SDK, VAPI) → in-call → ending → ended;
 * failed with words at any step; unavailable when the platform has no VAPI public key (404 web_calls_off).
 */
export type WebCallState =
  | { phase: 'idle' }
  | { phase: 'asking' }
  | { phase: 'connecting'; stage: number }
  | { phase: 'in-call'; stage: number }
  | { phase: 'ending' }
  | { phase: 'ended' }
  | { phase: 'unavailable' }
  | { phase: 'failed'; title: string; message: string };

export interface WebCallDeps {
  /** POST /v1/me/calls/web. */
  requestCall(): Promise<WebCall>;
  /** Asks for the microphone once and lets it go, so that a refusal is told in words before VAPI starts. */
  checkMicrophone(): Promise<void>;
  /** Loads the SDK (lazily, on the founder's click) and makes a client for the key. */
  loadVapi(): Promise<VapiFactory>;
  /** The call is over (hung up, ended by the assistant, or dropped): the calls list should be read again. */
  onEnded(): void;
}

/** Words for the microphone's refusals, by the DOMException names getUserMedia rejects with. */
export function describeMicrophoneError(error: unknown): { title: string; message: string } {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return {
      title: 'Your microphone is blocked',
      message: 'DreamSeed needs your microphone to talk with you. Allow it for this site (the icon beside the address shows the setting), then try again.',
    };
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return { title: 'No microphone found', message: 'We could not find a microphone. Plug one in or use headphones with one, then try again.' };
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return { title: 'Your microphone is busy', message: 'Another app seems to be using your microphone. Close it, then try again.' };
  }
  return {
    title: 'Your microphone is not available',
    message: 'This browser cannot use a microphone on this page. Try a current Chrome, Edge, Firefox or Safari, or let us call your phone instead.',
  };
}

const CONNECTION_LOST = { title: 'The call could not go on', message: 'The connection to the call was lost. You can start a new one, or let us call your phone.' };
const START_FAILED = { title: 'The call did not start', message: 'We could not connect the call. Check your connection, then try again, or let us call your phone.' };

/**
 * One call from the browser at a time: asks DreamSeed for VAPI's public key and the stage's assistant, then
 * starts VAPI's web SDK with them exactly as they came (VAPI's own objects), and follows the call's events.
 */
export class WebCallSession {
  private state: WebCallState = { phase: 'idle' };
  private vapi?: VapiLike;
  /** Counts starts, so that a start the founder cancelled while it waited goes no further. */
  private attempt = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: WebCallDeps) {}

  getState = (): WebCallState => this.state;

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private set(state: WebCallState) {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }

  private get busy() {
    return ['asking', 'connecting', 'in-call', 'ending'].includes(this.state.phase);
  }

  async start(): Promise<void> {
    if (this.busy || this.state.phase === 'unavailable') return;
    const attempt = ++this.attempt;
    const cancelled = () => attempt !== this.attempt;
    this.set({ phase: 'asking' });
    let call: WebCall;
    try {
      call = await this.deps.requestCall();
    } catch (error) {
      if (cancelled()) return;
      if (error instanceof ApiError && error.status === 404 && error.code === 'web_calls_off') this.set({ phase: 'unavailable' });
      else this.fail(describeError(error));
      return;
    }
    if (cancelled()) return;
    this.set({ phase: 'connecting', stage: call.call_stage });
    try {
      await this.deps.checkMicrophone();
    } catch (error) {
      if (!cancelled()) this.fail(describeMicrophoneError(error));
      return;
    }
    let vapi: VapiLike;
    try {
      vapi = (await this.deps.loadVapi())(call.public_key);
    } catch (error) {
      if (!cancelled()) this.fail(describeError(error));
      return;
    }
    if (cancelled()) return;
    this.vapi = vapi;
    this.follow(vapi, call.call_stage);
    const assistant = call.assistant_id ?? call.assistant;
    if (!assistant) {
      this.fail(START_FAILED);
      return;
    }
    try {
      const started = await vapi.start(assistant, call.assistant_overrides);
      // The SDK answers null when it could not start (it says why on its `error` event, handled in follow).
      if (started === null && this.state.phase === 'connecting') this.fail(START_FAILED);
    } catch {
      if (this.vapi === vapi) this.fail(START_FAILED);
    }
  }

  private follow(vapi: VapiLike, stage: number) {
    vapi.on('call-start', () => {
      if (this.vapi === vapi && this.state.phase === 'connecting') this.set({ phase: 'in-call', stage });
    });
    vapi.on('call-end', () => {
      if (this.vapi === vapi) this.end();
    });
    vapi.on('camera-error', (error) => {
      if (this.vapi !== vapi) return;
      this.fail(describeMicrophoneError(mediaErrorOf(error)));
      void Promise.resolve(vapi.stop()).catch(() => undefined);
    });
    vapi.on('error', (error) => {
      if (this.vapi !== vapi) return;
      // The SDK also reports things it recovers from (noise cancellation, recording); only a failed start
      // or Daily's own error, which ends the meeting, end the call here.
      if (this.state.phase === 'connecting') this.fail(START_FAILED);
      else if (this.state.phase === 'in-call' && errorType(error) === 'daily-error') {
        this.fail(CONNECTION_LOST);
        void Promise.resolve(vapi.stop()).catch(() => undefined);
      }
    });
  }

  /** Hangs up; also what leaving the page does, so that no call goes on unseen. */
  async hangUp(): Promise<void> {
    const vapi = this.vapi;
    this.attempt += 1;
    if (!vapi) {
      if (this.busy) this.set({ phase: 'idle' });
      return;
    }
    this.set({ phase: 'ending' });
    try {
      await vapi.stop();
    } finally {
      if (this.vapi === vapi) this.end();
    }
  }

  private end() {
    const hadCall = this.vapi !== undefined;
    this.vapi = undefined;
    this.set({ phase: 'ended' });
    if (hadCall) this.deps.onEnded();
  }

  private fail(problem: { title: string; message: string }) {
    const hadCall = this.vapi !== undefined;
    this.vapi = undefined;
    this.set({ phase: 'failed', title: problem.title, message: problem.message });
    if (hadCall) this.deps.onEnded();
  }
}

const errorType = (error: unknown) => (error && typeof error === 'object' && 'type' in error ? String(error.type) : undefined);

/**
 * Daily reports a refused microphone as `camera-error` with `error.type` (permissions, not-found, mic-in-use):
 * the same refusals as getUserMedia's, named as the DOMException names them.
 */
function mediaErrorOf(event: unknown): DOMException {
  const text = JSON.stringify(event ?? {});
  if (/"type":"permissions"|NotAllowed|blockedBy/.test(text)) return new DOMException('blocked', 'NotAllowedError');
  if (/"type":"not-found"|NotFound/.test(text)) return new DOMException('none', 'NotFoundError');
  if (/"type":"(mic|cam)-in-use"|NotReadable/.test(text)) return new DOMException('busy', 'NotReadableError');
  return new DOMException('unavailable', 'UnknownError');
}
