import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../lib/dates';
import { Field } from '../../ui/Field';
import { ErrorNotice, Success } from '../../ui/status';
import { commandJob, type JobCommand, type QueueName } from './api';

export interface FailedJobRow {
  id: string;
  name: string;
  failed_reason: string;
  attempts_made: number;
  failed_at: string | null;
}

const COMMAND_WORDS: Record<JobCommand, { button: string; confirm: string; done: string }> = {
  retry: { button: 'Retry', confirm: 'Retry the job', done: 'The job is waiting to run again.' },
  discard: { button: 'Discard', confirm: 'Discard the job for good', done: 'The job is discarded.' },
};

/** Retry or discard, each confirmed once more with an optional reason for the audit log. */
function JobCommands({ queue, job, onChanged }: { queue: QueueName; job: FailedJobRow; onChanged: () => unknown }) {
  const [command, setCommand] = useState<JobCommand>();
  const [reason, setReason] = useState('');
  const send = useMutation({
    mutationFn: (chosen: JobCommand) => commandJob(queue, job.id, chosen, reason.trim() || undefined),
    onSuccess: () => onChanged(),
  });
  if (send.isSuccess) return <Success>{COMMAND_WORDS[send.variables].done}</Success>;
  if (!command) {
    return (
      <p className="actions">
        {(['retry', 'discard'] as const).map((c) => (
          <button key={c} type="button" onClick={() => setCommand(c)}>
            {COMMAND_WORDS[c].button}
            <span className="visually-hidden"> the {job.name} job</span>
          </button>
        ))}
      </p>
    );
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (command) send.mutate(command);
  }
  return (
    <form className="form" onSubmit={submit}>
      <Field
        label="Why (optional, kept in the audit log)"
        hint="If you say why, at least 3 characters."
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
        autoFocus
      />
      <div aria-live="polite">{send.isError ? <ErrorNotice error={send.error} onRetry={() => send.mutate(command)} /> : null}</div>
      <p className="actions">
        <button type="submit" className={command === 'discard' ? 'danger' : 'primary'} disabled={send.isPending || (reason.trim().length > 0 && reason.trim().length < 3)}>
          {send.isPending ? 'Sending…' : COMMAND_WORDS[command].confirm}
        </button>
        <button type="button" onClick={() => (send.reset(), setCommand(undefined))} disabled={send.isPending}>
          Back
        </button>
      </p>
    </form>
  );
}

/** Failed jobs of one queue: what each was, why it failed, and retry or discard. */
export function FailedJobs({ queue, jobs, onChanged }: { queue: QueueName; jobs: FailedJobRow[]; onChanged: () => unknown }) {
  return (
    <ul className="jobs">
      {jobs.map((job) => (
        <li key={job.id} className="card">
          <h3>
            {job.name} <span className="meta">({queue} queue, job {job.id})</span>
          </h3>
          <p className="pre">{job.failed_reason}</p>
          <p className="meta">
            {job.attempts_made === 1 ? 'Tried once' : `Tried ${job.attempts_made} times`}
            {job.failed_at ? `, last failed ${formatDateTime(job.failed_at)}` : ''}.
          </p>
          <JobCommands queue={queue} job={job} onChanged={onChanged} />
        </li>
      ))}
    </ul>
  );
}
