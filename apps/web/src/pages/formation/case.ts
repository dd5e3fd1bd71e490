import type { FormationCase, FormationCaseEvent, FormationCaseState, FormationDocument, FormationDomain, MissingIntakeItem } from '../../api/queries';
import { formatDate } from '../../lib/dates';

/**
 * The formation case in the founder's words: the steps from their details to a formed business and where the case
 * is among them, what they must do now, the domain's registration and the timeline. Pure, so that each rule is
 * tested on its own (case.spec.ts); the page draws what these return.
 */

export const STEPS = [
  { key: 'intake', title: 'Your details', about: 'What the filing needs from you.' },
  { key: 'documents', title: 'Documents', about: 'We draft your formation documents.' },
  { key: 'filed', title: 'Filed', about: 'We file them with the state.' },
  { key: 'approved', title: 'Approved', about: 'The state approves the filing.' },
  { key: 'ein', title: 'EIN', about: 'The IRS gives your business its tax number.' },
  { key: 'formed', title: 'Formed', about: 'Your business is formed.' },
] as const;
export type StepKey = (typeof STEPS)[number]['key'];

/** `waiting` is the current step held up by the founder; `rejected` the filing the state turned down. */
export type StepStatus = 'done' | 'current' | 'waiting' | 'rejected' | 'to-come';

/** The step a case is working on in each state (formed has none left). */
const WORKING_ON: Record<Exclude<FormationCaseState, 'needs_founder'>, StepKey | null> = {
  intake_complete: 'documents',
  documents_prepared: 'filed',
  filed: 'approved',
  approved: 'ein',
  ein_requested: 'ein',
  ein_received: 'formed',
  formed: null,
  rejected: 'filed',
};

/** The move that opened the question now open: the system's when the case opened without the details, else an operator's. */
function questionMove(c: Pick<FormationCase, 'state' | 'events'>): FormationCaseEvent | undefined {
  if (c.state !== 'needs_founder') return undefined;
  return c.events.findLast((e) => e.to_state === 'needs_founder' && (e.kind === 'opened' || e.kind === 'moved'));
}

/** Who asked the open question: the system (for the missing details) or our team. */
export const questionBy = (c: Pick<FormationCase, 'state' | 'events'>): 'system' | 'operator' | null => {
  const move = questionMove(c);
  if (!move) return null;
  return move.actor_type === 'operator' ? 'operator' : 'system';
};

/** The state the case works in: while a question is open, the one it was asked from. */
export function workingState(c: Pick<FormationCase, 'state' | 'events'>): Exclude<FormationCaseState, 'needs_founder'> {
  if (c.state !== 'needs_founder') return c.state;
  const from = questionMove(c)?.from_state;
  return from && from !== 'needs_founder' ? from : 'intake_complete';
}

/** Each step with its status, in order. */
export function stepsOf(c: Pick<FormationCase, 'state' | 'events' | 'todo'>): { key: StepKey; title: string; about: string; status: StepStatus }[] {
  const working = workingState(c);
  // A case opened before the details were complete is still at the first step; so is one whose details lost something.
  const intakeOpen = (c.state === 'needs_founder' && questionBy(c) === 'system' && working === 'intake_complete') || (working === 'intake_complete' && c.todo.missing.length > 0);
  const current: StepKey | null = intakeOpen ? 'intake' : WORKING_ON[working];
  const at = current ? STEPS.findIndex((s) => s.key === current) : STEPS.length;
  const currentStatus: StepStatus = c.state === 'needs_founder' || intakeOpen ? 'waiting' : working === 'rejected' ? 'rejected' : 'current';
  return STEPS.map((step, i) => ({ ...step, status: i < at ? 'done' : i === at ? currentStatus : 'to-come' }));
}

export const STEP_STATUS_WORDS: Record<StepStatus, string> = {
  done: 'Done',
  current: 'In progress',
  waiting: 'Waiting for you',
  rejected: 'Turned down',
  'to-come': 'To come',
};

/** What the founder must do now. */
export type Todo =
  | { kind: 'answer'; question: string; askedAt: string | null; missing: MissingIntakeItem[] }
  | { kind: 'intake'; missing: MissingIntakeItem[] }
  | { kind: 'nothing' };

