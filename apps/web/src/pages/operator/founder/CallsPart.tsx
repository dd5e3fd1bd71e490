import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/dates';
import { Field } from '../../../ui/Field';
import { Empty, ErrorNotice } from '../../../ui/status';
import { stageName } from '../../calls/stages';
import { readTranscript, type FounderFile, type Ready, type Transcript } from '../api';
import { MIN_REASON } from '../IntentPanel';

type Calls = Ready<FounderFile['calls']>;
type Call = Calls['calls'][number];

const speaker = (role: string) => (role === 'user' || role === 'customer' ? 'Founder' : role === 'assistant' || role === 'bot' ? 'DreamSeed' : role);

function TranscriptText({ transcript }: { transcript: Transcript }) {
  if (transcript.turns.length) {
    return (
      <ol className="transcript" aria-label="Transcript">
        {transcript.turns.map((turn, i) => (
          <li key={i} className={`turn turn-${speaker(turn.role) === 'Founder' ? 'you' : 'us'}`}>
            <p className="meta">
              <strong>{speaker(turn.role)}</strong>
            </p>
            <p>{turn.content}</p>
          </li>
        ))}
      </ol>
    );
  }
  return transcript.text ? <p className="pre">{transcript.text}</p> : <Empty>This call has no transcript.</Empty>;
}

/** A transcript holds what the founder said: it is read for a stated reason, and the read is in the audit log. */
function TranscriptReader({ founderId, call }: { founderId: string; call: Call }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const read = useMutation({ mutationFn: () => readTranscript(founderId, call.id, reason.trim()) });
  const callName = `the ${stageName(call.call_stage)} call`;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON) return setProblem(`Say why you need to read it, in at least ${MIN_REASON} characters.`);
    setProblem(undefined);
    read.mutate();
  }
  if (read.data) {
    return (
      <>
        <p className="meta">Your read of this transcript is recorded in the audit log, with your reason.</p>
        <TranscriptText transcript={read.data} />
        <p>
          <button type="button" onClick={() => (read.reset(), setReason(''), setAsking(false))}>
            Hide the transcript<span className="visually-hidden"> of {callName}</span>
          </button>
        </p>
      </>
    );
  }
  if (!asking) {
    return (
      <p>
        <button type="button" onClick={() => setAsking(true)}>
          Read transcript<span className="visually-hidden"> of {callName}</span>
        </button>
      </p>
    );
  }
  return (
    <form className="form" onSubmit={submit}>
      <Field
        label="Why you need to read it"
        hint="The transcript is what the founder said. Reading it is recorded in the audit log with your name and this reason."
        value={reason}
        maxLength={500}
        error={problem}
        onChange={(e) => setReason(e.target.value)}
      />
      <div aria-live="polite">{read.isError ? <ErrorNotice error={read.error} onRetry={() => read.mutate()} /> : null}</div>
      <p className="actions">
        <button type="submit" className="primary" disabled={read.isPending}>
          {read.isPending ? 'Opening…' : 'Show the transcript'}
        </button>
        <button type="button" onClick={() => (read.reset(), setAsking(false))} disabled={read.isPending}>
          Cancel
        </button>
      </p>
    </form>
  );
}

const DIRECTION_WORDS: Record<Call['direction'], string> = { inbound: 'They called us', outbound: 'We called them', web: 'From the browser' };

export function CallsPart({ founderId, calls }: { founderId: string; calls: Calls }) {
  return (
    <>
      {calls.planned.length ? (
        <>
          <h3>Planned</h3>
          <ul className="plain">
            {calls.planned.map((p) => (
              <li key={p.id}>
                Call {p.call_stage} ({stageName(p.call_stage)}): {formatDateTime(p.scheduled_for)}, {p.status}
                {p.last_error ? <span className="meta">; last try: {p.last_error}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>No call is planned.</p>
      )}
      <h3>Held</h3>
      {calls.calls.length ? (
        <ul className="call-list">
          {calls.calls.map((call) => (
            <li key={call.id} className="card">
              <h4>
                Call {call.call_stage}: {stageName(call.call_stage)} <span className="badge">{call.status}</span>
              </h4>
              <p className="meta">
                {DIRECTION_WORDS[call.direction]}
                {call.started_at ? `, ${formatDateTime(call.started_at)}` : ''}
                {call.duration_seconds ? `, ${Math.max(1, Math.round(call.duration_seconds / 60))} min` : ''}
              </p>
              {call.summary ? <p>{call.summary}</p> : <p className="meta">No summary.</p>}
              <TranscriptReader founderId={founderId} call={call} />
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No calls held yet.</Empty>
      )}
    </>
  );
}
