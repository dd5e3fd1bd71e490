import { Link } from 'react-router';
import { formatDateTime } from '../../lib/dates';
import type { AuditEntry } from './api';
import { auditAction, OUTCOMES } from './words';

/** Audit entries, newest first: who did what, about whom, why, and what came of it. */
export function AuditEntries({ entries, caption, showFounder }: { entries: AuditEntry[]; caption: string; showFounder: boolean }) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            {showFounder ? <th scope="col">Founder</th> : null}
            <th scope="col">Why</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.created_at)}</td>
              <td>{entry.operator_email ?? 'Admin credentials'}</td>
              <td>
                {auditAction(entry.action)}
                {entry.target ? <span className="meta"> ({entry.target})</span> : null}
              </td>
              {showFounder ? <td>{entry.user_id ? <Link to={`/operator/founders/${entry.user_id}`}>Open the file</Link> : '–'}</td> : null}
              <td>{entry.reason ?? <span className="meta">None given</span>}</td>
              <td>
                {OUTCOMES[entry.outcome]}
                {entry.code ? <span className="meta"> ({entry.code})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
