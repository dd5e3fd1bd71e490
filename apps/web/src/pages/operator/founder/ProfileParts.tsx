import type { ReactNode } from 'react';
import { ENTITY_TYPES } from '../../../lib/choices';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { Empty } from '../../../ui/status';
import type { FounderFile } from '../api';
import { attentionWords, callStageWords, founderStatus } from '../words';

type Facts = [string, ReactNode][];

/** Label and value pairs; an empty value reads "Not given". */
export function FactList({ facts }: { facts: Facts }) {
  return (
    <dl className="glance">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? <span className="meta">Not given</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

const when = (iso: string | null) => (iso ? formatDateTime(iso) : null);

export function ProfilePart({ file }: { file: FounderFile }) {
  const p = file.profile;
  const entity = p.entity_type ? (ENTITY_TYPES as Record<string, string>)[p.entity_type] ?? p.entity_type : null;
  return (
    <FactList
      facts={[
        ['Email', p.customer_email],
        ['Phone', p.customer_phone],
        ['Business', p.business_name],
        ['Kind of business', p.business_type],
        ['Business type', entity],
        ['State', p.state_of_operation],
        ['Where they are', `${founderStatus(p.status)}; ${callStageWords(p.current_call_stage).toLowerCase()}`],
        ['Next call', when(p.next_call_scheduled)],
        ['Package they lean to', p.package_preference],
        ['Urgency', p.urgency_level],
        ['Timeline', p.timeline],
        ['Payment', p.payment_status === 'none' ? 'Nothing paid' : `${p.payment_status}${p.amount_paid ? `, ${formatMoney(p.amount_paid, p.currency)}` : ''}${p.payment_date ? ` on ${formatDate(p.payment_date)}` : ''}`],
        ['Signed up', formatDateTime(p.created_at)],
        ...(p.deleted_at ? ([['Deleted their account', formatDateTime(p.deleted_at)]] as Facts) : []),
        ...(file.formation ? ([['Formation', `${file.formation.formation_status}${file.formation.legal_name ? `: ${file.formation.legal_name}` : ''}`]] as Facts) : []),
      ]}
    />
  );
}

export function AccountPart({ file }: { file: FounderFile }) {
  const a = file.account;
  if (!a) return <Empty>This founder has no sign-in account.</Empty>;
  return (
    <FactList
      facts={[
        ['Sign-in email', a.email],
        ['Email confirmed', a.email_confirmed ? `Yes${a.email_confirmed_at ? `, ${formatDateTime(a.email_confirmed_at)}` : ''}` : 'No'],
        ['Last signed in', when(a.last_sign_in_at) ?? 'Never'],
        ['Blocked', a.banned ? `Yes${a.banned_until ? `, until ${formatDateTime(a.banned_until)}` : ''}` : 'No'],
        ['Account made', formatDateTime(a.created_at)],
        ...(a.deleted_at ? ([['Account deleted', formatDateTime(a.deleted_at)]] as Facts) : []),
      ]}
    />
  );
}

export function AttentionPart({ file }: { file: FounderFile }) {
  if (!file.attention.length) return <p>Nothing is flagged for this founder.</p>;
  return (
    <ul className="plain">
      {file.attention.map((flag) => (
        <li key={`${flag.kind}-${flag.occurred_at}`}>
          <strong>{attentionWords(flag.kind)}</strong>, {formatDateTime(flag.raised_at ?? flag.occurred_at)}
          {flag.detail ? <span className="meta">: {flag.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}
