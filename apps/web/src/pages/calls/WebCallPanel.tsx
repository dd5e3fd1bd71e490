import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api, unwrap } from '../../api/client';
import { Success } from '../../ui/status';
import { stageName } from './stages';
import { WebCallSession, type VapiFactory, type VapiLike, type WebCallState } from './web-call';

/** Once the platform said it has no browser calls (404 web_calls_off), the button stays away for this visit. */
let webCallsOff = false;

/** VAPI's SDK and Daily's behind it are large and only needed for a call: they load on the founder's click. */
async function loadVapi(): Promise<VapiFactory> {
  const sdk = await import('@vapi-ai/web');
  // The package is CommonJS: depending on the bundler's interop the class is `default` or `default.default`.
  const Vapi = ((sdk.default as unknown as { default?: typeof sdk.default }).default ?? sdk.default) as typeof sdk.default;
  // avoidEval: Daily then loads its call machine as a script from its CDN instead of running fetched text through
  // Function(), so the page's Content-Security-Policy needs no 'unsafe-eval'.
  return (publicKey) => new Vapi(publicKey, undefined, { avoidEval: true }) as unknown as VapiLike;
}

async function checkMicrophone() {
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('No media devices', 'NotSupportedError');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  stream.getTracks().forEach((track) => track.stop());
}

const STATUS_WORDS: Partial<Record<WebCallState['phase'], string>> = {
  asking: 'Preparing your call…',
  ending: 'Hanging up…',
};

function statusWords(state: WebCallState): string | undefined {
  if (state.phase === 'connecting') return `Connecting your ${stageName(state.stage)} call… Your browser may ask to use your microphone.`;
  if (state.phase === 'in-call') return `In call: your ${stageName(state.stage)} consultation. Speak as you would on the phone.`;
  return STATUS_WORDS[state.phase];
}

/** "Talk now": the current stage's consultation from this browser, with VAPI's web SDK. */
export function WebCallPanel() {
  const queryClient = useQueryClient();
  const [session] = useState(
    () =>
      new WebCallSession({
        requestCall: () => unwrap(api.POST('/v1/me/calls/web')),
        checkMicrophone,
        loadVapi,
        onEnded: () => {
          void queryClient.invalidateQueries({ queryKey: ['calls'] });
          void queryClient.invalidateQueries({ queryKey: ['me'] });
        },
      }),
  );
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const hangUpButton = useRef<HTMLButtonElement>(null);
  const talkButton = useRef<HTMLButtonElement>(null);
  const live = state.phase === 'asking' || state.phase === 'connecting' || state.phase === 'in-call';

  // Leaving the page hangs up: a call must not go on where the founder can no longer see or end it.
  useEffect(() => () => void session.hangUp(), [session]);
  // The button pressed is replaced by the other one: focus follows, so the keyboard stays in place.
  const wasLive = useRef(false);
  useEffect(() => {
    if (live) hangUpButton.current?.focus();
    else if (wasLive.current) talkButton.current?.focus();
    wasLive.current = live;
  }, [live]);

  if (state.phase === 'unavailable') webCallsOff = true;
  if (webCallsOff && state.phase !== 'unavailable') return null;

  const words = statusWords(state);
  return (
    <section aria-labelledby="talk-now">
      <h2 id="talk-now">Talk from this browser</h2>
      <p>No phone nearby? Talk with our consultant here, with your computer's microphone.</p>
      {state.phase === 'unavailable' ? null : (
        <p className="actions">
          {live ? (
            <button type="button" ref={hangUpButton} onClick={() => void session.hangUp()}>
              Hang up
            </button>
          ) : (
            <button type="button" ref={talkButton} disabled={state.phase === 'ending'} onClick={() => void session.start()}>
              Talk now
            </button>
          )}
        </p>
      )}
      <div aria-live="polite">
        {words ? (
          <p className="notice" role="status">
            {state.phase === 'in-call' ? <span className="badge">Live</span> : <span className="spinner" aria-hidden="true" />} {words}
          </p>
        ) : null}
        {state.phase === 'ended' ? <Success>The call has ended. Its summary and transcript appear in your calls below once they are ready.</Success> : null}
        {state.phase === 'unavailable' ? (
          <p className="notice" role="status">
            Calls from the browser are not set up on this platform. We can call your phone instead.
          </p>
        ) : null}
        {state.phase === 'failed' ? (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{state.title}</p>
            <p>{state.message}</p>
          </div>
        ) : null}
      </div>
    </section>
  );
}
