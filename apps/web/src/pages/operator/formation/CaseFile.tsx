import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ENTITY_TYPES } from '../../../lib/choices';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { DownloadButton } from '../../../ui/Download';
import { PageHeader } from '../../../ui/PageHeader';
import { BackLink, Empty, ErrorNotice, Loading, Success } from '../../../ui/status';
import { DOCUMENT_TITLES, failedForConsent, fileSize } from '../../formation/case';
import { FactList } from '../founder/ProfileParts';
import { Section } from '../Section';
import { founderName } from '../words';
import { formationListsKey, readCaseDocument, useCaseFile, type CaseActionDone, type CaseFile, type StaffEvent } from './api';
import { CaseActions } from './CaseActions';
import { STATE_WORDS } from './moves';

type Address = { line1?: string; line2?: string; city?: string; state?: string; postal_code?: string; county?: string };
type Member = { name?: string; role?: string; ownership_percent?: number };

const addressWords = (value: unknown) => {
  const a = value as Address | null | undefined;
  if (!a?.line1) return null;
  return [a.line1, a.line2, a.city, [a.state, a.postal_code].filter(Boolean).join(' '), a.county ? `${a.county} County` : null].filter(Boolean).join(', ');
};

const sharesWords = (value: unknown) => {
  const shares = value as { count?: number; par_value?: number | null } | null | undefined;
  if (typeof shares?.count !== 'number') return null;
  const count = shares.count.toLocaleString('en-US');
  return typeof shares.par_value === 'number' ? `${count}, par value $${shares.par_value.toLocaleString('en-US', { maximumFractionDigits: 10 })}` : `${count}, no par value`;
};

const MANAGEMENT: Record<string, string> = { member_managed: 'By its members', manager_managed: 'By managers', board: 'By a board' };

function IntakePart({ intake }: { intake: CaseFile['intake'] }) {
  if (!intake) return <Empty>The founder has given no formation details.</Empty>;
  const agent = intake.registered_agent as { name?: string; address?: unknown } | null;
  const members = (Array.isArray(intake.members) ? intake.members : []) as Member[];
  const text = (key: string) => (typeof intake[key] === 'string' ? (intake[key] as string) : null);
  const entity = text('entity_type');
  return (
    <FactList
      facts={[
        ['Legal name', text('legal_name')],
        ['Trade name', text('dba_name')],
        ['Business type', entity ? ((ENTITY_TYPES as Record<string, string>)[entity] ?? entity) : null],
        ['State of formation', text('state_of_formation')],
        ['Business address', addressWords(intake.business_address)],
        ['Mailing address', addressWords(intake.mailing_address)],
        ['Registered agent', agent?.name ? `${agent.name}${addressWords(agent.address) ? `, ${addressWords(agent.address)}` : ''}` : null],
        [
          'Members',
          members.length ? (
            <ul className="plain">
              {members.map((m, i) => (
                <li key={i}>
                  {m.name ?? 'No name'}
                  {m.role ? `, ${m.role}` : ''}
                  {m.ownership_percent !== undefined ? `, ${m.ownership_percent}%` : ''}
                </li>
              ))}
            </ul>
          ) : null,
        ],
        ['How it is run', MANAGEMENT[text('management_structure') ?? ''] ?? text('management_structure')],
        ...(entity === 'corporation' ? [['Authorized shares', sharesWords(intake.authorized_shares) ?? 'Not given: the drafts use the default'] as [string, ReactNode]] : []),
        ['Purpose', text('business_purpose')],
        ['NAICS code', text('naics_code')],
      ]}
    />
  );
}

