import type { AuditEntry, StuckFounder } from './api';

/** A founder's `status`, as the team says it. */
export const FOUNDER_STATUS: Record<string, string> = {
  registered: 'Signed up',
  in_consultation: 'In consultation',
  analysis_ready: 'Dream DNA ready',
  domain_selected: 'Domain chosen',
  paid: 'Paid',
  formed: 'Formed',
  archived: 'Archived',
};

export const founderStatus = (status: string) => FOUNDER_STATUS[status] ?? status;

/** Where a founder is in the calls: the next one, or all done. */
export const callStageWords = (stage: number) => (stage > 4 ? 'All four calls done' : `Next: call ${stage}`);

export const STUCK_REASONS: Record<StuckFounder['reasons'][number]['code'], string> = {
  idle: 'No step for a while',
  analysis_failed: 'An analysis failed',
  outbound_call_failed: 'A call we placed failed',
  outbound_call_unanswered: 'A call we placed went unanswered',
  domain_registration_failed: 'Registering their domain failed',
  failed_job: 'A job about them failed',
};

/** The flags the services raise (the file's `attention`), in the same words as the stuck list. */
export const attentionWords = (kind: string) => (STUCK_REASONS as Record<string, string>)[kind] ?? kind;

const AUDIT_ACTIONS: Record<string, string> = {
  read_file: 'Opened the file',
  read_transcript: 'Read a transcript',
  rerun_analysis: 'Re-ran the analysis',
  reschedule_call: 'Rescheduled the next call',
  cancel_call: 'Cancelled the next call',
  resend_mail: 'Sent a mail again',
  refund: 'Refunded a payment',
  retry_job: 'Retried a failed job',
  discard_job: 'Discarded a failed job',
  retry_failed_jobs: 'Retried failed jobs',
  dashboard_command: 'Used the queue dashboard',
  formation_prepare_documents: 'Prepared the formation documents',
  formation_advance: 'Moved the formation case on',
  formation_ask: 'Asked the founder about their formation',
  formation_reject: "Recorded the state's rejection",
  read_formation_document: 'Downloaded a formation document',
};

export const auditAction = (action: string) => AUDIT_ACTIONS[action] ?? action.replaceAll('_', ' ');

export const OUTCOMES: Record<AuditEntry['outcome'], string> = { done: 'Done', accepted: 'Accepted', refused: 'Refused', failed: 'Failed' };

/** How the operators' pages name a founder: their name, else their email, else their id. */
export const founderName = (founder: { name?: string | null; customer_name?: string | null; email?: string | null; customer_email?: string | null; user_id: string }) =>
  founder.customer_name ?? founder.name ?? founder.customer_email ?? founder.email ?? founder.user_id;
