import { sql } from 'drizzle-orm';
import { boolean, check, customType, index, integer, jsonb, numeric, pgSchema, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, erasedFoundersTable, founderReads, founderReadsThroughParent, oneOf, ownerAll, timestampTz, updatedAt } from '@dreamseed/platform/schema';

/**
 * The voice service's tables: calls as VAPI reports them, their transcripts and turns, the raw webhook log,
 * and the outbound calls it places. `user_id` is the founder's profile id (`core.users.id`), held without a
 * foreign key because it belongs to another owner.
 */
export const voice = pgSchema('voice');

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * How a call's founder became known, most certain first. `intake`: the call was answered for nobody (a caller
 * the platform did not know), so nothing later makes it a founder's consultation.
 */
export const CALL_FOUNDER_SOURCES = ['assistant-request', 'outbound', 'metadata', 'caller-number', 'intake'] as const;
export type CallFounderSource = (typeof CALL_FOUNDER_SOURCES)[number];

const CALL_STAGE_CHECK = (name: string, column: string) => check(name, sql.raw(`"${column}" is null or "${column}" between 1 and 4`));

/** One consultation call, inbound or outbound, from the first status update to the end-of-call report. */
export const callSessions = voice.table(
  'call_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id'),
    vapiCallId: text('vapi_call_id').notNull(),
    callStage: smallint('call_stage'),
    direction: text('direction').notNull(),
    status: text('status').notNull().default('queued'),
    assistantId: text('assistant_id'),
    phoneNumberId: text('phone_number_id'),
    customerNumber: text('customer_number'),
    startedAt: timestampTz('started_at'),
    endedAt: timestampTz('ended_at'),
    endedReason: text('ended_reason'),
    /** VAPI reports durations in fractional seconds (`202.5`). */
    durationSeconds: numeric('duration_seconds', { precision: 12, scale: 3, mode: 'number' }),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6 }),
    recordingUrl: text('recording_url'),
    stereoRecordingUrl: text('stereo_recording_url'),
    summary: text('summary'),
    structuredData: jsonb('structured_data'),
    successEvaluation: text('success_evaluation'),
    /** Time of the latest VAPI message applied: older messages arriving late never roll the status back. */
    lastEventAt: timestampTz('last_event_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('call_sessions', 'voice'),
    uniqueIndex('call_sessions_vapi_call_id_key').on(t.vapiCallId),
    index('call_sessions_user_id_idx').on(t.userId, t.createdAt),
    index('call_sessions_status_idx').on(t.status),
    CALL_STAGE_CHECK('call_sessions_call_stage', 'call_stage'),
    oneOf('call_sessions_direction', 'direction', ['inbound', 'outbound', 'web']),
    oneOf('call_sessions_status', 'status', ['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended']),
    founderReads('call_sessions', 'user_id'),
  ],
);

/**
 * Which founder a VAPI call belongs to, recorded by the platform when it answers the call's assistant-request
 * or places it, or learnt later (the call's metadata, the caller's number). Every message of the call resolves
 * its founder here first, whatever VAPI echoes of our metadata.
 */
export const callFounders = voice.table(
  'call_founders',
  {
    vapiCallId: text('vapi_call_id').primaryKey(),
    /** Null only for an intake call. */
    userId: uuid('user_id'),
    callStage: smallint('call_stage'),
    source: text('source').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('call_founders', 'voice'),
    index('call_founders_user_id_idx').on(t.userId),
    CALL_STAGE_CHECK('call_founders_call_stage', 'call_stage'),
    oneOf('call_founders_source', 'source', CALL_FOUNDER_SOURCES),
    check('call_founders_intake_is_nobody', sql`(${t.source} = 'intake') = (${t.userId} is null)`),
    founderReads('call_founders', 'user_id'),
  ],
);

/** VAPI's own call object as last reported (costs, analysis, artifacts), kept whole for support and audits. */
export const vapiCalls = voice.table(
  'vapi_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vapiCallId: text('vapi_call_id').notNull(),
    callSessionId: uuid('call_session_id').references(() => callSessions.id, { onDelete: 'cascade' }),
    type: text('type'),
    orgId: text('org_id'),
    costBreakdown: jsonb('cost_breakdown'),
    analysis: jsonb('analysis'),
    raw: jsonb('raw').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [ownerAll('vapi_calls', 'voice'), uniqueIndex('vapi_calls_vapi_call_id_key').on(t.vapiCallId), index('vapi_calls_call_session_id_idx').on(t.callSessionId),
    founderReadsThroughParent('vapi_calls', { schema: 'voice', table: 'call_sessions', founderColumn: 'user_id' }, 'call_session_id'),
  ],
);

/** Outbound calls the platform places: scheduled, dialled, and what came of it. */
export const voiceCalls = voice.table(
  'voice_calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    callStage: smallint('call_stage').notNull(),
    scheduledFor: timestampTz('scheduled_for').notNull(),
    status: text('status').notNull().default('scheduled'),
    attempts: smallint('attempts').notNull().default(0),
    vapiCallId: text('vapi_call_id'),
    callSessionId: uuid('call_session_id').references(() => callSessions.id, { onDelete: 'set null' }),
    lastError: text('last_error'),
    placedAt: timestampTz('placed_at'),
    /** The try that holds the row while `dialing`: a try that lost it (another took over) stops before calling VAPI. */
    claimId: uuid('claim_id'),
    /** Set just before the request to VAPI leaves: a later try that finds it set must not dial again. */
    requestSentAt: timestampTz('request_sent_at'),
    /** The `cancel-next-call` request that cancelled the row, so a retry of it reports what it cancelled. */
    cancelRequestId: uuid('cancel_request_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('voice_calls', 'voice'),
    // One planned call per founder and stage at a time.
    uniqueIndex('voice_calls_open_per_stage_key')
      .on(t.userId, t.callStage)
      .where(sql`${t.status} in ('scheduled', 'dialing')`),
    index('voice_calls_due_idx').on(t.scheduledFor).where(sql`${t.status} = 'scheduled'`),
    uniqueIndex('voice_calls_vapi_call_id_key').on(t.vapiCallId),
    CALL_STAGE_CHECK('voice_calls_call_stage', 'call_stage'),
    oneOf('voice_calls_status', 'status', ['scheduled', 'dialing', 'placed', 'completed', 'failed', 'cancelled']),
    founderReads('voice_calls', 'user_id'),
  ],
);

