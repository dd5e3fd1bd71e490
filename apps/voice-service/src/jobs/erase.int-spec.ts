import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

/** A row of ours as retention archives it (the fields the erasure matches a founder's by, and what was said). */
interface ArchivedLine {
  id: string;
  userId?: string | null;
  callSessionId?: string;
  vapiCallId?: string | null;
  payload?: object;
  text?: string;
}

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

  /**
   * Retention's archive, as it writes one: a batch of rows of many founders, one JSON row a line, with the ids of
   * their founders and calls beside it; `withoutKeys`: as it wrote them before archives had those.
   */
  async function archiveOf(rows: ArchivedLine[], { kind = 'webhook_logs', withoutKeys = false } = {}) {
    const keys = (field: 'userId' | 'callSessionId' | 'vapiCallId') => (withoutKeys ? null : [...new Set(rows.flatMap((row) => row[field] ?? []))]);
    const [archive] = (
      await query(
        `insert into voice.archives (kind, row_count, oldest, newest, content, user_ids, call_session_ids, vapi_call_ids)
         values ($1, $2, now(), now(), $3, $4, $5, $6) returning id`,
        [kind, rows.length, gzipSync(rows.map((row) => JSON.stringify(row)).join('\n')), keys('userId'), keys('callSessionId'), keys('vapiCallId')],
      )
    ).rows;
    return archive.id as string;
  }

  /**
   * An archive as stored. `xmax` is how a row shows it was locked: the erasure locks each archive it reads
   * (`for update`), which leaves its transaction's id there; a row nobody locked or updated keeps 0.
   */
  async function storedArchive(id: string) {
    const [row] = (await query(`select row_count, content, user_ids, call_session_ids, vapi_call_ids, xmax::text from voice.archives where id = $1`, [id])).rows;
    return row && { ...row, lines: gunzipSync(row.content).toString('utf8') };
  }

  /** Written before archives had keys: every erasure reads them. */
  const archivesWithoutKeys = async () => Number((await query(`select count(*) from voice.archives where user_ids is null`)).rows[0].count);

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

    // Again: nothing left to do, and no archive left that holds the founder's calls.
    const withoutKeys = await archivesWithoutKeys();
    expect(await erase(founder.userId)).toEqual({ cancelledCalls: 0, transcripts: 0, conversations: 0, webhookLogs: 0, callSessions: 0, archivedRows: 0, archivesRead: withoutKeys });
  });

  it("reads only the archives that may hold the founder's rows, and rewrites their keys without the founder's", async () => {
    const words = `my archived bakery ${randomUUID()}`;
    const otherWords = `another founder's archived plan ${randomUUID()}`;
    const founder = await founderWithCalls(words);
    const other = await founderWithCalls(otherWords);
    type Call = Awaited<ReturnType<typeof founderWithCalls>>;
    const logOf = (call: Call, userId: string | null, said: string) => ({ id: randomUUID(), vapiCallId: call.vapiCallId, userId, payload: { transcript: said } });
    const transcriptOf = (call: Call, said: string) => ({ id: randomUUID(), callSessionId: call.sessionId, userId: null, text: said });

    const othersOnly = await archiveOf([logOf(other, other.userId, otherWords), logOf(other, null, otherWords)]);
    // The founder's rows known by their calls alone: a log by VAPI's id, a transcript by the session's.
    const logs = await archiveOf([logOf(founder, null, words), logOf(other, other.userId, otherWords)]);
    const transcriptsOf = await archiveOf([transcriptOf(founder, words), transcriptOf(other, otherWords)], { kind: 'transcripts' });
    const before = await archiveOf([logOf(founder, founder.userId, words), logOf(other, null, otherWords)], { withoutKeys: true });
    const untouched = await storedArchive(othersOnly);
    expect(untouched.xmax).toBe('0');
    const withoutKeys = await archivesWithoutKeys();

    // Read: the two archives whose keys hold the founder's calls, and those without keys (`before` among them).
    expect(await erase(founder.userId)).toMatchObject({ archivedRows: 3, archivesRead: 2 + withoutKeys });

    // Another founder's archive is not read: not locked, not rewritten.
    expect(await storedArchive(othersOnly)).toEqual(untouched);
    for (const id of [logs, transcriptsOf, before]) {
      const { row_count: rowCount, lines } = await storedArchive(id);
      expect({ rowCount, founders: lines.includes(words), others: lines.includes(otherWords) }).toEqual({ rowCount: 1, founders: false, others: true });
    }
    // Their keys are those of the rows they keep; the one written before keys has them now.
    const keysOf = async (id: string) => {
      const { user_ids: userIds, call_session_ids: callSessionIds, vapi_call_ids: vapiCallIds } = await storedArchive(id);
      return { userIds, callSessionIds, vapiCallIds };
    };
    expect(await keysOf(logs)).toEqual({ userIds: [other.userId], callSessionIds: [], vapiCallIds: [other.vapiCallId] });
    expect(await keysOf(transcriptsOf)).toEqual({ userIds: [], callSessionIds: [other.sessionId], vapiCallIds: [] });
    expect(await keysOf(before)).toEqual({ userIds: [], callSessionIds: [], vapiCallIds: [other.vapiCallId] });

    // Again: only the archives without keys are read, the founder's rows being in none of them.
    const stillWithoutKeys = await archivesWithoutKeys();
    expect(stillWithoutKeys).toBe(withoutKeys - 1);
    expect(await erase(founder.userId)).toMatchObject({ archivedRows: 0, archivesRead: stillWithoutKeys });
    expect(await storedArchive(othersOnly)).toEqual(untouched);
  });

  it('succeeds for a founder the voice service never heard of', async () => {
    const withoutKeys = await archivesWithoutKeys();
    expect(await erase(randomUUID())).toEqual({ cancelledCalls: 0, transcripts: 0, conversations: 0, webhookLogs: 0, callSessions: 0, archivedRows: 0, archivesRead: withoutKeys });
  });
});
