import { describe, expect, it } from 'vitest';
import type { OperatorFunnel } from './api';
import { barPercent, formatConversion, formatWait, funnelRows, mondayOf, weekLabel } from './funnel';

const step = (count: number) => ({ step: 'registered' as const, count, conversion: null, median_hours_from_previous: null });

describe('the funnel in words', () => {
  it('shows conversion as a whole percent, and a dash for the first step', () => {
    expect(formatConversion(2 / 3)).toBe('67%');
    expect(formatConversion(1)).toBe('100%');
    expect(formatConversion(0)).toBe('0%');
    expect(formatConversion(null)).toBe('–');
  });

  it('shows a median wait in minutes, hours or days', () => {
    expect(formatWait(null)).toBe('–');
    expect(formatWait(0.001)).toBe('< 1 min');
    expect(formatWait(0.25)).toBe('15 min');
    expect(formatWait(2.46)).toBe('2.5 h');
    expect(formatWait(30.2)).toBe('30 h');
    expect(formatWait(72)).toBe('3 days');
    expect(formatWait(24 * 15.4)).toBe('15 days');
  });

  it('names a week by its Monday, never a day off whatever the time zone', () => {
    expect(weekLabel('2026-11-30', 'en-US')).toBe('Nov 30, 2026');
    expect(mondayOf(new Date('2026-12-06T23:59:00Z'))).toBe('2026-11-30');
    expect(mondayOf(new Date('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
  });

  it('puts the newest week first and marks the one holding today', () => {
    const funnel: OperatorFunnel = {
      weeks: 2,
      from_week: '2026-11-23',
      to_week: '2026-11-30',
      steps: ['registered'],
      cohorts: [
        { week: '2026-11-23', steps: [step(4)] },
        { week: '2026-11-30', steps: [step(1)] },
      ],
      total: { steps: [step(5)] },
    };
    const rows = funnelRows(funnel, new Date('2026-12-02T10:00:00Z'), 'en-US');
    expect(rows.map((row) => [row.week, row.current, row.label])).toEqual([
      ['2026-11-30', true, 'Nov 30, 2026'],
      ['2026-11-23', false, 'Nov 23, 2026'],
    ]);
  });

  it('draws each bar against the first step', () => {
    expect(barPercent(3, 4)).toBe(75);
    expect(barPercent(0, 0)).toBe(0);
  });
});
