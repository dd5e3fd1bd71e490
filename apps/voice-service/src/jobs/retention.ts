import { gzipSync } from 'node:zlib';
import { asc, inArray, lt } from 'drizzle-orm';
import { withOwnerRole, type JobContext } from '@dreamseed/platform';
import type { VoiceDb } from '../db/client';
import { archives, transcripts, webhookLogs } from '../db/schema';
import { archiveKeys } from './archive-keys';

const BATCH = 500;

/**
 * Retention: transcripts and webhook logs older than the configured age are written, a batch at a time, into
 * `voice.archives` as gzip-compressed NDJSON, and deleted in the same transaction, so that a row is always in
 * exactly one of the two places. Each archive keeps its rows' ids (`archiveKeys`) for erasure to find it by.
 * Running it again finds nothing left to do.
 */
export class Retention {
  constructor(
    private readonly db: VoiceDb,
    private readonly defaultDays: number,
  ) {}

  async purge(olderThanDays: number | undefined, { log }: JobContext) {
    const cutoff = new Date(Date.now() - (olderThanDays ?? this.defaultDays) * 24 * 3600 * 1000);
    const archived = {
      transcripts: await this.archiveAll('transcripts', cutoff),
      webhook_logs: await this.archiveAll('webhook_logs', cutoff),
    };
    log.info({ cutoff: cutoff.toISOString(), archived }, 'retention done');
    return archived;
  }

  private async archiveAll(kind: 'transcripts' | 'webhook_logs', cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await withOwnerRole(this.db, 'voice', async (tx) => {
        const rows =
          kind === 'transcripts'
            ? await tx.select().from(transcripts).where(lt(transcripts.createdAt, cutoff)).orderBy(asc(transcripts.createdAt)).limit(BATCH).for('update', { skipLocked: true })
            : await tx.select().from(webhookLogs).where(lt(webhookLogs.receivedAt, cutoff)).orderBy(asc(webhookLogs.receivedAt)).limit(BATCH).for('update', { skipLocked: true });
        if (!rows.length) return 0;
        const times = rows.map((row) => ('receivedAt' in row ? row.receivedAt : row.createdAt).getTime());
        await tx.insert(archives).values({
          kind,
          rowCount: rows.length,
          oldest: new Date(Math.min(...times)),
          newest: new Date(Math.max(...times)),
          content: gzipSync(rows.map((row) => JSON.stringify(row)).join('\n')),
          ...archiveKeys(rows),
        });
        const ids = rows.map((row) => row.id);
        if (kind === 'transcripts') await tx.delete(transcripts).where(inArray(transcripts.id, ids));
        else await tx.delete(webhookLogs).where(inArray(webhookLogs.id, ids));
        return rows.length;
      });
      total += moved;
      if (moved < BATCH) return total;
    }
  }
}
