import { formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import type { ActionAnswers, FounderFile } from '../api';

/** How often the file is read again while an action's result is awaited, and for how long at most. */
export const POLL_MS = 3_000;
export const WATCH_MS = 60_000;

/**
 * An action the API accepted (202: queued) whose effect the file will show: what to look for in each fresh read
 * of the file, and, once found (or once a minute passed), what to tell the operator.
 */
export interface Watch {
  id: string;
  title: string;
  startedAt: number;
  /** The words for the result once the file shows it; null while it does not yet. */
  look: (file: FounderFile) => string | null;
  outcome?: { message: string; late: boolean };
}

const ok = <S extends { status: string }>(part: S) => (part.status === 'ok' ? (part as Extract<S, { status: 'ok' }>) : undefined);

/** The run the re-run made (its id is the request id), once it has finished. */
export function lookForRun(answer: ActionAnswers['rerun-analysis']) {
  return (file: FounderFile): string | null => {
    const run = ok(file.dream_dna)?.analyses.find((analysis) => analysis.id === answer.request_id);
    if (!run) return null;
    if (run.status === 'succeeded') return `The analysis ran again and made Dream DNA version ${run.dream_dna_version}.`;
    if (run.status === 'unchanged') return `The analysis ran again and found nothing new: the Dream DNA stays${run.dream_dna_version ? ` at version ${run.dream_dna_version}` : ' empty'}.`;
    if (run.status === 'failed') return `The analysis ran again but failed${run.error ? `: ${run.error}` : '.'}`;
    return null;
  };
}

const sameTime = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) < 1000;

export function lookForPlannedCall(answer: ActionAnswers['reschedule-call']) {
  return (file: FounderFile): string | null => {
    const planned = ok(file.calls)?.planned.some((call) => call.status === 'scheduled' && sameTime(call.scheduled_for, answer.at));
    const onProfile = file.profile.next_call_scheduled !== null && sameTime(file.profile.next_call_scheduled, answer.at);
    return planned || onProfile ? `Call ${answer.call_stage} is planned for ${formatDateTime(answer.at)}.` : null;
  };
}

export function lookForNoPlannedCall() {
  return (file: FounderFile): string | null => {
    const calls = ok(file.calls);
    return calls && !calls.planned.some((call) => call.status === 'scheduled') ? 'The planned call is cancelled.' : null;
  };
}

/** The refund shows once the payment's refunded amount has grown by it. */
export function lookForRefund(answer: ActionAnswers['refund'], refundedBefore: number) {
  return (file: FounderFile): string | null => {
    const payment = ok(file.billing)?.payments.find((p) => p.id === answer.payment_id);
    return payment && (payment.amount_refunded ?? 0) >= refundedBefore + answer.amount ? `Refunded ${formatMoney(answer.amount, answer.currency)}.` : null;
  };
}

/** The watches after a fresh read of the file at `now`: each found, gone late, or still awaited (the same array when none changed). */
export function settle(watches: Watch[], file: FounderFile, now: number): Watch[] {
  let changed = false;
  const next = watches.map((watch) => {
    if (watch.outcome) return watch;
    const found = watch.look(file);
    if (found) {
      changed = true;
      return { ...watch, outcome: { message: found, late: false } };
    }
    if (now - watch.startedAt >= WATCH_MS) {
      changed = true;
      return { ...watch, outcome: { message: 'It was accepted, but the file does not show its result after a minute. The audit log shows what came of it.', late: true } };
    }
    return watch;
  });
  return changed ? next : watches;
}

export const awaiting = (watches: Watch[]) => watches.some((watch) => !watch.outcome);
