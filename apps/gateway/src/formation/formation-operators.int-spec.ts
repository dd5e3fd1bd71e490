import { randomUUID } from 'node:crypto';
import { COMPLETE_INTAKE, errorOf, startFormationWorld, type FormationWorld, type Founder } from './__fixtures__/formation-world';

describe('operators working formation cases (/admin/api/formation)', () => {
  let world: FormationWorld;

  beforeAll(async () => {
    world = await startFormationWorld();
  });

  afterAll(async () => {
    await world.stop();
  });

  const auditOf = async (caseId: string) =>
    (await world.gateway.pool.query(`select action, outcome, code, operator_id from core.operator_audit where target = $1 order by created_at`, [caseId])).rows as {
      action: string;
      outcome: string;
      code: string | null;
    }[];

  /** A founder whose case has documents prepared. */
  async function preparedCase(): Promise<{ founder: Founder; id: string }> {
    const founder = await world.newFounder();
    await world.as(founder, 'PUT', '/v1/me/formation', COMPLETE_INTAKE);
    await world.paid(founder);
    const { id } = await world.caseOf(founder);
    expect((await world.asOperator('POST', `/admin/api/formation/cases/${id}/documents/prepare`, { reason: 'Ready.' })).status).toBe(200);
    return { founder, id };
  }

  const fileIt = (id: string, headers?: Record<string, string>, evidence: Record<string, unknown> = { filing_number: '805123456', filed_at: '2026-12-03' }) =>
    world.asOperator('POST', `/admin/api/formation/cases/${id}/advance`, { to: 'filed', expected_state: 'documents_prepared', reason: 'Filed online.', evidence }, headers);

  it('refuses a move the state does not allow, evidence that is missing, and a case that moved since, each audited', async () => {
    const { id } = await preparedCase();
    const skip = await world.asOperator('POST', `/admin/api/formation/cases/${id}/advance`, { to: 'approved', expected_state: 'documents_prepared', reason: 'Skipping.', evidence: { approved_at: '2026-12-10' } });
    expect(skip.status).toBe(409);
    expect(await errorOf(skip)).toMatchObject({ code: 'invalid_transition', message: expect.stringContaining('moves to filed') });

    const noNumber = await fileIt(id, undefined, { filed_at: '2026-12-03' });
    expect(noNumber.status).toBe(400);
    expect((await errorOf(noNumber)).code).toBe('evidence_missing');

    const stale = await world.asOperator('POST', `/admin/api/formation/cases/${id}/advance`, { to: 'filed', expected_state: 'intake_complete', reason: 'Old page.', evidence: { filing_number: '1', filed_at: '2026-12-03' } });
    expect(stale.status).toBe(409);
    expect(await errorOf(stale)).toMatchObject({ code: 'state_changed', details: { expected_state: 'intake_complete', state: 'documents_prepared' } });

    const badEin = await world.asOperator('POST', `/admin/api/formation/cases/${id}/advance`, { to: 'filed', expected_state: 'documents_prepared', reason: 'x', evidence: { ein: '12' } });
    expect(badEin.status).toBe(400);
    const noReason = await world.asOperator('POST', `/admin/api/formation/cases/${id}/ask`, { question: 'Why?' });
    expect(noReason.status).toBe(400);

    expect(await auditOf(id)).toEqual([
      expect.objectContaining({ action: 'formation_prepare_documents', outcome: 'done' }),
      expect.objectContaining({ action: 'formation_advance', outcome: 'refused', code: 'invalid_transition' }),
      expect.objectContaining({ action: 'formation_advance', outcome: 'refused', code: 'evidence_missing' }),
      expect.objectContaining({ action: 'formation_advance', outcome: 'refused', code: 'state_changed' }),
      expect.objectContaining({ action: 'formation_advance', outcome: 'refused', code: 'validation_failed' }),
      expect.objectContaining({ action: 'formation_ask', outcome: 'refused', code: 'validation_failed' }),
    ]);
  });

  it('lists what the intake lacks when it blocks the documents', async () => {
    const founder = await world.newFounder();
    await world.as(founder, 'PUT', '/v1/me/formation', { ...COMPLETE_INTAKE, members: [{ name: 'Ada Baker', role: 'member', ownership_percent: 60 }] });
    await world.paid(founder);
    const current = await world.caseOf(founder);
    expect(current.state).toBe('needs_founder');
    const refused = await world.asOperator('POST', `/admin/api/formation/cases/${current.id}/ask`, { question: 'Who owns the other 40%?', reason: 'Shares do not add up.' });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe('invalid_transition');
    const answer = await world.as(founder, 'POST', '/v1/me/formation/case/answer', { answer: 'Working on it' });
    expect(answer.status).toBe(409);
    expect(await errorOf(answer)).toMatchObject({ code: 'intake_incomplete', details: [expect.objectContaining({ field: 'members' })] });
  });

  it('does one thing when two operators act on one case at once', async () => {
    const { id, founder } = await preparedCase();
    const answers = await Promise.all([fileIt(id), fileIt(id, undefined, { filing_number: '999', filed_at: '2026-12-04' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const refused = answers.find((answer) => answer.status === 409);
    expect((await errorOf(refused as Response)).code).toBe('state_changed');
    const current = await world.caseOf(founder);
    expect(current.events.filter((event) => event.to_state === 'filed')).toHaveLength(1);
  });

  it('answers a repeat with the same Idempotency-Key as the first, moving once', async () => {
    const { id } = await preparedCase();
    const key = { 'idempotency-key': randomUUID() };
    const first = await fileIt(id, key);
    const again = await fileIt(id, key);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.json()).toEqual(await first.json());
    const reused = await world.asOperator('POST', `/admin/api/formation/cases/${id}/advance`, { to: 'filed', expected_state: 'documents_prepared', reason: 'Filed online.', evidence: { filing_number: 'other', filed_at: '2026-12-03' } }, key);
    expect(reused.status).toBe(422);
    expect((await auditOf(id)).filter((row) => row.action === 'formation_advance').map((row) => row.outcome)).toEqual(['done', 'refused']);
  });

  it('queues cases by state and age, flags the old ones, and gives the SLA figures', async () => {
    const { id, founder } = await preparedCase();
    const { id: older } = await preparedCase();
    await world.gateway.pool.query(`update core.formation_cases set state_entered_at = now() - interval '5 days' where id = $1`, [older]);

    const queue = (await (await world.asOperator('GET', '/admin/api/formation/cases?state=documents_prepared&limit=100')).json()) as { cases: { case_id: string; overdue: boolean; days_in_state: number; sla_days: number }[] };
    const ids = queue.cases.map((item) => item.case_id);
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(id));
    expect(queue.cases.find((item) => item.case_id === older)).toMatchObject({ overdue: true, sla_days: 2, days_in_state: 5 });
    expect(queue.cases.find((item) => item.case_id === id)).toMatchObject({ overdue: false });
    const old = (await (await world.asOperator('GET', '/admin/api/formation/cases?older_than_days=4')).json()) as { cases: { case_id: string }[] };
    expect(old.cases.map((item) => item.case_id)).toContain(older);
    expect(old.cases.map((item) => item.case_id)).not.toContain(id);
    expect((await world.asOperator('GET', '/admin/api/formation/cases?state=nope')).status).toBe(400);
    // A founder's case, found from their file: whatever its state, and none for someone without one.
    const theirs = (await (await world.asOperator('GET', `/admin/api/formation/cases?user_id=${founder.profileId}`)).json()) as { cases: { case_id: string }[] };
    expect(theirs.cases.map((item) => item.case_id)).toEqual([id]);
    const nobody = (await (await world.asOperator('GET', `/admin/api/formation/cases?user_id=${randomUUID()}`)).json()) as { cases: unknown[] };
    expect(nobody.cases).toEqual([]);
    expect((await world.asOperator('GET', '/admin/api/formation/cases?user_id=not-an-id')).status).toBe(400);
    const page = (await (await world.asOperator('GET', '/admin/api/formation/cases?limit=1')).json()) as { cases: unknown[]; next_cursor: string | null };
    expect(page.cases).toHaveLength(1);
    expect(page.next_cursor).toEqual(expect.any(String));

    const sla = (await (await world.asOperator('GET', '/admin/api/formation/sla')).json()) as { states: { state: string; median_days: number | null; closed_stays: number; open: number; overdue: number }[] };
    const prepared = sla.states.find((row) => row.state === 'documents_prepared');
    expect(prepared?.open).toBeGreaterThanOrEqual(2);
    expect(prepared?.overdue).toBeGreaterThanOrEqual(1);
    expect(sla.states.find((row) => row.state === 'intake_complete')).toMatchObject({ median_days: expect.any(Number), closed_stays: expect.any(Number) });

    const file = await world.asOperator('GET', `/admin/api/formation/cases/${id}`);
    expect(file.status).toBe(200);
    const body = (await file.json()) as { case: { state: string }; intake: { legal_name: string }; events: { actor_type: string; actor_email: string | null; reason: string | null }[]; documents: { id: string }[] };
    expect(body).toMatchObject({ case: { state: 'documents_prepared' }, intake: { legal_name: 'Ada Bakes LLC' } });
    expect(body.events.find((event) => event.actor_type === 'operator')).toMatchObject({ actor_email: world.operator.email, reason: 'Ready.' });
    const pdf = await world.asOperator('GET', `/admin/api/formation/cases/${id}/documents/${body.documents[0]?.id}`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await world.asOperator('GET', `/admin/api/formation/cases/${randomUUID()}`)).status).toBe(404);
  });

  it('answers a founder 403 on the operators\' formation routes', async () => {
    const { founder, id } = await preparedCase();
    for (const [method, path] of [
      ['GET', '/admin/api/formation/cases'],
      ['GET', `/admin/api/formation/cases/${id}`],
      ['POST', `/admin/api/formation/cases/${id}/advance`],
      ['GET', '/admin/api/formation/sla'],
    ] as const) {
      const response = await world.as(founder, method, path, method === 'POST' ? { to: 'filed', expected_state: 'documents_prepared', reason: 'me' } : undefined);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
  });
});
