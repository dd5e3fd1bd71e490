import { endOfCallReport } from './message';
import { storableReport } from './storable';

const reportWith = (fields: Record<string, unknown>, messages: Record<string, unknown>[] = []) =>
  endOfCallReport({ type: 'end-of-call-report', endedReason: 'customer-ended-call', analysis: {}, artifact: { messages }, ...fields });

describe('storableReport', () => {
  it('keeps what its columns hold, fractions included', () => {
    const { report, refused } = storableReport(reportWith({ durationSeconds: 202.5, cost: 0.3217, startedAt: '2026-11-17T16:02:13.118Z' }));
    expect(refused).toEqual([]);
    expect(report).toMatchObject({ durationSeconds: 202.5, costUsd: 0.3217, startedAt: new Date('2026-11-17T16:02:13.118Z') });
  });

  it('leaves out a number that overflows its column once Postgres has rounded it, and names it', () => {
    // numeric(12,6) holds up to 999999.999999; 999999.9999996 rounds to 1000000.000000.
    expect(storableReport(reportWith({ cost: 999999.999999 })).refused).toEqual([]);
    expect(storableReport(reportWith({ cost: -999999.9999996 }))).toMatchObject({ report: { costUsd: null }, refused: ['cost (out of range)'] });
    // numeric(12,3) holds up to 999999999.999.
    expect(storableReport(reportWith({ durationSeconds: 999999999.9996 })).refused).toEqual(['durationSeconds (out of range)']);
    expect(storableReport(reportWith({ durationSeconds: 1e300 })).refused).toEqual(['durationSeconds (out of range)']);
  });

  it('leaves out dates past year 9999 and turn timings past numeric(10,3), keeping the turns', () => {
    const { report, refused } = storableReport(
      reportWith({ startedAt: '+275760-09-13T00:00:00.000Z' }, [
        { role: 'bot', message: 'Hello.', secondsFromStart: 9999999.9996, duration: 2000 },
        { role: 'user', message: 'Hi.', secondsFromStart: 3.5, duration: 1e12 },
      ]),
    );
    expect(refused).toEqual(['the timing of 2 turn(s) (out of range)', 'startedAt (year outside 1–9999)']);
    expect(report.turns).toEqual([
      { role: 'assistant', content: 'Hello.', secondsFromStart: null, durationSeconds: 2 },
      { role: 'user', content: 'Hi.', secondsFromStart: 3.5, durationSeconds: null },
    ]);
  });
});