/** A call's conversation: one per call session, with its turns below. */
export const conversations = voice.table(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callSessionId: uuid('call_session_id')
      .notNull()
      .references(() => callSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id'),
    callStage: smallint('call_stage'),
    turnCount: integer('turn_count').notNull().default(0),
    startedAt: timestampTz('started_at'),
    endedAt: timestampTz('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [ownerAll('conversations', 'voice'), uniqueIndex('conversations_call_session_id_key').on(t.callSessionId), index('conversations_user_id_idx').on(t.userId), founderReads('conversations', 'user_id')],
);

export const conversationTurns = voice.table(
  'conversation_turns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    role: text('role').notNull(),
    content: text('content').notNull(),
    secondsFromStart: numeric('seconds_from_start', { precision: 10, scale: 3 }),
    durationSeconds: numeric('duration_seconds', { precision: 10, scale: 3 }),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('conversation_turns', 'voice'),
    uniqueIndex('conversation_turns_conversation_seq_key').on(t.conversationId, t.seq),
    // What was said, by whom: system prompts, tool calls and their results are not turns.
    oneOf('conversation_turns_role', 'role', ['assistant', 'user']),
    founderReadsThroughParent('conversation_turns', { schema: 'voice', table: 'conversations', founderColumn: 'user_id' }, 'conversation_id'),
  ],
);

/** The full transcript of a call: what the analysis reads. */
export const transcripts = voice.table(
  'transcripts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callSessionId: uuid('call_session_id')
      .notNull()
      .references(() => callSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id'),
    callStage: smallint('call_stage'),
    text: text('text').notNull(),
    wordCount: integer('word_count').notNull().default(0),
    language: text('language'),
    archivedAt: timestampTz('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('transcripts', 'voice'),
    uniqueIndex('transcripts_call_session_id_key').on(t.callSessionId),
    index('transcripts_user_id_idx').on(t.userId, t.createdAt),
    index('transcripts_created_at_idx').on(t.createdAt),
    CALL_STAGE_CHECK('transcripts_call_stage', 'call_stage'),
    founderReads('transcripts', 'user_id'),
  ],
);

/** Every VAPI server message received, once (by its event key), for debugging and replay. */
export const webhookLogs = voice.table(
  'webhook_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventKey: text('event_key').notNull(),
    messageType: text('message_type').notNull(),
    vapiCallId: text('vapi_call_id'),
    userId: uuid('user_id'),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('received'),
    error: text('error'),
    receivedAt: timestampTz('received_at').notNull(),
    processedAt: timestampTz('processed_at'),
    archivedAt: timestampTz('archived_at'),
    redacted: boolean('redacted').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('webhook_logs', 'voice'),
    uniqueIndex('webhook_logs_event_key_key').on(t.eventKey),
    index('webhook_logs_vapi_call_id_idx').on(t.vapiCallId),
    index('webhook_logs_received_at_idx').on(t.receivedAt),
    oneOf('webhook_logs_status', 'status', ['received', 'processed', 'ignored', 'failed']),
    founderReads('webhook_logs', 'user_id'),
  ],
);

/**
 * Transcripts and webhook logs past the retention age, gzip-compressed NDJSON in batches, kept after the
 * originals are deleted. Platform data: row-level security on, no founder policy.
 *
 * Beside each batch, the ids its rows are a founder's by (`archiveKeys`), so that erasing a founder reads only the
 * archives that hold their rows. Archives written before these columns have none of them (all three null): what
 * they hold is unknown, and every erasure reads them.
 */
export const archives = voice.table(
  'archives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    rowCount: integer('row_count').notNull(),
    oldest: timestampTz('oldest').notNull(),
    newest: timestampTz('newest').notNull(),
    content: bytea('content').notNull(),
    userIds: uuid('user_ids').array(),
    callSessionIds: uuid('call_session_ids').array(),
    vapiCallIds: text('vapi_call_ids').array(),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('archives', 'voice'),
    index('archives_kind_newest_idx').on(t.kind, t.newest),
    oneOf('archives_kind', 'kind', ['transcripts', 'webhook_logs']),
    check('archives_keys_all_or_none', sql`num_nulls(${t.userIds}, ${t.callSessionIds}, ${t.vapiCallIds}) in (0, 3)`),
    index('archives_user_ids_idx').using('gin', t.userIds),
    index('archives_call_session_ids_idx').using('gin', t.callSessionIds),
    index('archives_vapi_call_ids_idx').using('gin', t.vapiCallIds),
    // The archives written before the keys, found without reading the rest.
    index('archives_without_keys_idx').on(t.id).where(sql`${t.userIds} is null`),
  ],
).enableRLS();

/** The founders `erase-founder` erased: no later work on them writes their rows again (`founderErased`). */
export const erasedFounders = erasedFoundersTable(voice, 'voice');
