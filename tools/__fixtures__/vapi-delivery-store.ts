/**
 * What the platform kept of a run of VAPI deliveries (`tools/vapi-deliveries.ts`), read back once the `voice`
 * queue under the run's prefix has drained: its `vapi-event` jobs (failed, retried, what each one decided) and
 * the `voice.webhook_logs` rows of their events. Reads only: `vapi-delivery-report.ts` judges.
 */
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { sleep, type PayloadSealer } from '@dreamseed/platform';

/** The states of a job that is not finished yet. */
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
/** Jobs read from Redis at a time (a `vapi-event` job carries its sealed body, a few kilobytes). */
const PAGE = 500;
/** Event keys looked up in Postgres at a time. */
const KEYS_PER_QUERY = 2000;
const SAMPLES = 10;

export interface DrainState {
  drained: boolean;
  /** The pending counts when it drained, the wait ran out, or only retries were left. */
  pending: Record<string, number>;
  waitedMs: number;
}

/**
 * Waits until no `vapi-event` job is waiting, active, delayed or prioritized; or until `withinMs` has passed; or
 * until all that is left of them is retries in backoff (jobs that failed before: a run counts each as a problem
 * whether or not a later try succeeds, and their backoff can outlast any wait). Delayed jobs of other names are
 * not waited on: the purge's scheduler always keeps its next run there.
 */
export async function waitForDrain(queue: Queue, withinMs: number, progress: (line: string) => void = () => undefined): Promise<DrainState> {
  const started = Date.now();
  for (let poll = 1; ; poll += 1) {
    const counts = await queue.getJobCounts(...PENDING);
    const pending = Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
    const waitedMs = Date.now() - started;
    if (Object.keys(pending).every((state) => state === 'delayed')) {
      const delayed = (await queue.getJobs(['delayed'], 0, -1)).filter((job) => job.name === 'vapi-event');
      if (!delayed.length) return { drained: true, pending: {}, waitedMs };
      if (delayed.every((job) => job.attemptsMade > 0)) return { drained: false, pending: { retrying: delayed.length }, waitedMs };
    }
    if (waitedMs >= withinMs) return { drained: false, pending, waitedMs };
    if (poll % 20 === 0) progress(`voice queue after ${Math.round(waitedMs / 1000)} s: ${JSON.stringify(pending)}`);
    await sleep(250);
  }
}

/** A job that failed, or waits for a retry, with the delivery it carried (opened). */
export interface UnfinishedJob {
  jobId: string;
  state: string;
  messageType: string;
  attemptsMade: number;
  failedReason: string;
  /** The first lines of the last error's stack, as BullMQ kept them. */
  stack: string;
  /** The webhook body the gateway sealed into the job, or why it could not be opened. */
  body: string;
}

export interface VoiceJobs {
  /** `vapi-event` jobs completed, and per message type what the processor decided (`stored`, `duplicate`, `ignored`). */
  completed: number;
  outcomes: Record<string, Record<string, number>>;
  /** The event key and message type of every completed `vapi-event` job. */
  eventKeys: Map<string, string>;
  failedCount: number;
  failed: UnfinishedJob[];
  /** Completed after more than one try (`attemptsMade > 1`). */
  retriedCount: number;
  retried: { jobId: string; messageType: string; attemptsMade: number }[];
  /** Up to ten `vapi-event` jobs waiting for a retry when the run stopped waiting. */
  stuck: UnfinishedJob[];
  /** Jobs of other names on the voice queue (tool calls can schedule calls), by name and state. */
  otherJobs: Record<string, number>;
}

interface VapiEventData {
  eventKey?: string;
  messageType?: string;
  sealedBody?: string;
}

async function opened(sealer: PayloadSealer, data: VapiEventData): Promise<string> {
  if (!data.sealedBody) return '(no sealed body)';
  try {
    return Buffer.from(await sealer.open(data.sealedBody)).toString('utf8');
  } catch (error) {
    return `(could not open: ${(error as Error).message})`;
  }
}

