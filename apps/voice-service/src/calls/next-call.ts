import type { Stage } from '../assistants/stages';

/** The formation call: the consultation ends with it, and no call is planned after it. */
export const LAST_STAGE: Stage = 4;

/** The stage of the call that follows a completed one at `stage`, or null after the last. */
export function nextStage(stage: number): Stage | null {
  return Number.isInteger(stage) && stage >= 1 && stage < LAST_STAGE ? ((stage + 1) as Stage) : null;
}

/**
 * When the next call is due: at the time the founder agreed (`notBefore`, from `schedule_next_call`), else a
 * fixed delay after the plan is made (NEXT_CALL_DELAY_HOURS).
 */
export function nextCallDue(now: number, delayHours: number, notBefore?: string): Date {
  return notBefore ? new Date(notBefore) : new Date(now + delayHours * 3600 * 1000);
}
