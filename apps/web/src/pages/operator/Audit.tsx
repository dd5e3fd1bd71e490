import { useSearchParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { BackLink, Empty, QueryView } from '../../ui/status';
import { useAudit } from './api';
import { AuditEntries } from './AuditEntries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything operators did (`?user_id=`: about one founder), newest first. */
export function Component() {
  const [params] = useSearchParams();
  const given = params.get('user_id');
  const userId = given && UUID.test(given) ? given : undefined;
  const audit = useAudit(userId);
  return (
    <>
      {userId ? <BackLink to={`/operator/founders/${userId}`}>Back to the founder's file</BackLink> : null}
      <PageHeader title="Audit log">
        {userId ? 'What operators did about this founder, newest first.' : 'Everything operators did: each read of a file or transcript and each action, newest first.'}
      </PageHeader>
      <QueryView query={audit} what="the audit log">
        {({ pages }) => {
          const entries = pages.flatMap((page) => page.entries);
          return entries.length ? (
            <>
              <AuditEntries entries={entries} caption="Audit entries, newest first" showFounder={!userId} />
              <ShowMore pages={audit} shown={entries.length} what="audit records" />
            </>
          ) : (
            <Empty>Nothing in the audit log yet.</Empty>
          );
        }}
      </QueryView>
    </>
  );
}
