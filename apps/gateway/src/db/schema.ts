import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ASSISTANT_TYPES,
  ENTITY_TYPES,
  FORMATION_CASE_STATES,
  FORMATION_DOMAIN_STATUSES,
  PAYMENT_STATUSES,
  PROFILE_STATUSES,
  SUBSCRIPTION_TYPES,
  URGENCY_LEVELS,
  US_STATES,
} from '@dreamseed/contracts';
import { authUserReads, createdAt, founderReads, founderReadsThroughParent, founderWrites, oneOf, ownerAll, updatedAt } from '@dreamseed/platform/schema';

/**
 * The gateway owns two schemas: `auth` (accounts, sessions and tokens, shaped like Supabase Auth so that
 * `@supabase/auth-js` works against the gateway) and `core` (the founder's profile and formation data).
 */
export const auth = pgSchema('auth');
export const core = pgSchema('core');


export const authUsers = auth.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    aud: text('aud').notNull().default('authenticated'),
    role: text('role').notNull().default('authenticated'),
    email: text('email'),
    encryptedPassword: text('encrypted_password'),
    emailConfirmedAt: timestamp('email_confirmed_at', { withTimezone: true }),
    confirmationSentAt: timestamp('confirmation_sent_at', { withTimezone: true }),
    recoverySentAt: timestamp('recovery_sent_at', { withTimezone: true }),
    emailChange: text('email_change'),
    emailChangeSentAt: timestamp('email_change_sent_at', { withTimezone: true }),
    phone: text('phone'),
    phoneConfirmedAt: timestamp('phone_confirmed_at', { withTimezone: true }),
    /** A number the user asked for and has not confirmed yet (GoTrue's name); `phone` is only ever a confirmed one. */
    phoneChange: text('phone_change'),
    phoneChangeSentAt: timestamp('phone_change_sent_at', { withTimezone: true }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    /** When the admin API last invited the address (GoTrue's `invited_at`). */
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    rawAppMetaData: jsonb('raw_app_meta_data').notNull().default({}),
    rawUserMetaData: jsonb('raw_user_meta_data').notNull().default({}),
    isAnonymous: boolean('is_anonymous').notNull().default(false),
    bannedUntil: timestamp('banned_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    ownerAll('users', 'gateway'),
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`).where(sql`${t.email} is not null and ${t.deletedAt} is null`),
    uniqueIndex('users_phone_key').on(t.phone).where(sql`${t.phone} is not null and ${t.deletedAt} is null`),
    check('users_email_format', sql`${t.email} is null or ${t.email} ~ '^[^@[:space:]]+@[^@[:space:]]+$'`),
    authUserReads('users', 'id'),
  ],
);

export const authSessions = auth.table(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    aal: text('aal').notNull().default('aal1'),
    notAfter: timestamp('not_after', { withTimezone: true }),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [ownerAll('sessions', 'gateway'), index('sessions_user_id_idx').on(t.userId), check('sessions_aal', sql`${t.aal} in ('aal1', 'aal2', 'aal3')`), authUserReads('sessions', 'user_id')],
);

/** Opaque refresh tokens, stored as hashes; single use: using one marks it revoked and issues its child. */
export const refreshTokens = auth.table(
  'refresh_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => authSessions.id, { onDelete: 'cascade' }),
    parentId: bigint('parent_id', { mode: 'number' }),
    revoked: boolean('revoked').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('refresh_tokens', 'gateway'),
    uniqueIndex('refresh_tokens_token_hash_key').on(t.tokenHash),
    index('refresh_tokens_session_id_idx').on(t.sessionId),
    index('refresh_tokens_user_id_idx').on(t.userId),
    authUserReads('refresh_tokens', 'user_id'),
  ],
);

/** One-time tokens for email confirmation, recovery, email change and phone change, stored as hashes. */
export const oneTimeTokens = auth.table(
  'one_time_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    tokenType: text('token_type').notNull(),
    tokenHash: text('token_hash').notNull(),
    relatesTo: text('relates_to').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('one_time_tokens', 'gateway'),
    uniqueIndex('one_time_tokens_user_type_key').on(t.userId, t.tokenType),
    uniqueIndex('one_time_tokens_token_hash_key').on(t.tokenHash),
    check(
      'one_time_tokens_type',
      sql`${t.tokenType} in ('confirmation_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current', 'phone_change_token', 'reauthentication_token')`,
    ),
    authUserReads('one_time_tokens', 'user_id'),
  ],
);

/**
 * Mails to send (and, without SMTP, the local outbox developers and tests read). Phone codes go the same way: a
 * row of kind `phone_change_token` whose recipient is the number is an SMS.
 */
export const mailOutbox = auth.table(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => authUsers.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: smallint('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('mail_outbox', 'gateway'),
    index('mail_outbox_recipient_idx').on(sql`lower(${t.recipient})`, t.createdAt),
    check('mail_outbox_status', sql`${t.status} in ('pending', 'sent', 'written', 'failed')`),
    authUserReads('mail_outbox', 'user_id'),
  ],
);

/** The founder's profile: the seed's 36 columns, names kept exactly. */
export const users = core.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    authUserId: uuid('auth_user_id').references(() => authUsers.id, { onDelete: 'set null' }),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    /** Only a number the founder confirmed with a code (auth.users.phone): inbound calls from it get their context. */
    customerPhone: text('customer_phone'),
    businessName: text('business_name'),
    businessType: text('business_type'),
    stateOfOperation: text('state_of_operation'),
    entityType: text('entity_type'),
    call1Completed: boolean('call_1_completed').notNull().default(false),
    call2Completed: boolean('call_2_completed').notNull().default(false),
    call3Completed: boolean('call_3_completed').notNull().default(false),
    call4Completed: boolean('call_4_completed').notNull().default(false),
    call1CompletedAt: timestamp('call_1_completed_at', { withTimezone: true }),
    call2CompletedAt: timestamp('call_2_completed_at', { withTimezone: true }),
    call3CompletedAt: timestamp('call_3_completed_at', { withTimezone: true }),
    call4CompletedAt: timestamp('call_4_completed_at', { withTimezone: true }),
    status: text('status').notNull().default('registered'),
    currentCallStage: smallint('current_call_stage').notNull().default(1),
    nextCallScheduled: timestamp('next_call_scheduled', { withTimezone: true }),
    assistantId: text('assistant_id'),
    individualAssistantId: text('individual_assistant_id'),
    assistantType: text('assistant_type').notNull().default('shared'),
    packagePreference: text('package_preference'),
    urgencyLevel: text('urgency_level'),
    timeline: text('timeline'),
    accountType: text('account_type').notNull().default('founder'),
    emailConfirmed: boolean('email_confirmed').notNull().default(false),
    paymentStatus: text('payment_status').notNull().default('none'),
    subscriptionType: text('subscription_type'),
    /** Minor units (cents) of the billing currency. */
    amountPaid: integer('amount_paid').notNull().default(0),
    /** The lower-case ISO 4217 currency of `amount_paid`, as billing reports it. */
    currency: text('currency').notNull().default('usd'),
    paymentDate: timestamp('payment_date', { withTimezone: true }),
    subscriptionExpiresAt: timestamp('subscription_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    ownerAll('users', 'gateway'),
    uniqueIndex('users_auth_user_id_key').on(t.authUserId),
    // Inbound calls find the founder by phone number.
    uniqueIndex('users_customer_phone_key').on(t.customerPhone).where(sql`${t.customerPhone} is not null and ${t.deletedAt} is null`),
    index('users_customer_email_idx').on(sql`lower(${t.customerEmail})`),
    index('users_status_idx').on(t.status),
    // The outbound-call scheduler looks for calls coming due.
    index('users_next_call_scheduled_idx').on(t.nextCallScheduled).where(sql`${t.nextCallScheduled} is not null`),
    check('users_customer_phone_e164', sql`${t.customerPhone} is null or ${t.customerPhone} ~ '^\\+[1-9][0-9]{6,14}$'`),
    oneOf('users_state_of_operation', 'state_of_operation', US_STATES),
    oneOf('users_entity_type', 'entity_type', ENTITY_TYPES),
    oneOf('users_status', 'status', PROFILE_STATUSES),
    check('users_current_call_stage', sql`${t.currentCallStage} between 1 and 5`),
    oneOf('users_assistant_type', 'assistant_type', ASSISTANT_TYPES),
    oneOf('users_urgency_level', 'urgency_level', URGENCY_LEVELS),
    oneOf('users_payment_status', 'payment_status', PAYMENT_STATUSES),
    oneOf('users_subscription_type', 'subscription_type', SUBSCRIPTION_TYPES),
    check('users_amount_paid', sql`${t.amountPaid} >= 0`),
    check('users_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
    founderReads('users', 'id'),
    // Which columns a founder may change is decided by column grants (migration 0002).
    founderWrites('users', 'id')[1],
  ],
);

/** The founder's sign-ins and activity, for analytics and "sign out everywhere". */
export const userSessions = core.table(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    authSessionId: uuid('auth_session_id').references(() => authSessions.id, { onDelete: 'set null' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [ownerAll('user_sessions', 'gateway'), index('user_sessions_user_id_idx').on(t.userId, t.startedAt), uniqueIndex('user_sessions_auth_session_key').on(t.authSessionId), founderReads('user_sessions', 'user_id')],
);

/** Formation details beyond the profile: what gets filed with the state. */
export const businessFormationData = core.table(
  'business_formation_data',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    legalName: text('legal_name'),
    dbaName: text('dba_name'),
    entityType: text('entity_type'),
    stateOfFormation: text('state_of_formation'),
    businessAddress: jsonb('business_address'),
    mailingAddress: jsonb('mailing_address'),
    registeredAgent: jsonb('registered_agent'),
    members: jsonb('members').notNull().default([]),
    managementStructure: text('management_structure'),
    businessPurpose: text('business_purpose'),
    naicsCode: text('naics_code'),
    /** A corporation's authorized shares, `{ count, par_value }` (par value in US dollars, null for no par value). */
    authorizedShares: jsonb('authorized_shares'),
    einStatus: text('ein_status').notNull().default('not_started'),
    formationStatus: text('formation_status').notNull().default('not_started'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('business_formation_data', 'gateway'),
    uniqueIndex('business_formation_data_user_id_key').on(t.userId),
    oneOf('business_formation_data_entity_type', 'entity_type', ENTITY_TYPES),
    oneOf('business_formation_data_state', 'state_of_formation', US_STATES),
    oneOf('business_formation_data_management', 'management_structure', ['member_managed', 'manager_managed', 'board']),
    oneOf('business_formation_data_ein_status', 'ein_status', ['not_started', 'applied', 'received']),
    oneOf('business_formation_data_formation_status', 'formation_status', [
      'not_started',
      'in_progress',
      'filed',
      'approved',
      'rejected',
    ]),
    founderReads('business_formation_data', 'user_id'),
    ...founderWrites('business_formation_data', 'user_id'),
  ],
);

/**
 * Every profile report the gateway has received from another owner, once (its event id): duplicates are
 * dropped, and a report older than one already applied for the same kind of change is kept as `stale`.
 */
export const profileEvents = core.table(
  'profile_events',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    outcome: text('outcome').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    ownerAll('profile_events', 'gateway'),
    index('profile_events_user_kind_idx').on(t.userId, t.kind, t.occurredAt),
    oneOf('profile_events_outcome', 'outcome', ['applied', 'stale', 'ignored']),
    founderReads('profile_events', 'user_id'),
  ],
);

/**
 * Webhook events accepted while Redis was unreachable: the 2xx went out once the event was here, and a relay
 * moves each to its queue (under the same deterministic job id) when Redis is back, then deletes it.
 */
export const webhookInbox = core.table(
  'webhook_inbox',
  {
    jobId: text('job_id').primaryKey(),
    queue: text('queue').notNull(),
    jobName: text('job_name').notNull(),
    /**
     * The `QUEUE_PREFIX` of the platform that wrote the row: a relay moves only its own platform's rows (and rows
     * from before the column, which name none), so that platforms sharing a database never take each other's.
     */
    queuePrefix: text('queue_prefix'),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    ownerAll('webhook_inbox', 'gateway'),
    index('webhook_inbox_received_at_idx').on(t.receivedAt),
    // Platform data in transit: no founder reads it.
  ],
).enableRLS();

/**
 * Everything an operator did or read about a founder, whether it was done or refused: who, what, on whom, why and
 * how it ended. Written by the gateway only, never updated or deleted; no founder reads it. The operator and the
 * founder are kept as ids without a foreign key (and the operator's address as it was), so that the record
 * outlives both accounts.
 */
export const operatorAudit = core.table(
  'operator_audit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    operatorId: uuid('operator_id').notNull(),
    operatorEmail: text('operator_email'),
    action: text('action').notNull(),
    userId: uuid('user_id'),
    /** What the action was on beyond the founder: a call, a payment, a queue's job. */
    target: text('target'),
    reason: text('reason'),
    /** The action's own inputs (never secrets or what the founder said). */
    params: jsonb('params').notNull().default({}),
    outcome: text('outcome').notNull(),
    /** The refusal's or failure's machine-readable code. */
    code: text('code'),
    /** The client's Idempotency-Key: the same key again for the same action answers what the first did. */
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('operator_audit', 'gateway'),
    index('operator_audit_user_idx').on(t.userId, t.createdAt),
    index('operator_audit_created_idx').on(t.createdAt),
    uniqueIndex('operator_audit_idempotency_key').on(t.operatorId, t.action, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    oneOf('operator_audit_outcome', 'outcome', ['done', 'accepted', 'refused', 'failed']),
  ],
).enableRLS();

/**
 * What an owner flagged for an operator about a founder (`founder-attention` jobs): one row per founder and kind,
 * `raised` since `raised_at` until the owner clears it. Reports apply once and in order (`occurred_at`).
 */
export const founderAttention = core.table(
  'founder_attention',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    detail: text('detail'),
    raisedAt: timestamp('raised_at', { withTimezone: true }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    lastEventId: text('last_event_id').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('founder_attention', 'gateway'),
    primaryKey({ columns: [t.userId, t.kind] }),
    index('founder_attention_raised_idx').on(t.state, t.raisedAt),
    oneOf('founder_attention_state', 'state', ['raised', 'cleared']),
  ],
).enableRLS();


/** Postgres `bytea`, read and written as a Buffer (Drizzle has no builder of its own for it). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The chosen domain as the domain service last reported it (`profile-domain-selected`), kept so that a package
 * paid later can ask for its registration without reading another owner's data.
 */
export const domainChoices = core.table(
  'domain_choices',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  () => [ownerAll('domain_choices', 'gateway'), founderReads('domain_choices', 'user_id')],
);

/**
 * The founder's agreement to the registration agreements of a domain, which the registrar's purchase carries as
 * its consent: the keys they agreed to, their address as the gateway saw it, and when. Kept as given (never
 * changed or deleted, as the formation case's events): the registrar may ask who agreed, and when.
 */
export const registrationConsents = core.table(
  'registration_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    /** The registrar whose agreements they are (`godaddy`, `local`). */
    registrar: text('registrar').notNull(),
    agreementKeys: text('agreement_keys').array().notNull(),
    agreedBy: text('agreed_by').notNull(),
    agreedAt: timestamp('agreed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    ownerAll('registration_consents', 'gateway'),
    index('registration_consents_user_domain_idx').on(t.userId, t.domain, t.agreedAt),
    founderReads('registration_consents', 'user_id'),
  ],
);

/**
 * A founder's formation case, from the paid package to the formed company: one per founder (a later formation
 * payment, an upgrade, changes the package of the same case). Its state moves only through `formation/machine.ts`;
 * `version` grows with every change, and each move is a row of `formation_case_events`.
 */
export const formationCases = core.table(
  'formation_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The payment that opened the case (billing's id); upgrades are events. */
    paymentId: uuid('payment_id').notNull(),
    packageId: text('package_id').notNull(),
    includesDomain: boolean('includes_domain').notNull().default(false),
    state: text('state').notNull(),
    /** While `needs_founder`: the state the answer returns the case to. */
    stateBeforeQuestion: text('state_before_question'),
    /** The open question to the founder, and who asked it (`system` for missing intake, or `operator`). */
    question: text('question'),
    questionBy: text('question_by'),
    questionAskedAt: timestamp('question_asked_at', { withTimezone: true }),
    /** What was filed: set when the documents are prepared, from the intake. */
    entityType: text('entity_type'),
    stateOfFormation: text('state_of_formation'),
    filingNumber: text('filing_number'),
    /** The state's reason when it rejected the filing. */
    stateReason: text('state_reason'),
    /** Nine digits. Sensitive: shown to the founder and operators, never logged, never in job payloads or audit params. */
    ein: text('ein'),
    domain: text('domain'),
    domainStatus: text('domain_status'),
    /** The `register-domain` request: one per case, so a domain is never asked for twice. */
    domainRequestId: uuid('domain_request_id'),
    domainExpiresAt: timestamp('domain_expires_at', { withTimezone: true }),
    domainOrderId: text('domain_order_id'),
    domainReason: text('domain_reason'),
    /** When the domain service's last applied report happened: an older one is stale. */
    domainReportedAt: timestamp('domain_reported_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the case entered its current state: the operators' queue sorts and flags by it. */
    stateEnteredAt: timestamp('state_entered_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: updatedAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    ownerAll('formation_cases', 'gateway'),
    uniqueIndex('formation_cases_user_id_key').on(t.userId),
    uniqueIndex('formation_cases_payment_id_key').on(t.paymentId),
    uniqueIndex('formation_cases_domain_request_id_key').on(t.domainRequestId),
    index('formation_cases_state_idx').on(t.state, t.stateEnteredAt),
    oneOf('formation_cases_state', 'state', FORMATION_CASE_STATES),
    oneOf('formation_cases_state_before_question', 'state_before_question', FORMATION_CASE_STATES),
    oneOf('formation_cases_question_by', 'question_by', ['system', 'operator']),
    oneOf('formation_cases_entity_type', 'entity_type', ENTITY_TYPES),
    oneOf('formation_cases_state_of_formation', 'state_of_formation', US_STATES),
    oneOf('formation_cases_domain_status', 'domain_status', FORMATION_DOMAIN_STATUSES),
    check('formation_cases_ein', sql`${t.ein} is null or ${t.ein} ~ '^[0-9]{9}$'`),
    check('formation_cases_question', sql`(${t.state} = 'needs_founder') = (${t.question} is not null)`),
    founderReads('formation_cases', 'user_id'),
  ],
);

/**
 * Everything that happened to a case, kept forever (never updated or deleted): each move with who made it, when and
 * its evidence (filing number, dates, the question and its answer, the state's reason), and the other changes
 * (package, documents, domain) with `from_state` = `to_state`.
 */
export const formationCaseEvents = core.table(
  'formation_case_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => formationCases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorType: text('actor_type').notNull(),
    /** The operator's or founder's auth user id; null for the system. */
    actorId: uuid('actor_id'),
    /** The operator's address as it was (founders and the system: null). */
    actorEmail: text('actor_email'),
    /** What the founder may see: filing number, dates, question, answer, the state's reason, package, domain. */
    evidence: jsonb('evidence').notNull().default({}),
    /** The operator's own reason, for staff only (as in the audit log). */
    reason: text('reason'),
    // The clock's time, not the transaction's: one transaction's events (documents, then the move) keep their order.
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    ownerAll('formation_case_events', 'gateway'),
    index('formation_case_events_case_idx').on(t.caseId, t.at),
    oneOf('formation_case_events_kind', 'kind', ['opened', 'moved', 'package', 'documents', 'domain']),
    oneOf('formation_case_events_from_state', 'from_state', FORMATION_CASE_STATES),
    oneOf('formation_case_events_to_state', 'to_state', FORMATION_CASE_STATES),
    oneOf('formation_case_events_actor_type', 'actor_type', ['operator', 'founder', 'system']),
    founderReadsThroughParent('formation_case_events', { schema: 'core', table: 'formation_cases', founderColumn: 'user_id' }, 'case_id'),
  ],
);

/**
 * The case's documents (PDF drafts): a set per version of the inputs. A new version supersedes the set before it
 * (`superseded_at`); nothing is deleted.
 */
export const formationDocuments = core.table(
  'formation_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => formationCases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    filename: text('filename').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
    /** The hash of what the documents were made from: the same inputs make no new version. */
    inputsSha256: text('inputs_sha256').notNull(),
    createdAt: createdAt(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [
    ownerAll('formation_documents', 'gateway'),
    uniqueIndex('formation_documents_case_kind_version_key').on(t.caseId, t.kind, t.version),
    index('formation_documents_case_idx').on(t.caseId, t.createdAt),
    oneOf('formation_documents_kind', 'kind', ['articles_of_organization', 'articles_of_incorporation', 'operating_agreement', 'bylaws']),
    check('formation_documents_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    founderReadsThroughParent('formation_documents', { schema: 'core', table: 'formation_cases', founderColumn: 'user_id' }, 'case_id'),
  ],
);
