import fc from 'fast-check';
import { voiceJobs } from '@dreamseed/contracts';
import { LAST_STAGE, nextCallDue, nextStage } from './next-call';

describe('the consultation stage rules', () => {
  it('goes from each stage to the next, and ends after the formation call', () => {
    expect([1, 2, 3, 4].map(nextStage)).toEqual([2, 3, 4, null]);
    expect(LAST_STAGE).toBe(4);
  });

  it('plans no next call for a stage outside the consultation', () => {
    for (const stage of [0, -1, 5, 2.5, Number.NaN]) expect(nextStage(stage)).toBeNull();
  });

  it('only ever plans a stage the schedule-next-call job accepts', () => {
    const schema = voiceJobs['schedule-next-call'].schema;
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10 }), (stage) => {
        const next = nextStage(stage);
        if (next !== null) expect(schema.safeParse({ v: 1, userId: '2f0d8a4e-5d8b-4c55-9d2a-8f6f5f0b1a11', callStage: next }).success).toBe(true);
      }),
    );
  });

  it('makes the next call due when the founder agreed, else the configured delay after now', () => {
    const now = Date.parse('2026-03-01T09:00:00Z');
    expect(nextCallDue(now, 24)).toEqual(new Date('2026-03-02T09:00:00Z'));
    expect(nextCallDue(now, 0)).toEqual(new Date(now));
    expect(nextCallDue(now, 1.5)).toEqual(new Date('2026-03-01T10:30:00Z'));
    expect(nextCallDue(now, 24, '2026-03-05T16:30:00+02:00')).toEqual(new Date('2026-03-05T14:30:00Z'));
  });
});
