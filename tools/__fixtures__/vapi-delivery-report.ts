/**
 * The verdicts of a run of VAPI deliveries (`tools/vapi-deliveries.ts`): what is wrong with one answer, the
 * platform's warnings, the run's problems (one line per broken expectation), and the report as text.
 */
import { validateVapiReply, type VapiMessageType } from '@dreamseed/testing';
import type { PinnedRows, VoiceJobs } from './vapi-delivery-store';

export type FindingKind = 'server error' | 'unexpected status' | 'no answer' | 'invalid reply' | 'reply not JSON' | 'refused' | 'refusal not in our error shape';
/** Kinds that fail the run whatever their number; `refused` (a 4xx) fails only above the run's `max4xxShare`. */
const ALWAYS_WRONG: FindingKind[] = ['server error', 'unexpected status', 'no answer', 'invalid reply', 'reply not JSON', 'refusal not in our error shape'];

export interface Finding {
  kind: FindingKind;
  type: string;
  status: number | string;
  answer: string;
  /** The delivery, cut down (`shortJson`). */
  delivery: string;
  detail?: string;
}

export interface TypeResult {
  type: VapiMessageType;
  /** VAPI waits for the answer (a `ServerMessageResponse*` schema). */
  sync: boolean;
  /** Requests sent, copies included. */
  sent: number;
  duplicates: number;
  /** Deliveries with a call id of the run's own. */
  pinned: number;
  /** By HTTP status, or `no answer`. */
  statuses: Record<string, number>;
  findings: Partial<Record<FindingKind, number>>;
  /** The run's call ids of the deliveries answered 2xx: each one is a distinct event. */
  acceptedPinned: Set<string>;
}

export interface VapiDeliveryReport {
  seed: number;
  queuePrefix: string;
  callIdPrefix: string;
  results: TypeResult[];
  /** Up to 20 of each kind. */
  findings: Finding[];
  drain?: { drained: boolean; pending: Record<string, number>; waitedMs: number };
  jobs?: VoiceJobs;
  /** The `webhook_logs` rows of the run's own calls. */
  rows?: PinnedRows[];
  /** The platform's warnings and errors, by message and error. */
  platformLog: { level: 'warn' | 'error'; msg: string; count: number; example: string }[];
  timings: Record<'startMs' | 'sendMs' | 'drainMs' | 'checkMs' | 'totalMs', number>;
  problems: string[];
}

