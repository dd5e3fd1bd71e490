import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

describe('voice service: erasing a deleted founder', () => {
  let voice: TestVoice;
  beforeAll(async () => {
    voice = await startTestVoice();
  });
  afterAll(() => voice.stop());

  const query = (text: string, values?: unknown[]) => voice.pool.query(text, values);
  const erase = (userId: string) => voice.run('voice', 'erase-founder', { v: 1, userId }) as Promise<Record<string, number>>;

  /** A founder with an ended call (summary, analysis, transcript, turns, webhook logs, an archived log) and a planned call. */
  async function founderWithCalls(words: string) {
    const userId = randomUUID();
    const vapiCallId = `erase-${randomUUID()}`;
    const [session] = (
      await query(
        `insert into voice.call_sessions (user_id, vapi_call_id, direction, status, call_stage, customer_number, summary, structured_data, success_evaluation, recording_url, started_at, ended_at)
         values ($1, $2, 'outbound', 'ended', 1, '+14155550100', $3, $4, 'true', 'https://storage.example/rec.wav', now() - interval '1 hour', now()) returning id`,
        [userId, vapiCallId, `summary: ${words}`, { idea: words }],
      )
    ).rows;
    await query(`insert into voice.call_founders (vapi_call_id, user_id, call_stage, source) values ($1, $2, 1, 'outbound')`, [vapiCallId, userId]);
    await query(`insert into voice.vapi_calls (vapi_call_id, call_session_id, analysis, raw) values ($1, $2, $3, $4)`, [vapiCallId, session.id, { summary: words }, { transcript: words }]);
    await query(`insert into voice.transcripts (call_session_id, user_id, call_stage, text) values ($1, $2, 1, $3)`, [session.id, userId, `founder: ${words}`]);
    const [conversation] = (await query(`insert into voice.conversations (call_session_id, user_id, call_stage) values ($1, $2, 1) returning id`, [session.id, userId])).rows;
    await query(`insert into voice.conversation_turns (conversation_id, seq, role, content) values ($1, 1, 'user', $2)`, [conversation.id, words]);
    // The end-of-call report names the call but no founder, as VAPI sends it before the platform resolves one.
    await query(`insert into voice.webhook_logs (event_key, message_type, vapi_call_id, payload, received_at) values ($1, 'end-of-call-report', $2, $3, now())`, [
      `eocr-${vapiCallId}`,
      vapiCallId,
      { transcript: words },
    ]);
    await query(`insert into voice.voice_calls (user_id, call_stage, scheduled_for) values ($1, 2, now() + interval '1 day')`, [userId]);
    return { userId, vapiCallId, sessionId: session.id as string };
  }

  /** Retention's archive, as it writes one: a batch of rows of many founders, one JSON row a line. */
  async function archiveOf(rows: object[]) {
    const [archive] = (
      await query(`insert into voice.archives (kind, row_count, oldest, newest, content) values ('webhook_logs', $1, now(), now(), $2) returning id`, [
        rows.length,
        gzipSync(rows.map((row) => JSON.stringify(row)).join('\n')),
      ])
    ).rows;
    return archive.id as string;
  }

  /** Every row of voice.* (the archives unpacked) that holds any of `words`. */
  async function rowsHolding(words: string) {
    const tables = (await query(`select table_name from information_schema.tables where table_schema = 'voice' and table_name <> 'archives'`)).rows;
    const found: string[] = [];
    for (const { table_name: table } of tables) {
      const hits = await query(`select 1 from voice.${table} as t where t::text like $1`, [`%${words}%`]);
      if (hits.rowCount) found.push(table);
    }
    for (const { content } of (await query(`select content from voice.archives`)).rows) {
      if (gunzipSync(content).toString('utf8').includes(words)) found.push('archives');
    }
    return found;
  }

  it("erases the founder's words everywhere in voice.*, keeps the call's counted facts, and leaves another founder alone", async () => {
    const words = `my secret bakery ${randomUUID()}`;
    const otherWords = `another founder's plan ${randomUUID()}`;
    const founder = await founderWithCalls(words);
    const other = await founderWithCalls(otherWords);
    const archive = await archiveOf([
      { id: randomUUID(), vapiCallId: founder.vapiCallId, userId: null, payload: { transcript: words } },
      { id: randomUUID(), vapiCallId: other.vapiCallId, userId: other.userId, payload: { transcript: otherWords } },
    ]);
    const onlyTheirs = await archiveOf([{ id: randomUUID(), vapiCallId: null, userId: founder.userId, payload: { transcript: words } }]);
    expect(await rowsHolding(words)).not.toEqual([]);

    const first = await erase(founder.userId);

    expect(first).toMatchObject({ cancelledCalls: 1, transcripts: 1, conversations: 1, webhookLogs: 1, callSessions: 1, archivedRows: 2 });
    expect(await rowsHolding(words)).toEqual([]);
    // The session's counted facts stay; the number and recordings go too.
    const [session] = (await query(`select id, status, call_stage, started_at, ended_at, customer_number, recording_url from voice.call_sessions where id = $1`, [founder.sessionId])).rows;
    expect(session).toMatchObject({ id: founder.sessionId, status: 'ended', call_stage: 1, customer_number: null, recording_url: null });
    expect(session.started_at).not.toBeNull();
    expect((await query(`select status from voice.voice_calls where user_id = $1`, [founder.userId])).rows).toEqual([{ status: 'cancelled' }]);
    expect((await query(`select 1 from voice.archives where id = $1`, [onlyTheirs])).rowCount).toBe(0);
    const [kept] = (await query(`select row_count, content from voice.archives where id = $1`, [archive])).rows;
    expect(kept.row_count).toBe(1);
    expect(gunzipSync(kept.content).toString('utf8')).toContain(otherWords);

    // The other founder's rows are all still there.
    expect((await rowsHolding(otherWords)).sort()).toEqual(['archives', 'call_sessions', 'conversation_turns', 'transcripts', 'vapi_calls', 'webhook_logs']);
    expect((await query(`select status from voice.voice_calls where user_id = $1`, [other.userId])).rows).toEqual([{ status: 'scheduled' }]);

    // Again: nothing left to do.
    expect(await erase(founder.userId)).toEqual({ cancelledCalls: 0, transcripts: 0, conversations: 0, webhookLogs: 0, callSessions: 0, archivedRows: 0 });
  });

  it('succeeds for a founder the voice service never heard of', async () => {
    expect(await erase(randomUUID())).toEqual({ cancelledCalls: 0, transcripts: 0, conversations: 0, webhookLogs: 0, callSessions: 0, archivedRows: 0 });
  });
});