function StatePart({ file }: { file: CaseFile }) {
  const c = file.case;
  const facts: [string, ReactNode][] = [
    ['State', STATE_WORDS[c.state]],
    [
      'In this state',
      <>
        since {formatDateTime(c.state_entered_at)}: {c.days_in_state} {c.days_in_state === 1 ? 'day' : 'days'}, target {c.sla_days} {c.sla_days === 1 ? 'day' : 'days'}
        {c.overdue ? <span className="badge">Overdue</span> : null}
      </>,
    ],
    ['Package', `${c.package_id}${c.includes_domain ? ', with a domain' : ''}`],
    ['Files as', [c.entity_type ? ((ENTITY_TYPES as Record<string, string>)[c.entity_type] ?? c.entity_type) : null, c.state_of_formation].filter(Boolean).join(' in ') || null],
    ['Filing number', c.filing_number],
    ['EIN', c.ein],
    ['Opened', formatDateTime(c.opened_at)],
  ];
  if (c.state_reason) facts.push(["The state's reason", c.state_reason]);
  return (
    <>
      <FactList facts={facts} />
      {c.todo.question ? (
        <>
          <h3>Open question{c.question_by === 'system' ? ' (asked automatically for the missing intake)' : ''}</h3>
          <blockquote className="pre">{c.todo.question}</blockquote>
          {c.todo.asked_at ? <p className="meta">Asked {formatDateTime(c.todo.asked_at)}; the case returns to {STATE_WORDS[c.state_before_question ?? 'intake_complete'].toLowerCase()} once answered.</p> : null}
        </>
      ) : null}
      {c.todo.missing.length ? (
        <>
          <h3>What the intake lacks</h3>
          <ul className="plain">
            {c.todo.missing.map((item) => (
              <li key={`${item.field}-${item.message}`}>
                {item.message} <span className="meta">({item.field})</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

const DOMAIN_WORDS: Record<NonNullable<CaseFile['case']['domain']>['status'], string> = {
  awaiting_selection: 'Waiting for the founder to choose a domain',
  awaiting_contact: "Waiting for the founder's contact details (full name, confirmed phone, an address)",
  awaiting_consent: "Waiting for the founder to agree to the registrar's registration agreements (asked on their formation page and by mail)",
  pending: 'Asked of the registrar',
  registered: 'Registered',
  failed: 'Failed',
};

function DomainPart({ file }: { file: CaseFile }) {
  const d = file.case.domain;
  if (!d) return <p>The package includes no domain.</p>;
  return (
    <>
      <FactList
        facts={[
          ['Domain', d.domain],
          ['Registration', DOMAIN_WORDS[d.status]],
          ['Expires', d.expires_at ? formatDate(d.expires_at) : null],
          ['Registrar order', d.order_id],
        ]}
      />
      {d.status === 'failed' ? (
        <p>
          {d.reason ? `The registrar said: ${d.reason}. ` : ''}
          {failedForConsent(d) ? 'The founder is asked to agree again on their formation page; retry once they have. ' : ''}The retry is the failed{' '}
          <code>register-domain</code> job: <Link to="/operator/queues">see the queues</Link>.
        </p>
      ) : null}
    </>
  );
}

function DocumentsPart({ file }: { file: CaseFile }) {
  if (!file.documents.length) return <Empty>No documents yet: they are made when the documents are prepared.</Empty>;
  return (
    <div className="table-wrap" role="region" aria-label="Documents, every version" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Documents, every version, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Version</th>
            <th scope="col">Made</th>
            <th scope="col">Current</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {file.documents.map((d) => (
            <tr key={d.id}>
              <td>{DOCUMENT_TITLES[d.kind]}</td>
              <td>{d.version}</td>
              <td>{formatDateTime(d.created_at)}</td>
              <td>{d.superseded_at ? `Replaced ${formatDate(d.superseded_at)}` : 'Current'}</td>
              <td>
                <DownloadButton read={() => readCaseDocument(file.case.id, d.id)} filename={d.filename}>
                  Download<span className="visually-hidden">{` ${DOCUMENT_TITLES[d.kind]}, version ${d.version}`}</span>
                </DownloadButton>
                <span className="meta block">PDF, {fileSize(d.size_bytes)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const EVENT_KINDS: Record<StaffEvent['kind'], string> = { opened: 'Opened', moved: 'Moved', package: 'Package changed', documents: 'Documents prepared', domain: 'Domain' };

function whatHappened(e: StaffEvent): string {
  if (e.kind === 'moved') return `${STATE_WORDS[e.from_state ?? e.to_state]} → ${STATE_WORDS[e.to_state]}`;
  if (e.kind === 'opened') return `Opened: ${STATE_WORDS[e.to_state].toLowerCase()}`;
  return EVENT_KINDS[e.kind];
}

const evidenceWords = (evidence: StaffEvent['evidence']) =>
  Object.entries(evidence)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key.replaceAll('_', ' ')}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);

function EventsPart({ events }: { events: StaffEvent[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Events of the case" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Every event of the case, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">Evidence and reason</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>{whatHappened(e)}</td>
              <td>{e.actor_type === 'operator' ? (e.actor_email ?? 'An operator') : e.actor_type === 'founder' ? 'The founder' : 'The platform'}</td>
              <td>
                {evidenceWords(e.evidence).map((line) => (
                  <span key={line} className="block pre">
                    {line}
                  </span>
                ))}
                {e.reason ? <span className="block">Why: {e.reason}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CaseBody({ file, reread }: { file: CaseFile; reread: () => void }) {
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string>();
  const name = founderName(file.founder);
  const onDone = (answer: CaseActionDone) => {
    setDone(answer.from_state === answer.to_state ? `Done: the documents are at version ${answer.documents_version ?? '?'}.` : `Done: moved from ${STATE_WORDS[answer.from_state].toLowerCase()} to ${STATE_WORDS[answer.to_state].toLowerCase()}.`);
    // The case (read again, an audited read), the queue and the figures all follow the move.
    void queryClient.invalidateQueries({ queryKey: formationListsKey });
  };
  return (
    <>
      <PageHeader title={`Formation case of ${name}`}>
        {[STATE_WORDS[file.case.state], file.founder.business_name, file.case.overdue ? 'overdue' : null].filter(Boolean).join(' · ')}
      </PageHeader>
      <Section id="case-state" title="Where it stands">
        <StatePart file={file} />
      </Section>
      <Section id="case-actions" title="Actions">
        <CaseActions key={file.case.state} file={file} name={name} onDone={onDone} reread={reread} />
        <div aria-live="polite">{done ? <Success>{done}</Success> : null}</div>
      </Section>
      <Section id="case-founder" title="Founder">
        <FactList
          facts={[
            ['Name', <Link to={`/operator/founders/${file.founder.user_id}`}>{name}</Link>],
            ['Email', file.founder.customer_email],
            ['Business', file.founder.business_name],
          ]}
        />
      </Section>
      <Section id="case-intake" title="Intake">
        <IntakePart intake={file.intake} />
      </Section>
      <Section id="case-documents" title="Documents">
        <DocumentsPart file={file} />
      </Section>
      <Section id="case-domain" title="Domain">
        <DomainPart file={file} />
      </Section>
      <Section id="case-events" title="Events">
        <EventsPart events={file.events} />
      </Section>
    </>
  );
}

/** One formation case: where it stands, the moves it allows, the founder, intake, documents, domain and events. */
export function Component() {
  const { id = '' } = useParams();
  const file = useCaseFile(id);
  const reread = () => void file.refetch();
  return (
    <>
      <BackLink to="/operator/formation">All formation cases</BackLink>
      {file.isPending ? (
        <Loading what="the formation case" />
      ) : file.data ? (
        <>
          {/* A failed re-read keeps the case on screen, saying it may be out of date. */}
          {file.isError ? <ErrorNotice error={file.error} onRetry={reread} /> : null}
          <CaseBody file={file.data} reread={reread} />
        </>
      ) : (
        <ErrorNotice error={file.error} onRetry={reread} />
      )}
    </>
  );
}