/** Long strings and deep structures cut down, so that a delivery fits in a failure message. */
function abbreviate(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 40)}…[${value.length} chars]` : value;
  if (!value || typeof value !== 'object') return value;
  if (depth >= 4) return Array.isArray(value) ? `[… ${value.length} items]` : `{… ${Object.keys(value).length} keys}`;
  if (Array.isArray(value)) return value.slice(0, 3).map((item) => abbreviate(item, depth + 1)).concat(value.length > 3 ? [`… ${value.length - 3} more`] : []);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, abbreviate(inner, depth + 1)]));
}

/** A JSON text cut down for a message (any other text cut at the limit). */
export function shortJson(text: string, limit = 1500): string {
  let shown: string;
  try {
    shown = JSON.stringify(abbreviate(JSON.parse(text)));
  } catch {
    shown = text;
  }
  return shown.length > limit ? `${shown.slice(0, limit)}…` : shown;
}

/** What is wrong with the answer to a delivery of `type`, if anything. */
export function classify(type: VapiMessageType, sync: boolean, status: number | 'no answer', text: string): { kind: FindingKind; detail?: string } | undefined {
  if (status === 'no answer') return { kind: 'no answer', detail: text };
  if (status >= 500) return { kind: 'server error' };
  if (status < 200 || (status >= 300 && status < 400)) return { kind: 'unexpected status' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return status < 300 ? { kind: 'reply not JSON' } : { kind: 'refusal not in our error shape' };
  }
  if (status >= 400) {
    const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const shaped = typeof error?.code === 'string' && typeof error.message === 'string';
    return shaped ? { kind: 'refused', detail: `${error.code}: ${error.message}` } : { kind: 'refusal not in our error shape' };
  }
  if (!sync) return undefined;
  const validation = validateVapiReply(type, json);
  return validation.ok ? undefined : { kind: 'invalid reply', detail: validation.errors.join('; ') };
}

/** The platform's log lines at warn or above, grouped by message and error (a line that is not JSON counts when it names an error). */
export function platformLog(output: string): VapiDeliveryReport['platformLog'] {
  const groups = new Map<string, VapiDeliveryReport['platformLog'][number]>();
  for (const line of output.split('\n')) {
    let entry: { level?: number; msg?: string; err?: { message?: string; code?: string; class?: string } };
    try {
      entry = line.startsWith('{') ? (JSON.parse(line) as typeof entry) : { level: /error|unhandled|exception/i.test(line) ? 50 : 0, msg: line.slice(0, 200) };
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 40) continue;
    const level = (entry.level ?? 0) >= 50 ? 'error' : 'warn';
    const error = entry.err ? [entry.err.class, entry.err.code, entry.err.message?.slice(0, 120)].filter(Boolean).join(' ') : '';
    const msg = `${entry.msg}${error ? ` (${error})` : ''}`;
    const group = groups.get(`${level} ${msg}`) ?? { level, msg, count: 0, example: line.slice(0, 600) };
    group.count += 1;
    groups.set(`${level} ${msg}`, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export interface Observed {
  /** The `webhook_logs` status of each event key of a completed job. */
  logged: Map<string, string>;
  /** `/health/ready` of the gateway and the voice service after the run: a status or an error. */
  health: (number | string)[];
  exitCode: number | null;
}

const isDone = (status: string | undefined) => status === 'processed' || status === 'ignored';

/** Every expectation of the run, as one line per broken one. */
export function judge(report: VapiDeliveryReport, max4xxShare: number, { logged, health, exitCode }: Observed): string[] {
  const problems: string[] = [];
  for (const result of report.results) {
    for (const kind of ALWAYS_WRONG) if (result.findings[kind]) problems.push(`${result.type}: ${result.findings[kind]} × ${kind}`);
    const refused = result.findings.refused ?? 0;
    if (refused > max4xxShare * result.sent) problems.push(`${result.type}: ${refused} of ${result.sent} deliveries valid in VAPI's schema refused with a 4xx (at most ${max4xxShare * 100}% may be)`);
  }
  const fallbacks = report.platformLog.filter((line) => line.msg.includes('fallback sent')).reduce((sum, line) => sum + line.count, 0);
  if (fallbacks) problems.push(`the gateway answered ${fallbacks} synchronous deliveries with its fallback: the voice service failed or was late (see the platform log)`);
  for (const line of report.platformLog.filter((entry) => entry.level === 'error')) problems.push(`the platform logged an error ${line.count} × "${line.msg}"`);
  if (exitCode !== null) problems.push(`the platform exited (${exitCode}) during the run`);
  ['gateway', 'voice service'].forEach((app, i) => {
    if (health[i] !== 200) problems.push(`${app} /health/ready answered ${health[i]} after the run`);
  });

  const { jobs, drain, rows = [] } = report;
  if (!jobs || !drain) return problems;
  if (drain.pending.retrying) problems.push(`${drain.pending.retrying} vapi-event jobs were waiting for a retry ${drain.waitedMs} ms after the last delivery`);
  else if (!drain.drained) problems.push(`the voice queue had not drained ${drain.waitedMs} ms after the last delivery: ${JSON.stringify(drain.pending)}`);
  if (jobs.failedCount) problems.push(`${jobs.failedCount} voice jobs failed`);
  if (jobs.retriedCount) problems.push(`${jobs.retriedCount} vapi-event jobs completed only after a retry`);

  const notDone = [...jobs.eventKeys].filter(([key]) => !isDone(logged.get(key)));
  if (notDone.length) {
    const examples = notDone.slice(0, 5).map(([key, type]) => `${type} ${JSON.stringify(key.slice(0, 120))}: ${logged.get(key) ?? 'no row'}`);
    problems.push(`${notDone.length} of ${jobs.eventKeys.size} completed vapi-event jobs have no processed or ignored webhook_logs row, e.g. ${examples.join('; ')}`);
  }
  for (const result of report.results.filter((r) => !r.sync)) {
    const ofType = rows.filter((row) => row.messageType === result.type);
    const done = ofType.filter((row) => isDone(row.status)).reduce((sum, row) => sum + row.rows, 0);
    if (done !== result.acceptedPinned.size) {
      problems.push(`${result.type}: ${done} webhook_logs rows processed or ignored for the run's ${result.acceptedPinned.size} accepted deliveries with a call id of its own`);
    }
    for (const row of ofType.filter((r) => !isDone(r.status))) problems.push(`${result.type}: ${row.rows} webhook_logs rows of the run's calls left ${row.status}`);
    const sessionless = ofType.filter((row) => row.status === 'processed').reduce((sum, row) => sum + row.rows - row.withSession, 0);
    if (sessionless) problems.push(`${result.type}: ${sessionless} processed events of the run's calls have no call_sessions row`);
  }
  return problems;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The report as text: one line per type, then the unfinished jobs, the findings, the platform's warnings and the problems. */
