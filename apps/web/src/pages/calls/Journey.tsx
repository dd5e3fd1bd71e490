import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useCalls, useProfile, type Call, type PlannedCall, type Profile } from '../../api/queries';
import { formatDateTime, toLocalInput } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { Empty, ErrorNotice, QueryView, Success } from '../../ui/status';
import { SampleCall } from './SampleCall';
import { STAGES, stageName } from './stages';
import { WebCallPanel } from './WebCallPanel';

type StageState = 'done' | 'current' | 'upcoming';

function stageState(profile: Profile, stage: number): StageState {
  const done = [profile.call_1_completed, profile.call_2_completed, profile.call_3_completed, profile.call_4_completed][stage - 1];
  if (done) return 'done';
  return profile.current_call_stage === stage ? 'current' : 'upcoming';
}

const completedAt = (profile: Profile, stage: number) =>
  [profile.call_1_completed_at, profile.call_2_completed_at, profile.call_3_completed_at, profile.call_4_completed_at][stage - 1];

const STATE_WORDS: Record<StageState, string> = { done: 'Done', current: 'Up next', upcoming: 'Later' };

function Stages({ profile }: { profile: Profile }) {
  return (
    <ol className="stages">
      {STAGES.map(({ stage, name, about }) => {
        const state = stageState(profile, stage);
        const at = completedAt(profile, stage);
        return (
          <li key={stage} className={`stage stage-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <h3>
              {stage}. {name} <span className="badge">{STATE_WORDS[state]}</span>
            </h3>
            <p>{about}</p>
            {state === 'done' && at ? <p className="meta">Finished {formatDateTime(at)}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

function NextCall({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string>();
  const [when, setWhen] = useState(() => toLocalInput(new Date(Date.now() + 24 * 3600_000)));
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['me'] }), queryClient.invalidateQueries({ queryKey: ['calls'] })]);
  const plan = useMutation({
    mutationFn: (at?: string) => unwrap(api.POST('/v1/me/calls', { body: at ? { at } : {} })),
    onSuccess: (planned, at) => {
      setNotice(
        at ? `Your ${stageName(planned.call_stage)} call is planned for ${formatDateTime(planned.at)}.` : `We are calling you now for your ${stageName(planned.call_stage)} call.`,
      );
      return refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/me/calls/next')),
    onSuccess: () => {
      setNotice('Your next call is cancelled. Plan a new one whenever you like.');
      return refresh();
    },
  });

  if (profile.current_call_stage > 4) {
    return <Success>All four consultations are done. Your Dream DNA has everything it needs.</Success>;
  }
  function reschedule(event: FormEvent) {
    event.preventDefault();
    setNotice(undefined);
    plan.mutate(new Date(when).toISOString());
  }
  const busy = plan.isPending || cancel.isPending;
  return (
    <section aria-labelledby="next-call">
      <h2 id="next-call">Your next call</h2>
      {profile.next_call_scheduled ? (
        <p>
          Your {stageName(profile.current_call_stage)} call is planned for <strong>{formatDateTime(profile.next_call_scheduled)}</strong>.
        </p>
      ) : (
        <p>Your {stageName(profile.current_call_stage)} call is not planned yet. We can call you now, or at a time that suits you.</p>
      )}
      {!profile.customer_phone ? (
        <p className="notice">
          We call you on your phone. <Link to="/profile">Add your phone number</Link> first.
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => (setNotice(undefined), plan.mutate(undefined))}>
          Call me now
        </button>
        {profile.next_call_scheduled ? (
          <button type="button" disabled={busy} onClick={() => (setNotice(undefined), cancel.mutate())}>
            Cancel the next call
          </button>
        ) : null}
      </div>
      <form className="inline-form" onSubmit={reschedule}>
        <div className="field">
          <label htmlFor="call-at">{profile.next_call_scheduled ? 'Move it to' : 'Plan it for'}</label>
          <input id="call-at" type="datetime-local" value={when} min={toLocalInput(new Date())} onChange={(e) => setWhen(e.target.value)} required />
        </div>
        <button type="submit" disabled={busy}>
          {profile.next_call_scheduled ? 'Reschedule' : 'Plan the call'}
        </button>
      </form>
      <div aria-live="polite">
        {notice ? <Success>{notice}</Success> : null}
        {plan.isError ? <ErrorNotice error={plan.error} onRetry={() => plan.mutate(plan.variables)} /> : null}
        {cancel.isError ? <ErrorNotice error={cancel.error} onRetry={() => cancel.mutate()} /> : null}
      </div>
    </section>
  );
}

function CallItem({ call }: { call: Call }) {
  const minutes = call.duration_seconds ? Math.max(1, Math.round(call.duration_seconds / 60)) : undefined;
  return (
    <li className="card">
      <h3>
        {stageName(call.call_stage)} call <span className="badge">{call.status}</span>
      </h3>
      <p className="meta">
        {call.direction === 'inbound' ? 'You called us' : 'We called you'}
        {call.started_at ? `, ${formatDateTime(call.started_at)}` : ''}
        {minutes ? `, ${minutes} min` : ''}
      </p>
      {call.summary ? <p>{call.summary}</p> : <p className="meta">No summary yet.</p>}
      <p>
        <Link to={`/calls/${call.id}`}>
          Read the transcript<span className="visually-hidden"> of the {stageName(call.call_stage)} call</span>
        </Link>
      </p>
    </li>
  );
}

function Planned({ planned }: { planned: PlannedCall[] }) {
  if (!planned.length) return null;
  return (
    <section aria-labelledby="planned-calls">
      <h2 id="planned-calls">Planned calls</h2>
      <ul className="plain">
        {planned.map((p) => (
          <li key={p.id}>
            {stageName(p.call_stage)}: {formatDateTime(p.scheduled_for)} ({p.status})
            {p.last_error ? (
              <span className="meta"> – {p.status === 'cancelled' ? 'not called' : 'the last try did not get through'}: {p.last_error}</span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Component() {
  const profile = useProfile();
  const calls = useCalls();
  return (
    <>
      <PageHeader title="Your consultations">Four short calls with our AI consultant turn your idea into a plan.</PageHeader>
      <QueryView query={profile} what="your journey">
        {(me) => (
          <>
            <section aria-labelledby="stages">
              <h2 id="stages">The four stages</h2>
              <Stages profile={me} />
            </section>
            <NextCall profile={me} />
            {me.current_call_stage <= 4 ? (
              <>
                <WebCallPanel />
                <SampleCall stage={me.current_call_stage} />
              </>
            ) : null}
          </>
        )}
      </QueryView>
      <QueryView query={calls} what="your calls">
        {({ pages }) => {
          const all = pages.flatMap((page) => page.calls);
          return (
            <>
              <Planned planned={pages[0]?.planned ?? []} />
              <section aria-labelledby="past-calls">
                <h2 id="past-calls">Your calls so far</h2>
                {all.length ? (
                  <>
                    <ul className="cards">
                      {all.map((call) => (
                        <CallItem key={call.id} call={call} />
                      ))}
                    </ul>
                    <ShowMore pages={calls} shown={all.length} what="calls" />
                  </>
                ) : (
                  <Empty>No calls yet. Once you have talked with us, each call's summary and transcript appear here.</Empty>
                )}
              </section>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
