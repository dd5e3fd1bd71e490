import type { endOfCallReport } from './message';

type Report = ReturnType<typeof endOfCallReport>;

/**
 * What an end-of-call report holds, fitted to the columns it is stored in. VAPI's schema bounds none of its
 * numbers or dates, so a value a column cannot hold (a cost past numeric(12,6), a year past 9999) is left out
 * and named in `refused`, and the rest of the report is stored: one odd field never fails the whole call.
 */
export function storableReport(report: Report): { report: Report; refused: string[] } {
  const refused: string[] = [];
  const fit = <T>(field: string, value: T | null, ok: (value: T) => boolean, why: string): T | null => {
    if (value === null || ok(value)) return value;
    refused.push(`${field} (${why})`);
    return null;
  };
  /** Fits numeric(precision, scale) once Postgres has rounded it to `scale` places (999999.9999996 does not fit (12,6)). */
  const numeric = (precision: number, scale: number) => (value: number) =>
    Number.isFinite(value) && Math.abs(value) < 1e15 && Math.abs(Number(value.toFixed(scale))) < 10 ** (precision - scale);
  const storableDate = (value: Date) => value.getUTCFullYear() >= 1 && value.getUTCFullYear() <= 9999;
  let turnsRefused = 0;
  const turns = report.turns.map((turn) => {
    const secondsFromStart = turn.secondsFromStart === null || numeric(10, 3)(turn.secondsFromStart) ? turn.secondsFromStart : null;
    const durationSeconds = turn.durationSeconds === null || numeric(10, 3)(turn.durationSeconds) ? turn.durationSeconds : null;
    if (secondsFromStart !== turn.secondsFromStart || durationSeconds !== turn.durationSeconds) turnsRefused += 1;
    return { ...turn, secondsFromStart, durationSeconds };
  });
  if (turnsRefused) refused.push(`the timing of ${turnsRefused} turn(s) (out of range)`);
  return {
    report: {
      ...report,
      turns,
      durationSeconds: fit('durationSeconds', report.durationSeconds, numeric(12, 3), 'out of range'),
      costUsd: fit('cost', report.costUsd, numeric(12, 6), 'out of range'),
      startedAt: fit('startedAt', report.startedAt, storableDate, 'year outside 1–9999'),
      endedAt: fit('endedAt', report.endedAt, storableDate, 'year outside 1–9999'),
    },
    refused,
  };
}
