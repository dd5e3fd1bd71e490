import { formatDateTime } from '../../../lib/dates';
import { Empty } from '../../../ui/status';
import type { FounderFile, Ready } from '../api';

type DreamDnaHistory = Ready<FounderFile['dream_dna']>;
type Version = DreamDnaHistory['versions'][number];

/** The Dream DNA's fields as the team reads them (the founder's own page says "you"). */
const FIELDS = [
  ['what_problem', 'The problem they solve'],
  ['who_serves', 'Who they serve'],
  ['how_different', 'What makes them different'],
  ['primary_service', 'Main service'],
  ['brand_vibe', 'Brand vibe'],
  ['color_preference', 'Colours'],
  ['price_level', 'Price level'],
  ['selected_domain', 'Domain'],
] as const;

type Evidence = Partial<Record<string, { quote: string; confidence: number }>>;

/** A version's fields, each with the quote it rests on and how sure the analysis was. */
function VersionFields({ version }: { version: Version }) {
  const evidence: Evidence = version.evidence;
  return (
    <dl className="dna">
      {FIELDS.map(([key, label]) => {
        const found = evidence[key];
        return (
          <div key={key} className="dna-field">
            <dt>{label}</dt>
            <dd>{version[key] ?? <span className="meta">Not known</span>}</dd>
            {found ? (
              <dd className="evidence">
                From: <q>{found.quote}</q> ({Math.round(found.confidence * 100)}% sure)
              </dd>
            ) : null}
          </div>
        );
      })}
    </dl>
  );
}

const RUN_STATUS: Record<DreamDnaHistory['analyses'][number]['status'], string> = {
  queued: 'Waiting',
  pending: 'Running',
  succeeded: 'Made a version',
  failed: 'Failed',
  unchanged: 'Nothing new',
};
const TRIGGERS: Record<string, string> = { 'call-ended': 'After a call', assessment: 'After the questionnaire', 'business-fact': 'After a saved fact', manual: 'Asked again' };

function Analyses({ analyses }: { analyses: DreamDnaHistory['analyses'] }) {
  if (!analyses.length) return <Empty>No analysis has run.</Empty>;
  return (
    <div className="table-wrap" role="region" aria-label="Analysis runs" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Analysis runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Why</th>
            <th scope="col">Outcome</th>
            <th scope="col">Version</th>
            <th scope="col">Model</th>
          </tr>
        </thead>
        <tbody>
          {analyses.map((run) => (
            <tr key={run.id}>
              <td>{formatDateTime(run.created_at)}</td>
              <td>{TRIGGERS[run.trigger] ?? run.trigger}</td>
              <td>
                {RUN_STATUS[run.status]}
                {run.error ? <span className="meta block">{run.error}</span> : null}
              </td>
              <td>{run.dream_dna_version ?? '–'}</td>
              <td>
                {[run.provider, run.model].filter(Boolean).join(' / ') || '–'}
                {run.latency_ms !== null ? <span className="meta block">{Math.max(1, Math.round(run.latency_ms / 1000))} s</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DreamDnaPart({ history }: { history: DreamDnaHistory }) {
  const versions = [...history.versions].sort((a, b) => b.version - a.version);
  const [current, ...earlier] = versions;
  return (
    <>
      {current ? (
        <>
          <p>
            <strong>Current version: {current.version}</strong> <span className="meta">(made {formatDateTime(current.created_at)})</span>
          </p>
          <VersionFields version={current} />
          {earlier.length ? (
            <>
              <h3>Earlier versions</h3>
              <ol className="versions">
                {earlier.map((version) => (
                  <li key={version.id}>
                    <details>
                      <summary>
                        Version {version.version}, {formatDateTime(version.created_at)}
                      </summary>
                      <VersionFields version={version} />
                    </details>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </>
      ) : (
        <Empty>No Dream DNA yet: it appears after the first call is analysed.</Empty>
      )}
      <h3>Analysis runs</h3>
      <Analyses analyses={history.analyses} />
    </>
  );
}
