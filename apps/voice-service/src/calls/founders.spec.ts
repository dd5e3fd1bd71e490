import type { JobProducer } from '@dreamseed/platform';
import { queueCallCompleted, withRecordedFounder, type CompletedCall } from './founders';

/** A producer that keeps what it was asked to enqueue: the follow-ups are decided before Redis is reached. */
function recordingProducer() {
  const jobs: { queue: string; name: string; payload: Record<string, unknown>; jobId?: string }[] = [];
  const producer = {
    enqueue: async (queue: string, name: string, payload: Record<string, unknown>, options: { jobId?: string } = {}) => {
      jobs.push({ queue, name, payload, jobId: options.jobId });
      return { jobId: options.jobId };
    },
  } as unknown as JobProducer;
  return { producer, jobs };
}

const call = (callStage: number, vapiCallId = 'call-1'): CompletedCall => ({ userId: 'u-1', callStage, vapiCallId, endedAt: '2026-03-01T09:00:00.000Z' });

describe('the follow-ups of a completed consultation call', () => {
  it('reports the call, clears its flags for operators, asks for an analysis and plans the next stage, each under an id from the call', async () => {
    const { producer, jobs } = recordingProducer();
    await queueCallCompleted(producer, call(2), 'corr-1');
    expect(jobs.map(({ queue, name, jobId }) => [queue, name, jobId])).toEqual([
      ['gateway', 'profile-call-completed', 'call-completed-call-1'],
      ['gateway', 'founder-attention', 'attention-cleared-outbound_call_failed-call-1'],
      ['gateway', 'founder-attention', 'attention-cleared-outbound_call_unanswered-call-1'],
      ['analysis', 'analyse-founder', 'analyse-call-call-1'],
      ['voice', 'schedule-next-call', 'next-call-call-1'],
    ]);
    expect(jobs[0]?.payload).toMatchObject({ eventId: 'call-completed-call-1', callStage: 2, callId: 'call-1', occurredAt: '2026-03-01T09:00:00.000Z' });
    expect(jobs[1]?.payload).toMatchObject({ eventId: 'attention-cleared-outbound_call_failed-call-1', kind: 'outbound_call_failed', state: 'cleared', occurredAt: '2026-03-01T09:00:00.000Z' });
    expect(jobs[4]?.payload).toMatchObject({ userId: 'u-1', callStage: 3 });
  });

  it('plans no call after the formation call', async () => {
    const { producer, jobs } = recordingProducer();
    await queueCallCompleted(producer, call(4), undefined);
    // Nothing planned after it; whatever was still planned is cancelled, and the profile's next call cleared.
    expect(jobs.map((job) => job.name)).toEqual(['profile-call-completed', 'founder-attention', 'founder-attention', 'analyse-founder', 'cancel-next-call', 'profile-next-call-scheduled']);
    expect(jobs[4]?.payload).toMatchObject({ throughStage: 4 });
    expect(jobs[5]?.payload).toMatchObject({ callStage: 4, scheduledAt: null });
  });

  it('gives the same ids to a second report of the same call, and safe ids to any call id', async () => {
    const first = recordingProducer();
    const second = recordingProducer();
    await queueCallCompleted(first.producer, call(1, 'odd:id/with spaces'), undefined);
    await queueCallCompleted(second.producer, call(1, 'odd:id/with spaces'), 'another');
    expect(second.jobs.map((job) => job.jobId)).toEqual(first.jobs.map((job) => job.jobId));
    for (const job of first.jobs) expect(job.jobId).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("a call's recorded founder", () => {
  const fromMetadata = { id: 'x', userId: 'from-metadata', callStage: 2 };

  it('goes by the call metadata when the platform recorded nothing', () => {
    expect(withRecordedFounder(fromMetadata, undefined)).toBe(fromMetadata);
  });

  it('goes by the record when there is one, keeping the metadata stage only where the record has none', () => {
    expect(withRecordedFounder(fromMetadata, { userId: 'recorded', callStage: 3 })).toEqual({ id: 'x', userId: 'recorded', callStage: 3 });
    expect(withRecordedFounder(fromMetadata, { userId: 'recorded', callStage: null })).toEqual({ id: 'x', userId: 'recorded', callStage: 2 });
  });

  it("makes an intake call nobody's, whatever its metadata says", () => {
    expect(withRecordedFounder(fromMetadata, { userId: null, callStage: 1 })).toEqual({ id: 'x', userId: null, callStage: null });
  });
});
