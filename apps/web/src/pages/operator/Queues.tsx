import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { ErrorNotice, QueryView, Success } from '../../ui/status';
import { useFailedJobs, useQueues, type QueueCounts, type QueueName } from './api';
import { openQueueDashboard } from './dashboard';
import { FailedJobs } from './FailedJobs';

const COUNT_COLUMNS = [
  ['waiting', 'Waiting'],
  ['active', 'Running'],
  ['delayed', 'Delayed'],
  ['prioritized', 'Prioritized'],
  ['failed', 'Failed'],
  ['completed', 'Completed'],
] as const;

const queueTitle = (queue: QueueName) => `${queue[0]?.toUpperCase()}${queue.slice(1)} queue`;

function Counts({ queues }: { queues: QueueCounts[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Jobs in each queue" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Jobs in each queue, by state</caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            {COUNT_COLUMNS.map(([key, label]) => (
              <th scope="col" key={key}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {queues.map((queue) => (
            <tr key={queue.name}>
              <th scope="row">
                {queue.name}
                {queue.paused ? <span className="badge">Paused</span> : null}
              </th>
              {COUNT_COLUMNS.map(([key]) => (
                <td key={key}>{queue.counts[key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QueueFailures({ queue }: { queue: QueueName }) {
  const queryClient = useQueryClient();
  const failed = useFailedJobs(queue);
  const changed = () => Promise.all([['operator', 'queues'], ['operator', 'failed', queue]].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  const id = `failed-${queue}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>Failed in the {queueTitle(queue).toLowerCase()}</h2>
      <QueryView query={failed} what={`the ${queue} queue's failed jobs`}>
        {({ pages }) => {
          const jobs = pages.flatMap((page) => page.jobs);
          return (
            <>
              <FailedJobs queue={queue} jobs={jobs} onChanged={changed} />
              <ShowMore pages={failed} shown={jobs.length} what="failed jobs" />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function DashboardLink() {
  const open = useMutation({ mutationFn: openQueueDashboard });
  function follow(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    open.mutate();
  }
  return (
    <>
      <p>
        <a href="/admin/queues" onClick={follow} aria-disabled={open.isPending || undefined}>
          Open the queue dashboard
        </a>{' '}
        <span className="meta">(opens in a new tab; every command there is in the audit log)</span>
      </p>
      <div aria-live="polite">
        {open.isError ? <ErrorNotice error={open.error} onRetry={() => open.mutate()} /> : null}
        {open.isSuccess ? <Success>The dashboard is open in another tab. It stays signed in while these pages are open.</Success> : null}
      </div>
    </>
  );
}

/** The platform's work queues: how many jobs are where, and the failed ones to retry or discard. */
export function Component() {
  const queues = useQueues();
  return (
    <>
      <PageHeader title="Queues">The work each service has to do, and the jobs that failed.</PageHeader>
      <DashboardLink />
      <QueryView query={queues} what="the queues">
        {({ queues: all }) => {
          const failing = all.filter((queue) => queue.counts.failed > 0);
          return (
            <>
              <section aria-labelledby="counts">
                <h2 id="counts">Jobs in each queue</h2>
                <Counts queues={all} />
              </section>
              {failing.length ? failing.map((queue) => <QueueFailures key={queue.name} queue={queue.name} />) : <p>No failed jobs in any queue.</p>}
            </>
          );
        }}
      </QueryView>
    </>
  );
}