export function formatReport(report: VapiDeliveryReport): string {
  const { timings: t, jobs, rows = [] } = report;
  const sent = report.results.reduce((sum, r) => sum + r.sent, 0);
  const lines = [
    `VAPI deliveries (seed ${report.seed}, queue prefix ${report.queuePrefix}, call ids ${report.callIdPrefix}-…)`,
    `  ${sent} deliveries in ${seconds(t.totalMs)}: platform start ${seconds(t.startMs)}, generate and send ${seconds(t.sendMs)} (${Math.round(sent / (t.sendMs / 1000 || 1))}/s), drain ${seconds(t.drainMs)}, checks ${seconds(t.checkMs)}`,
    `  ${'type'.padEnd(36)} ${'sent'.padStart(6)} ${'copies'.padStart(6)} ${'own'.padStart(5)}  statuses | own calls' rows | job outcomes`,
  ];
  for (const r of report.results) {
    const statuses = Object.entries(r.statuses).map(([status, count]) => `${status}×${count}`).join(' ');
    const stored = rows.filter((row) => row.messageType === r.type).map((row) => `${row.status} ${row.rows}`).join(', ') || '-';
    const outcomes = Object.entries(jobs?.outcomes[r.type] ?? {}).map(([outcome, count]) => `${outcome} ${count}`).join(', ');
    const columns = r.sync ? 'answered (VAPI waits on it)' : `${stored} of ${r.acceptedPinned.size} | ${outcomes}`;
    lines.push(`  ${r.type.padEnd(36)} ${String(r.sent).padStart(6)} ${String(r.duplicates).padStart(6)} ${String(r.pinned).padStart(5)}  ${statuses} | ${columns}`);
  }
  if (jobs) {
    lines.push(`  voice queue: ${jobs.completed} vapi-event jobs completed, ${jobs.failedCount} failed, ${jobs.retriedCount} retried; other jobs ${JSON.stringify(jobs.otherJobs)}`);
    for (const job of [...jobs.failed, ...jobs.stuck]) {
      lines.push(`  ${job.state} job ${job.jobId} (${job.messageType}, ${job.attemptsMade} tries): ${job.failedReason}`, `    ${job.stack.replace(/\n/g, '\n    ')}`, `    delivery: ${shortJson(job.body, 1200)}`);
    }
    for (const job of jobs.retried) lines.push(`  retried: ${job.jobId} (${job.messageType}) completed after ${job.attemptsMade} tries`);
  }
  const findings = [...report.findings].sort((a, b) => Number(a.kind === 'refused') - Number(b.kind === 'refused')).slice(0, 20);
  for (const f of findings) lines.push(`  ${f.kind}: ${f.type} → ${f.status} ${f.answer.slice(0, 300)}${f.detail ? ` (${f.detail.slice(0, 400)})` : ''}`, `    delivery: ${f.delivery}`);
  for (const entry of report.platformLog.slice(0, 15)) lines.push(`  platform ${entry.level} ${entry.count} × ${entry.msg}`, `    ${entry.example.slice(0, 400)}`);
  lines.push(report.problems.length ? `  ${report.problems.length} problems:\n    ${report.problems.join('\n    ')}` : '  no problems');
  return `${lines.join('\n')}\n`;
}
