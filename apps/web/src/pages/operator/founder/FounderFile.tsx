import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../../ui/PageHeader';
import { BackLink, ErrorNotice, Loading, Success } from '../../../ui/status';
import { useFounderFile, type FileFailedJob, type FounderFile, type QueueName } from '../api';
import { AuditEntries } from '../AuditEntries';
import { FailedJobs } from '../FailedJobs';
import { OwnerPart, Section } from '../Section';
import { founderName, founderStatus } from '../words';
import { CaseLink } from '../formation/CaseLink';
import { Actions } from './Actions';
import { CallsPart } from './CallsPart';
import { BillingPart, DomainsPart } from './CommerceParts';
import { DreamDnaPart } from './DreamDnaPart';
import { AccountPart, AttentionPart, ProfilePart } from './ProfileParts';
import { awaiting, POLL_MS, settle, type Watch } from './watches';

function Watches({ watches }: { watches: Watch[] }) {
  return (
    <div aria-live="polite">
      {watches.map((w) =>
        w.outcome && !w.outcome.late ? (
          <Success key={w.id}>
            <strong>{w.title}:</strong> {w.outcome.message}
          </Success>
        ) : (
          <div key={w.id} className="notice" role="status">
            <strong>{w.title}:</strong> {w.outcome ? w.outcome.message : 'Accepted. Waiting for the result to show in the file…'}
          </div>
        ),
      )}
    </div>
  );
}

function byQueue(jobs: FileFailedJob[]): [QueueName, FileFailedJob[]][] {
  const groups = new Map<QueueName, FileFailedJob[]>();
  for (const job of jobs) groups.set(job.queue, [...(groups.get(job.queue) ?? []), job]);
  return [...groups];
}

function FileBody({ file, watches, watch, reread }: { file: FounderFile; watches: Watch[]; watch: (w: Omit<Watch, 'startedAt'>) => void; reread: () => unknown }) {
  const name = founderName({ ...file.profile, user_id: file.user_id });
  const lead = [file.profile.customer_email !== name ? file.profile.customer_email : null, file.profile.business_name, founderStatus(file.profile.status)].filter(Boolean).join(' · ');
  return (
    <>
      <PageHeader title={name}>{lead}</PageHeader>
      <Section id="attention" title="Needs attention">
        <AttentionPart file={file} />
      </Section>
      <Section id="actions" title="Actions">
        <Actions file={file} name={name} watch={watch} />
        <Watches watches={watches} />
      </Section>
      <Section id="profile" title="Profile">
        <ProfilePart file={file} />
      </Section>
      {/* A case opens with a formation package's payment, and the formation data follows it. */}
      {file.profile.payment_status === 'paid' || (file.formation && file.formation.formation_status !== 'not_started') ? (
        <Section id="formation" title="Formation">
          <CaseLink founderId={file.user_id} />
        </Section>
      ) : null}
      <Section id="account" title="Account">
        <AccountPart file={file} />
      </Section>
      <Section id="calls" title="Calls">
        <OwnerPart part={file.calls} what="Calls">
          {(calls) => <CallsPart founderId={file.user_id} calls={calls} />}
        </OwnerPart>
      </Section>
      <Section id="dream-dna" title="Dream DNA">
        <OwnerPart part={file.dream_dna} what="Dream DNA">
          {(history) => <DreamDnaPart history={history} />}
        </OwnerPart>
      </Section>
      <Section id="domains" title="Domains">
        <OwnerPart part={file.domains} what="Domains">
          {(domains) => <DomainsPart domains={domains} />}
        </OwnerPart>
      </Section>
      <Section id="billing" title="Payments and subscription">
        <OwnerPart part={file.billing} what="Payments">
          {(billing) => <BillingPart billing={billing} />}
        </OwnerPart>
      </Section>
      <Section id="failed-jobs" title="Failed jobs">
        <OwnerPart part={file.failed_jobs} what="Failed jobs">
          {({ jobs }) =>
            jobs.length ? byQueue(jobs).map(([queue, group]) => <FailedJobs key={queue} queue={queue} jobs={group} onChanged={reread} />) : <p>No failed job names this founder.</p>
          }
        </OwnerPart>
      </Section>
      <Section id="audit" title="Recent audit entries">
        {file.audit.length ? <AuditEntries entries={file.audit} caption="Recent audit entries about this founder, newest first" showFounder={false} /> : null}
        <p>
          <Link to={`/operator/audit?user_id=${file.user_id}`}>See every audit entry about this founder</Link>
        </p>
      </Section>
    </>
  );
}

/**
 * One founder's file. After an action the API accepted, the file is read again every few seconds until it shows the
 * result (a new Dream DNA version, the planned call, the refund), for a minute at most.
 */
function FilePage({ id }: { id: string }) {
  const [watches, setWatches] = useState<Watch[]>([]);
  const file = useFounderFile(id, awaiting(watches) ? POLL_MS : false);
  const { data, dataUpdatedAt, refetch } = file;
  useEffect(() => {
    if (data) setWatches((current) => settle(current, data, Date.now()));
  }, [data, dataUpdatedAt]);
  const watch = useCallback((w: Omit<Watch, 'startedAt'>) => setWatches((current) => [{ ...w, startedAt: Date.now() }, ...current]), []);
  return (
    <>
      <BackLink to="/operator/founders">Find another founder</BackLink>
      {file.isPending ? (
        <Loading what="the founder's file" />
      ) : data ? (
        <>
          {/* A failed re-read keeps the file on screen, saying it may be out of date. */}
          {file.isError ? <ErrorNotice error={file.error} onRetry={() => void refetch()} /> : null}
          <FileBody file={data} watches={watches} watch={watch} reread={refetch} />
        </>
      ) : (
        <ErrorNotice error={file.error} onRetry={() => void refetch()} />
      )}
    </>
  );
}

/** Keyed by the founder, so that another founder's file starts with nothing awaited. */
export function Component() {
  const { id = '' } = useParams();
  return <FilePage key={id} id={id} />;
}
