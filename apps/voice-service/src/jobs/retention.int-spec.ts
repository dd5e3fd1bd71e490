import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

describe('voice service: retention', () => {
  let voice: TestVoice;
  beforeAll(async () => {
    voice = await startTestVoice();
  });
  afterAll(() => voice.stop());

  const purge = (olderThanDays: number) =>
    voice.run('voice', 'purge-expired-voice-data', { v: 1, olderThanDays }) as Promise<{ transcripts: number; webhook_logs: number }>;
  const pool = { query: (text: string, values?: unknown[]) => voice.pool.query(text, values) };

  it('archives old transcripts and webhook logs compressed, deletes them, and keeps recent ones', async () => {
    const marker = randomUUID();
    const session = await pool.query(`insert into voice.call_sessions (vapi_call_id, direction) values ($1, 'inbound') returning id`, [`ret-${marker}`]);
    const recentSession = await pool.query(`insert into voice.call_sessions (vapi_call_id, direction) values ($1, 'inbound') returning id`, [`ret-recent-${marker}`]);
    await pool.query(`insert into voice.transcripts (call_session_id, text, created_at) values ($1, $2, now() - interval '5000 days')`, [session.rows[0].id, `old ${marker}`]);
    await pool.query(`insert into voice.transcripts (call_session_id, text) values ($1, $2)`, [recentSession.rows[0].id, `recent ${marker}`]);
    await pool.query(`insert into voice.webhook_logs (event_key, message_type, payload, received_at) values ($1, 'hang', '{}', now() - interval '5000 days')`, [`old-${marker}`]);

    // (The daily schedule may have run the same purge first: what counts is where the rows end up.)
    await purge(4000);

    const left = await pool.query(`select text from voice.transcripts where text like $1`, [`%${marker}`]);
    expect(left.rows.map((row) => row.text)).toEqual([`recent ${marker}`]);
    expect((await pool.query(`select 1 from voice.webhook_logs where event_key = $1`, [`old-${marker}`])).rowCount).toBe(0);

    const stored = await pool.query(`select kind, content from voice.archives order by created_at desc limit 10`);
    const unpacked = stored.rows.map((row) => gunzipSync(row.content).toString('utf8')).join('\n');
    expect(unpacked).toContain(`old ${marker}`);
    expect(unpacked).toContain(`old-${marker}`);
    expect(unpacked).not.toContain(`recent ${marker}`);

    expect(await purge(4000)).toEqual({ transcripts: 0, webhook_logs: 0 });
  });

  it("keeps beside each archive the founders and calls of its rows, each once", async () => {
    const marker = randomUUID();
    const userId = randomUUID();
    const vapiCallId = `ret-keys-${marker}`;
    const session = await pool.query(`insert into voice.call_sessions (user_id, vapi_call_id, direction) values ($1, $2, 'inbound') returning id`, [userId, vapiCallId]);
    await pool.query(`insert into voice.transcripts (call_session_id, user_id, text, created_at) values ($1, $2, $3, now() - interval '5000 days')`, [
      session.rows[0].id,
      userId,
      `old ${marker}`,
    ]);
    // Two messages of one call, the second before its founder was known; one statement, so they share a batch.
    await pool.query(
      `insert into voice.webhook_logs (event_key, message_type, vapi_call_id, user_id, payload, received_at)
       values ($1, 'status-update', $3, $4, '{}', now() - interval '5000 days'), ($2, 'end-of-call-report', $3, null, '{}', now() - interval '5000 days')`,
      [`status-${marker}`, `eocr-${marker}`, vapiCallId, userId],
    );

    await purge(4000);

    const stored = await pool.query(`select kind, content, user_ids, call_session_ids, vapi_call_ids from voice.archives order by created_at desc limit 10`);
    const holding = (text: string) => stored.rows.find((row) => gunzipSync(row.content).toString('utf8').includes(text));
    const once = (ids: string[], id: string) => ids.filter((each) => each === id).length;
    const transcriptsArchive = holding(`old ${marker}`);
    expect(transcriptsArchive.kind).toBe('transcripts');
    expect(once(transcriptsArchive.user_ids, userId)).toBe(1);
    expect(once(transcriptsArchive.call_session_ids, session.rows[0].id)).toBe(1);
    expect(transcriptsArchive.vapi_call_ids).toEqual([]);
    const logsArchive = holding(`eocr-${marker}`);
    expect(logsArchive).toBe(holding(`status-${marker}`));
    expect(logsArchive.kind).toBe('webhook_logs');
    expect(once(logsArchive.user_ids, userId)).toBe(1);
    expect(once(logsArchive.vapi_call_ids, vapiCallId)).toBe(1);
    expect(logsArchive.call_session_ids).toEqual([]);
  });
});
