import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { FounderEventData, JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import type { JobContext, JobProducer } from '@dreamseed/platform';
import { testInfra } from '@dreamseed/testing';
import { createVoiceDb } from '../db/client';
import { VapiEventProcessor } from './vapi-event';

type VapiEvent = JobPayloadOf<VoiceJobs, 'vapi-event'>;

const context = { log: pino({ level: 'silent' }), correlationId: 'test' } as unknown as JobContext;

/** A publisher that keeps what it is given, in order. */
function recordingPublisher() {
  const published: { founderId: string; type: string; data: FounderEventData<'call.updated'> }[] = [];
  return {
    published,
    publisher: {
      publish: async (founderId: string, type: string, data: unknown) => {
        published.push({ founderId, type, data: data as FounderEventData<'call.updated'> });
        return `${published.length}-0`;
      },
    },
  };
}

/** One call's messages as the gateway queues them. */
function callOf(userId: string, callStage = 2) {
  const id = `call-${randomUUID()}`;
  const call = { id, orgId: 'org-1', type: 'inboundPhoneCall', assistantOverrides: { metadata: { userId, callStage } } };
  const event = (message: Record<string, unknown> & { type: string }, eventKey: string): VapiEvent => ({
    v: 1,
    eventKey,
    messageType: message.type,
    vapiCallId: id,
    receivedAt: new Date().toISOString(),
    message,
  });
  return {
    id,
    status: (status: string) => event({ type: 'status-update', status, timestamp: Date.now(), call }, `status-update|${id}|${status}`),
    speech: () => event({ type: 'speech-update', status: 'started', role: 'user', timestamp: Date.now(), call }, `speech-update|${id}|${randomUUID()}`),
    report: () => event({ type: 'end-of-call-report', endedReason: 'customer-ended-call', call, artifact: { transcript: 'AI: Hello.' } }, `end-of-call-report|${id}`),
  };
}

/**
 * `call.updated` for the founder's app: sent after the commit for each status the voice service records, never
 * for a message that moves nothing (a delivery again, a status older than the one stored, a message without one).
 */
describe('voice service: call status events', () => {
  const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  const db = createVoiceDb(pool);
  const noFollowUps = { enqueue: async () => ({ jobId: 'x' }) } as unknown as JobProducer;
  afterAll(() => pool.end());

  it('tells the founder of each status recorded, once, and of nothing that moves no status', async () => {
    const { published, publisher } = recordingPublisher();
    const processor = new VapiEventProcessor(db, noFollowUps, { events: publisher });
    const founder = randomUUID();
    const call = callOf(founder);
    for (const event of [call.status('ringing'), call.speech(), call.status('in-progress'), call.status('in-progress'), call.status('ringing'), call.status('ended')]) {
      await processor.handle(event, context);
    }
    await processor.handle(call.report(), context);
    expect(published.map(({ founderId, type, data }) => [founderId, type, data.vapi_call_id, data.call_stage, data.status])).toEqual([
      [founder, 'call.updated', call.id, 2, 'ringing'],
      [founder, 'call.updated', call.id, 2, 'in-progress'],
      [founder, 'call.updated', call.id, 2, 'ended'],
    ]);
    expect(Number.isNaN(Date.parse(published[0]?.data.occurred_at ?? ''))).toBe(false);
  });

  it('tells of the end when the end-of-call report is what ends the call', async () => {
    const { published, publisher } = recordingPublisher();
    const processor = new VapiEventProcessor(db, noFollowUps, { events: publisher });
    const call = callOf(randomUUID(), 1);
    await processor.handle(call.status('in-progress'), context);
    await processor.handle(call.report(), context);
    await processor.handle(call.report(), context);
    expect(published.map(({ data }) => data.status)).toEqual(['in-progress', 'ended']);
  });

  it('tells of a batch\'s calls after its one commit, each at the status it reached', async () => {
    const { published, publisher } = recordingPublisher();
    const processor = new VapiEventProcessor(db, noFollowUps, { events: publisher });
    const [a, b] = [callOf(randomUUID()), callOf(randomUUID())];
    await Promise.all([a.status('ringing'), a.status('in-progress'), b.status('queued'), b.speech()].map((event) => processor.handle(event, context)));
    expect(published.map(({ data }) => [data.vapi_call_id, data.status]).sort()).toEqual([[a.id, 'in-progress'], [b.id, 'queued']].sort());
  });
});
