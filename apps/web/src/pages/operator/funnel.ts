import type { FunnelStepFigures, OperatorFunnel } from './api';

export type FunnelStep = FunnelStepFigures['step'];

/** The steps in the words the team uses for them. */
export const STEP_NAMES: Record<FunnelStep, string> = {
  registered: 'Signed up',
  call_1: 'Call 1',
  call_2: 'Call 2',
  call_3: 'Call 3',
  call_4: 'Call 4',
  dream_dna: 'Dream DNA',
  domain_selected: 'Domain chosen',
  paid: 'Paid',
};

/** The share of the step before who reached this one: "67%"; a dash where there is nothing to compare with. */
export function formatConversion(conversion: number | null): string {
  return conversion === null ? '–' : `${Math.round(conversion * 100)}%`;
}

const oneDecimal = (n: number) => (n < 10 ? Math.round(n * 10) / 10 : Math.round(n)).toString();

/** A median wait in a unit a person reads at a glance: minutes, then hours, then days. */
export function formatWait(hours: number | null): string {
  if (hours === null) return '–';
  const minutes = hours * 60;
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (hours < 48) return `${oneDecimal(hours)} h`;
  return `${oneDecimal(hours / 24)} days`;
}

const weekFormat = (locale?: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });

/** A cohort's name: the Monday its week starts on (a date without a time, so read in UTC, never shifted a day). */
export function weekLabel(week: string, locale?: string): string {
  return weekFormat(locale).format(new Date(`${week}T00:00:00Z`));
}

export interface FunnelRow {
  week: string;
  label: string;
  /** The week that holds today, when the funnel runs up to it. */
  current: boolean;
  steps: FunnelStepFigures[];
}

/** The cohorts newest first, so that the week the team watches most is on top. */
export function funnelRows(funnel: OperatorFunnel, today: Date = new Date(), locale?: string): FunnelRow[] {
  const thisWeek = mondayOf(today);
  return [...funnel.cohorts].reverse().map((cohort) => ({ week: cohort.week, label: weekLabel(cohort.week, locale), current: cohort.week === thisWeek, steps: cohort.steps }));
}

/** Monday (UTC) of the ISO week holding `day`, as the API names weeks. */
export function mondayOf(day: Date): string {
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return new Date(midnight - ((day.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** How long a step's bar is: its count against the first step's, in percent. */
export function barPercent(count: number, first: number): number {
  return first > 0 ? Math.round((count / first) * 100) : 0;
}
