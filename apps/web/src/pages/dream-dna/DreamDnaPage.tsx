import { Link } from 'react-router';
import { useDreamDna, useDreamDnaVersions } from '../../api/queries';
import { formatDateTime } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { Empty, QueryView } from '../../ui/status';
import { DnaFields } from './DnaFields';
import { changedFields } from './fields';

function Versions() {
  const versions = useDreamDnaVersions();
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">How it grew</h2>
      <QueryView query={versions} what="earlier versions">
        {({ pages }) => {
          const all = pages.flatMap((page) => page.versions);
          return all.length > 1 ? (
            <>
              <ol className="versions">
                {all.map((v, i) => {
                  const changed = changedFields(v, all[i + 1]);
                  const first = i === all.length - 1 && !versions.hasNextPage;
                  return (
                    <li key={v.id}>
                      <details>
                        <summary>
                          Version {v.version}, {formatDateTime(v.created_at)}
                          {changed.length ? `: ${changed.join(', ')} changed` : first ? ': the first one' : ''}
                        </summary>
                        <DnaFields dna={v} />
                      </details>
                    </li>
                  );
                })}
              </ol>
              <ShowMore pages={versions} shown={all.length} what="versions" />
            </>
          ) : (
            <Empty>Only one version so far. Each call and questionnaire you finish adds a new one.</Empty>
          );
        }}
      </QueryView>
    </section>
  );
}

export function Component() {
  const dna = useDreamDna();
  return (
    <>
      <PageHeader title="Your Dream DNA">What we have learned about your business from your calls and answers.</PageHeader>
      <QueryView query={dna} what="your Dream DNA">
        {(current) =>
          current ? (
            <>
              <p className="meta">
                Version {current.version}, updated {formatDateTime(current.updated_at)}.
              </p>
              <DnaFields dna={current} />
              <Versions />
            </>
          ) : (
            <Empty>
              Your Dream DNA appears after your first call is analysed. <Link to="/calls">Plan your first call</Link>, or{' '}
              <Link to="/dream-dna/questions">answer a few questions</Link> to get started.
            </Empty>
          )
        }
      </QueryView>
      <section aria-labelledby="questions">
        <h2 id="questions">Tell us more</h2>
        <p>
          A short questionnaire sharpens your Dream DNA between calls. <Link to="/dream-dna/questions">Answer the questions</Link>
        </p>
        <p>
          <Link to="/dream-dna/analyses">See each analysis run</Link> and what it changed.
        </p>
      </section>
    </>
  );
}