export function todoOf(c: Pick<FormationCase, 'state' | 'events' | 'todo'>): Todo {
  const { question, asked_at: askedAt, missing } = c.todo;
  // The system's question only lists the missing details, which the form answers; with none left, a word back moves the case on.
  if (c.state === 'needs_founder' && question && (questionBy(c) === 'operator' || missing.length === 0)) return { kind: 'answer', question, askedAt, missing };
  if (missing.length) return { kind: 'intake', missing };
  return { kind: 'nothing' };
}

const ENTITY_WORDS: Record<string, string> = { llc: 'LLC', corporation: 'corporation' };
const entity = (c: Pick<FormationCase, 'entity_type'>) => ENTITY_WORDS[c.entity_type ?? ''] ?? 'business';

/** What is happening now, said to the founder. */
export function nowWords(c: FormationCase): string {
  switch (workingState(c)) {
    case 'intake_complete':
      return c.todo.missing.length ? 'We need a few more details before we can prepare your documents.' : 'We have what we need and are preparing your formation documents.';
    case 'documents_prepared':
      return 'Your documents are ready. We are filing them with the state.';
    case 'filed':
      return `Filed with the state${c.filing_number ? ` under number ${c.filing_number}` : ''}. We are waiting for the state to approve it.`;
    case 'approved':
      return `The state approved your ${entity(c)}. Next we ask the IRS for its EIN, its tax number.`;
    case 'ein_requested':
      return 'We have asked the IRS for your EIN.';
    case 'ein_received':
      return 'Your EIN has arrived. We are finishing up.';
    case 'formed':
      return `Your ${entity(c)} is formed.`;
    case 'rejected':
      return `The state turned the filing down${c.state_reason ? `: “${c.state_reason}”` : ''}. We are correcting it and will file again.`;
  }
}

/**
 * Where a missing detail is filled in: the id of the formation form's control (`intakeControlId`), the founder's
 * profile for the name that signs the filing, or nowhere this page has (say it in words only).
 */
export type FieldTarget = { control: string } | { page: '/profile' } | null;

const FORM_FIELD = /^(legal_name|dba_name|entity_type|state_of_formation|management_structure|business_purpose|naics_code|registered_agent\.name|(business_address|mailing_address|registered_agent\.address)\.(line1|line2|city|state|postal_code|county)|members\.\d+\.(name|role|ownership_percent)|authorized_shares\.(count|par_value))$/;

/** A part named as a whole goes to its first field. */
const FIRST_FIELD: Record<string, string> = {
  business_address: 'business_address.line1',
  mailing_address: 'mailing_address.line1',
  registered_agent: 'registered_agent.name',
  'registered_agent.address': 'registered_agent.address.line1',
  members: 'members',
  authorized_shares: 'authorized_shares.count',
  // The county the documents ask for is the principal office's.
  county: 'business_address.county',
};

export function fieldTarget(field: string): FieldTarget {
  if (field === 'organizer.name') return { page: '/profile' };
  const path = FIRST_FIELD[field] ?? field;
  return path === 'members' || FORM_FIELD.test(path) ? { control: intakeControlId(path) } : null;
}

/** The id of the formation form's control for an API field path (`members.0.name` → `intake-members-0-name`). */
export const intakeControlId = (path: string) => `intake-${path.replaceAll('.', '-')}`;

/** The registration failed for want of the founder's agreement to the registrar's agreements as they are now: they agree again, then it is retried. */
export const failedForConsent = (domain: Pick<FormationDomain, 'status' | 'reason'>) =>
  domain.status === 'failed' && (domain.reason === 'registration_consent_missing' || domain.reason === 'registration_consent_outdated');

/** The domain's registration, said to the founder. `todo` is set when it waits for them. */
export function domainWords(domain: FormationDomain): { words: string; todo?: 'choose' | 'contact' | 'consent' } {
  const name = domain.domain ?? 'your domain';
  switch (domain.status) {
    case 'awaiting_selection':
      return { words: 'Your package includes a domain. Choose the one you want and we register it for you.', todo: 'choose' };
    case 'awaiting_contact':
      return {
        words: `We register ${name} as soon as we have your contact details for it: your first and last name, a confirmed phone number, and an address in your formation details.`,
        todo: 'contact',
      };
    case 'awaiting_consent':
      return { words: `Before we register ${name} for you, the registrar asks you to read its registration agreements and agree to them.`, todo: 'consent' };
    case 'pending':
      return { words: `We are registering ${name} for you.` };
    case 'registered':
      return { words: `${name} is registered to you${domain.expires_at ? ` until ${formatDate(domain.expires_at)}` : ''}.` };
    case 'failed':
      if (failedForConsent(domain)) {
        return {
          words: `Registering ${name} did not go through: the registrar needs your agreement to its registration agreements as they are now. Once you have agreed, our team registers it again.`,
          todo: 'consent',
        };
      }
      return { words: `Registering ${name} did not work the first time. We are on it and will let you know.` };
  }
}

