import { Link } from 'react-router';
import { useAnalyses, type Analysis } from '../../api/queries';
import { formatDateTime } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { BackLink, Empty, QueryView } from '../../ui/status';

const STATUS_WORDS: Record<Analysis['status'], string> = {
  queued: 'Waiting',
  pending: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  unchanged: 'Nothing new',
};

const TRIGGER_WORDS: Record<string, string> = { 'call-ended': 'After a call', assessment: 'After your answers', 'business-fact': 'After a detail you gave us', manual: 'Asked again' };

function Outcome({ run }: { run: Analysis }) {
  if (run.status === 'succeeded' && run.dream_dna_version !== null) return <>Made Dream DNA version {run.dream_dna_version}.</>;
  if (run.status === 'unchanged') return <>Your Dream DNA stayed as it was.</>;
  if (run.status === 'failed') return <>It did not finish{run.error ? `: ${run.error}` : '.'}</>;
  return <>Still working on it.</>;
}

export function Component() {
  const analyses = useAnalyses();
  return (
    <>
      <BackLink to="/dream-dna">Your Dream DNA</BackLink>
      <PageHeader title="Analysis runs">Each time we read your calls and answers to update your Dream DNA, newest first.</PageHeader>
      <QueryView query={analyses} what="the analysis runs">
        {({ pages }) => {
          const runs = pages.flatMap((page) => page.analyses);
          return runs.length ? (
            <>
              <ul className="cards">
                {runs.map((run) => (
                  <li key={run.id} className="card">
                    <h2>
                      {formatDateTime(run.created_at)} <span className="badge">{STATUS_WORDS[run.status]}</span>
                    </h2>
                    <p>
                      <Outcome run={run} />
                    </p>
                    <p className="meta">
                      {TRIGGER_WORDS[run.trigger] ?? run.trigger}
                      {run.completed_at ? `, finished ${formatDateTime(run.completed_at)}` : ''}
                      {run.latency_ms !== null ? `, took ${Math.max(1, Math.round(run.latency_ms / 1000))} s` : ''}
                    </p>
                  </li>
                ))}
              </ul>
              <ShowMore pages={analyses} shown={runs.length} what="analysis runs" />
            </>
          ) : (
            <Empty>
              No analysis yet. One runs after each call and questionnaire. <Link to="/calls">See your consultations</Link>
            </Empty>
          );
        }}
      </QueryView>
    </>
  );
}
