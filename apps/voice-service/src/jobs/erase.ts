import { gunzipSync, gzipSync } from 'node:zlib';
import { and, arrayOverlaps, asc, eq, gt, inArray, isNotNull, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import { markFounderErased, withOwnerRole, type JobContext } from '@dreamseed/platform';
import type { VoiceDb } from '../db/client';
import { archives, callFounders, callSessions, conversations, transcripts, vapiCalls, voiceCalls, webhookLogs } from '../db/schema';
import { archiveKeys, type ArchivedRow } from './archive-keys';

const BATCH = 500;
/** Archives are whole batches of many founders' rows: a few at a time, each rewritten without this founder's. */
const ARCHIVE_BATCH = 20;

type VoiceTx = Parameters<Parameters<VoiceDb['transaction']>[0]>[0];

/** The founder's calls, by both names: the rows that outlive the erasure and let a retry find the rest again. */
interface FounderCalls {
  userId: string;
  sessionIds: string[];
  vapiCallIds: string[];
}

/**
 * A deleted founder's words leave the voice service: transcripts, conversations and their turns, the webhook logs of
 * their calls (VAPI's messages carry what was said), VAPI's call object and analysis, and the same rows in the
 * retention archives. The call sessions stay, without summary, analysis, recordings or number, for the platform's
 * counts (ids, times, stage, status); planned calls not yet placed are cancelled. Each step filters by the founder's
 * id or their own calls, and finds nothing the second time: a retry or a second run changes nothing.
 *
 * The first transaction marks the founder erased (`markFounderErased`) before it looks for their calls: work that
 * writes the founder's rows and is running (a VAPI message, a plan, a placed call) commits first and is found and
 * erased with the rest; work that starts later, queued before the erasure or not, finds the mark and writes
 * nothing (`founderErased`, and `callsOfErasedFounders` for VAPI's messages).
 */
export class FounderErasure {
  constructor(private readonly db: VoiceDb) {}

  async erase({ userId }: JobPayloadOf<VoiceJobs, 'erase-founder'>, { log }: JobContext) {
    const calls = await withOwnerRole(this.db, 'voice', async (tx) => {
      await markFounderErased(tx, 'voice', userId);
      return founderCalls(tx, userId);
    });
    const erased = {
      // Cancelled first, so that no call is placed while the rest is erased (a `place-outbound-call` skips it).
      cancelledCalls: await withOwnerRole(this.db, 'voice', (tx) => cancelPlannedCalls(tx, userId)),
      transcripts: await this.deleteAll((tx) => deleteBatch(tx, transcripts, or(eq(transcripts.userId, userId), inIds(transcripts.callSessionId, calls.sessionIds)))),
      // Their turns go with them (on delete cascade).
      conversations: await this.deleteAll((tx) =>
        deleteBatch(tx, conversations, or(eq(conversations.userId, userId), inIds(conversations.callSessionId, calls.sessionIds))),
      ),
      webhookLogs: await this.deleteAll((tx) => deleteBatch(tx, webhookLogs, or(eq(webhookLogs.userId, userId), inIds(webhookLogs.vapiCallId, calls.vapiCallIds)))),
      callSessions: await withOwnerRole(this.db, 'voice', (tx) => clearCalls(tx, calls)),
      ...(await this.eraseFromArchives(calls)),
    };
    log.info(erased, 'founder erased from the voice service');
    return erased;
  }

  private async deleteAll(batch: (tx: VoiceTx) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await withOwnerRole(this.db, 'voice', batch);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }

  /**
   * Each archive that may hold the founder's rows is read, by id order, and rewritten without them (or deleted when
   * none are left); how many rows went, and how many archives were read to find them.
   */
  private async eraseFromArchives(calls: FounderCalls): Promise<{ archivedRows: number; archivesRead: number }> {
    const erased = { archivedRows: 0, archivesRead: 0 };
    let after: string | undefined;
    for (;;) {
      const page = await withOwnerRole(this.db, 'voice', async (tx) => {
        const rows = await tx
          .select()
          .from(archives)
          .where(and(after ? gt(archives.id, after) : undefined, mayHoldFounders(tx, calls)))
          .orderBy(asc(archives.id))
          .limit(ARCHIVE_BATCH)
          .for('update');
        let lost = 0;
        for (const archive of rows) lost += await rewriteArchive(tx, archive, calls);
        return { last: rows.at(-1)?.id, read: rows.length, lost };
      });
      erased.archivedRows += page.lost;
      erased.archivesRead += page.read;
      if (page.read < ARCHIVE_BATCH) return erased;
      after = page.last;
    }
  }
}

async function founderCalls(tx: VoiceTx, userId: string): Promise<FounderCalls> {
  // One after another: a transaction is one connection.
  const sessions = await tx.select({ id: callSessions.id, vapiCallId: callSessions.vapiCallId }).from(callSessions).where(eq(callSessions.userId, userId));
  const founded = await tx.select({ vapiCallId: callFounders.vapiCallId }).from(callFounders).where(eq(callFounders.userId, userId));
  const planned = await tx
    .select({ vapiCallId: voiceCalls.vapiCallId })
    .from(voiceCalls)
    .where(and(eq(voiceCalls.userId, userId), isNotNull(voiceCalls.vapiCallId)));
  const vapiCallIds = new Set([...sessions, ...founded, ...planned].flatMap((row) => (row.vapiCallId ? [row.vapiCallId] : [])));
  return { userId, sessionIds: sessions.map((row) => row.id), vapiCallIds: [...vapiCallIds] };
}

async function cancelPlannedCalls(tx: VoiceTx, userId: string): Promise<number> {
  const cancelled = await tx
    .update(voiceCalls)
    .set({ status: 'cancelled', updatedAt: new Date() })
    .where(and(eq(voiceCalls.userId, userId), eq(voiceCalls.status, 'scheduled')))
    .returning({ id: voiceCalls.id });
  return cancelled.length;
}

/**
 * A batch of rows matching `where`, deleted by id; how many. Locked rows are waited for, not skipped: retention may
 * be moving them into an archive, which the archive pass reads once that has committed.
 */
async function deleteBatch(tx: VoiceTx, table: typeof transcripts | typeof conversations | typeof webhookLogs, where: ReturnType<typeof or>): Promise<number> {
  const rows = await tx.select({ id: table.id }).from(table).where(where).limit(BATCH).for('update');
  if (rows.length) await tx.delete(table).where(inArray(table.id, rows.map((row) => row.id)));
  return rows.length;
}

/** What VAPI and the assistant made of the calls goes; what the platform counts (ids, times, stage, status) stays. */
async function clearCalls(tx: VoiceTx, calls: FounderCalls): Promise<number> {
  const now = new Date();
  await tx
    .update(vapiCalls)
    .set({ analysis: null, raw: sql`'{}'::jsonb`, updatedAt: now })
    .where(or(inIds(vapiCalls.callSessionId, calls.sessionIds), inIds(vapiCalls.vapiCallId, calls.vapiCallIds)));
  const cleared = await tx
    .update(callSessions)
    .set({ summary: null, structuredData: null, successEvaluation: null, recordingUrl: null, stereoRecordingUrl: null, customerNumber: null, updatedAt: now })
    .where(
      and(
        eq(callSessions.userId, calls.userId),
        sql`num_nonnulls(${callSessions.summary}, ${callSessions.structuredData}, ${callSessions.successEvaluation}, ${callSessions.recordingUrl}, ${callSessions.stereoRecordingUrl}, ${callSessions.customerNumber}) > 0`,
      ),
    )
    .returning({ id: callSessions.id });
  return cleared.length;
}

/**
 * The archives whose keys meet the founder's on any field `isFounders` matches by, and those written before archives
 * had keys (`user_ids` null), which may hold anyone's rows.
 *
 * One select per key, each on its own index, rather than one `or`: the key arrays are stored out of line (TOAST), a
 * cost the planner does not see, and for an `or` under `order by id limit` it prefers to walk the table and unpack
 * every archive's keys, the full pass this is here to avoid. A change here must check its plan again
 * (`explain analyze`) on a table of thousands of archives.
 */
function mayHoldFounders(tx: VoiceTx, calls: FounderCalls): SQL {
  const holding = (where: SQL) => tx.select({ id: archives.id }).from(archives).where(where);
  const byCalls = [
    ...(calls.sessionIds.length ? [arrayOverlaps(archives.callSessionIds, calls.sessionIds)] : []),
    ...(calls.vapiCallIds.length ? [arrayOverlaps(archives.vapiCallIds, calls.vapiCallIds)] : []),
  ];
  return inArray(archives.id, unionAll(holding(isNull(archives.userIds)), holding(arrayOverlaps(archives.userIds, [calls.userId])), ...byCalls.map(holding)));
}

/**
 * An archive without the founder's rows (as retention wrote them: one row of ours a line), its keys those of the rows
 * it keeps; how many it lost.
 */
async function rewriteArchive(tx: VoiceTx, archive: typeof archives.$inferSelect, calls: FounderCalls): Promise<number> {
  const lines = gunzipSync(archive.content)
    .toString('utf8')
    .split('\n')
    .map((line) => ({ line, row: JSON.parse(line) as ArchivedRow }));
  const kept = lines.filter(({ row }) => !isFounders(row, calls));
  if (kept.length === lines.length) return 0;
  if (!kept.length) {
    await tx.delete(archives).where(eq(archives.id, archive.id));
  } else {
    await tx
      .update(archives)
      .set({ content: gzipSync(kept.map(({ line }) => line).join('\n')), rowCount: kept.length, ...archiveKeys(kept.map(({ row }) => row)) })
      .where(eq(archives.id, archive.id));
  }
  return lines.length - kept.length;
}

const isFounders = (row: ArchivedRow, calls: FounderCalls) =>
  row.userId === calls.userId ||
  (row.callSessionId !== undefined && calls.sessionIds.includes(row.callSessionId)) ||
  (row.vapiCallId != null && calls.vapiCallIds.includes(row.vapiCallId));

/** `column in (ids)`, or nothing matched for no ids (`in ()` is not SQL). */
const inIds = (column: AnyColumn, ids: string[]) => (ids.length ? inArray(column, ids) : sql`false`);
