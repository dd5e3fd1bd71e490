import { randomUUID } from 'node:crypto';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

describe('founder-attention reports', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  async function newFounder(): Promise<string> {
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery' });
    return String(data.user?.app_metadata.profile_id);
  }

  type Report = JobInputOf<GatewayJobs, 'founder-attention'>;
  /** Enqueues a report and waits until the gateway has handled it; returns the handler's outcome. */
  async function report(payload: Report): Promise<string> {
    return (await gateway.run('gateway', 'founder-attention', payload)).outcome as string;
  }

  const attentionOf = async (userId: string) =>
    (await gateway.pool.query('select kind, state, detail, raised_at, occurred_at, last_event_id from core.founder_attention where user_id = $1 order by kind', [userId])).rows;

  const raised = (userId: string, occurredAt: string, extra: Partial<Report> = {}): Report => ({
    v: 1,
    userId,
    eventId: randomUUID(),
    occurredAt,
    kind: 'analysis_failed',
    state: 'raised',
    detail: 'The model answered nothing usable three times',
    ...extra,
  });

  it('raises once: a repeated raise keeps the first time, a duplicate changes nothing', async () => {
    const userId = await newFounder();
    const first = raised(userId, '2026-11-20T10:00:00Z');
    expect(await report(first)).toBe('applied');
    expect(await report(first)).toBe('duplicate');
    expect(await report(raised(userId, '2026-11-20T12:00:00Z', { detail: 'Failed again' }))).toBe('applied');
    const [row] = await attentionOf(userId);
    expect(row).toMatchObject({ kind: 'analysis_failed', state: 'raised', detail: 'Failed again' });
    expect(row.raised_at.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(row.occurred_at.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    const recorded = await gateway.pool.query('select kind, outcome from core.profile_events where id = $1', [first.eventId]);
    expect(recorded.rows).toEqual([{ kind: 'attention-analysis_failed', outcome: 'applied' }]);
  });

  it('clears, and a later raise starts a new "since"; kinds are kept apart', async () => {
    const userId = await newFounder();
    expect(await report(raised(userId, '2026-11-20T10:00:00Z', { kind: 'outbound_call_unanswered', detail: 'No answer to the stage 2 call' }))).toBe('applied');
    expect(await report(raised(userId, '2026-11-20T10:30:00Z'))).toBe('applied');
    expect(await report({ ...raised(userId, '2026-11-20T11:00:00Z', { kind: 'outbound_call_unanswered' }), state: 'cleared', detail: undefined })).toBe('applied');
    let rows = await attentionOf(userId);
    expect(rows.map((row) => [row.kind, row.state, row.raised_at?.toISOString() ?? null])).toEqual([
      ['analysis_failed', 'raised', '2026-11-20T10:30:00.000Z'],
      ['outbound_call_unanswered', 'cleared', null],
    ]);
    expect(await report(raised(userId, '2026-11-21T09:00:00Z', { kind: 'outbound_call_unanswered' }))).toBe('applied');
    rows = await attentionOf(userId);
    expect(rows[1]).toMatchObject({ kind: 'outbound_call_unanswered', state: 'raised' });
    expect(rows[1].raised_at.toISOString()).toBe('2026-11-21T09:00:00.000Z');
  });

  it('records a report older than the one applied as stale and changes nothing', async () => {
    const userId = await newFounder();
    const clearing: Report = { ...raised(userId, '2026-11-20T12:00:00Z'), state: 'cleared', detail: undefined };
    expect(await report(clearing)).toBe('applied');
    const late = raised(userId, '2026-11-20T11:00:00Z');
    expect(await report(late)).toBe('stale');
    const [row] = await attentionOf(userId);
    expect(row).toMatchObject({ state: 'cleared', raised_at: null, last_event_id: clearing.eventId });
    const recorded = await gateway.pool.query('select outcome from core.profile_events where id = $1', [late.eventId]);
    expect(recorded.rows).toEqual([{ outcome: 'stale' }]);
  });

  it('ignores a report about a founder who is unknown or deleted, without failing the job', async () => {
    expect(await report(raised(randomUUID(), '2026-11-20T10:00:00Z'))).toBe('ignored');
    const userId = await newFounder();
    await gateway.pool.query('update core.users set deleted_at = now() where id = $1', [userId]);
    expect(await report(raised(userId, '2026-11-20T10:00:00Z'))).toBe('ignored');
    expect(await attentionOf(userId)).toEqual([]);
  });
});