/** Up to SAMPLES `vapi-event` jobs in a state, oldest first. */
async function unfinished(queue: Queue, state: 'failed' | 'delayed', sealer: PayloadSealer) {
  const jobs = (await queue.getJobs([state], 0, 10 * SAMPLES - 1, true)).filter((job) => job.name === 'vapi-event').slice(0, SAMPLES);
  return Promise.all(
    jobs.map(async (job): Promise<UnfinishedJob> => ({
      jobId: job.id ?? '',
      state: state === 'delayed' ? 'retrying' : state,
      messageType: (job.data as VapiEventData).messageType ?? job.name,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? '',
      stack: (job.stacktrace ?? []).at(-1)?.split('\n').slice(0, 6).join('\n') ?? '',
      body: await opened(sealer, job.data as VapiEventData),
    })),
  );
}

/** Reads every finished job of the voice queue: what each decided, how many tries it took, what failed. */
export async function inspectVoiceJobs(queue: Queue, sealer: PayloadSealer, drained: boolean): Promise<VoiceJobs> {
  const report: VoiceJobs = {
    completed: 0,
    outcomes: {},
    eventKeys: new Map(),
    failedCount: await queue.getJobCountByTypes('failed'),
    failed: await unfinished(queue, 'failed', sealer),
    retriedCount: 0,
    retried: [],
    stuck: drained ? [] : await unfinished(queue, 'delayed', sealer),
    otherJobs: {},
  };
  for (let start = 0; ; start += PAGE) {
    const jobs = await queue.getJobs(['completed'], start, start + PAGE - 1, true);
    for (const job of jobs) {
      if (job.name !== 'vapi-event') {
        report.otherJobs[`${job.name} completed`] = (report.otherJobs[`${job.name} completed`] ?? 0) + 1;
        continue;
      }
      const data = job.data as VapiEventData;
      const type = data.messageType ?? '?';
      const outcome = String((job.returnvalue as { outcome?: unknown } | null)?.outcome ?? 'none');
      report.completed += 1;
      report.outcomes[type] = { ...report.outcomes[type], [outcome]: (report.outcomes[type]?.[outcome] ?? 0) + 1 };
      if (data.eventKey) report.eventKeys.set(data.eventKey, type);
      if (job.attemptsMade > 1) {
        report.retriedCount += 1;
        if (report.retried.length < SAMPLES) report.retried.push({ jobId: job.id ?? '', messageType: type, attemptsMade: job.attemptsMade });
      }
    }
    if (jobs.length < PAGE) break;
  }
  return report;
}

/** The `webhook_logs` status of each event key (absent: no row). */
export async function loggedEvents(db: pg.Pool, eventKeys: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (let start = 0; start < eventKeys.length; start += KEYS_PER_QUERY) {
    const { rows } = await db.query<{ event_key: string; status: string }>('select event_key, status from voice.webhook_logs where event_key = any($1::text[])', [
      eventKeys.slice(start, start + KEYS_PER_QUERY),
    ]);
    for (const row of rows) statuses.set(row.event_key, row.status);
  }
  return statuses;
}

export interface PinnedRows {
  messageType: string;
  status: string;
  rows: number;
  /** Rows whose call has a `voice.call_sessions` row. */
  withSession: number;
}

/** The `webhook_logs` rows of the run's own calls (call ids that begin with the run's prefix), by type and status. */
export async function pinnedRows(db: pg.Pool, callIdPrefix: string): Promise<PinnedRows[]> {
  const { rows } = await db.query<PinnedRows>(
    `select l.message_type as "messageType", l.status, count(*)::int as rows, count(s.id)::int as "withSession"
       from voice.webhook_logs l
       left join voice.call_sessions s on s.vapi_call_id = l.vapi_call_id
      where left(l.vapi_call_id, $2) = $1
      group by 1, 2`,
    [callIdPrefix, callIdPrefix.length],
  );
  return rows;
}