/** The domain's registration waits for the founder (to choose, complete their contact or agree), whatever the formation does. */
export const domainWaitsForFounder = (c: Pick<FormationCase, 'domain'>) => Boolean(c.domain && domainWords(c.domain).todo);

export const DOCUMENT_TITLES: Record<FormationDocument['kind'], string> = {
  articles_of_organization: 'Articles of Organization',
  articles_of_incorporation: 'Articles of Incorporation',
  operating_agreement: 'Operating agreement',
  bylaws: 'Bylaws',
};

export const fileSize = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Every version of the documents split into the current ones and those newer versions replaced. */
export function splitVersions(documents: FormationDocument[]): { current: FormationDocument[]; older: FormationDocument[] } {
  return { current: documents.filter((d) => !d.superseded_at), older: documents.filter((d) => d.superseded_at) };
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const day = (value: unknown) => (text(value) ? formatDate(value as string) : undefined);

/** One line of the case's timeline, in the founder's words. */
export function eventWords(e: FormationCaseEvent): string {
  const ev = e.evidence;
  switch (e.kind) {
    case 'opened':
      return e.to_state === 'needs_founder' ? 'Your formation started. We asked you for the details the filing needs.' : 'Your formation started.';
    case 'package':
      return `Your package changed${text(ev.package_id) ? ` to ${text(ev.package_id)}` : ''}.`;
    case 'documents':
      return `Your documents were prepared${typeof ev.documents_version === 'number' ? ` (version ${ev.documents_version})` : ''}.`;
    case 'domain': {
      const status = text(ev.domain_status);
      const domain = text(ev.domain) ?? 'Your domain';
      return status === 'registered' ? `${domain} was registered.` : status === 'failed' ? `Registering ${domain} did not work.` : `We asked for ${domain} to be registered.`;
    }
    case 'moved':
      return moveWords(e);
  }
}

function moveWords(e: FormationCaseEvent): string {
  const ev = e.evidence;
  // Out of a question: the founder answered, or completed the details it asked for.
  if (e.from_state === 'needs_founder') return text(ev.answer) ? `You answered: “${text(ev.answer)}”` : 'Your details are complete.';
  switch (e.to_state) {
    case 'needs_founder':
      return `We asked you: “${text(ev.question) ?? 'a question'}”`;
    case 'documents_prepared':
      return 'Your documents are ready.';
    case 'filed':
      return `Filed with the state${text(ev.filing_number) ? `, filing number ${text(ev.filing_number)}` : ''}${day(ev.filed_at) ? `, on ${day(ev.filed_at)}` : ''}.`;
    case 'approved':
      return `Approved by the state${day(ev.approved_at) ? ` on ${day(ev.approved_at)}` : ''}.`;
    case 'ein_requested':
      return 'We asked the IRS for your EIN.';
    case 'ein_received':
      return `Your EIN arrived${text(ev.ein_last4) ? ` (ending in ${text(ev.ein_last4)})` : ''}.`;
    case 'formed':
      return 'Your business is formed.';
    case 'rejected':
      return `The state turned the filing down${text(ev.state_reason) ? `: “${text(ev.state_reason)}”` : ''}.`;
    case 'intake_complete':
      return 'Your details are complete.';
  }
}

export const ACTOR_WORDS: Record<FormationCaseEvent['actor_type'], string> = { founder: 'You', operator: 'DreamSeed', system: 'Automatic' };

/** The case in a few words, for the overview: the step it is at and how that step stands. */
export function caseSummary(c: Pick<FormationCase, 'state' | 'events' | 'todo'>): string {
  const steps = stepsOf(c);
  const at = steps.findIndex((s) => s.status !== 'done');
  const step = steps[at];
  return step ? `Step ${at + 1} of ${steps.length}, ${step.title.toLowerCase()}: ${STEP_STATUS_WORDS[step.status].toLowerCase()}` : 'Formed';
}
