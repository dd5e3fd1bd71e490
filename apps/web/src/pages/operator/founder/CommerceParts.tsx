import { formatDate, formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { Empty } from '../../../ui/status';
import type { FounderFile, Ready } from '../api';

type Domains = Ready<FounderFile['domains']>;
type Billing = Ready<FounderFile['billing']>;

export function DomainsPart({ domains }: { domains: Domains }) {
  return (
    <>
      <h3>Chosen</h3>
      {domains.selections.length ? (
        <ul className="plain">
          {domains.selections.map((s) => (
            <li key={s.id}>
              <strong>{s.domain}</strong>: {s.status}, {formatDateTime(s.decided_at ?? s.created_at)}
              {s.message ? <span className="meta"> ({s.message})</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>No domain chosen.</p>
      )}
      <h3>Searches</h3>
      {domains.searches.length ? (
        <ul className="plain">
          {domains.searches.map((search) => {
            const free = search.candidates.filter((c) => c.available === true).map((c) => c.domain);
            return (
              <li key={search.id}>
                {formatDateTime(search.created_at)}: “{search.keywords.join(', ')}”, {search.status}
                {search.status === 'completed' ? `, ${free.length} of ${search.candidates.length} free` : ''}
                {free.length ? <span className="meta block">{free.slice(0, 5).join(', ')}{free.length > 5 ? ' …' : ''}</span> : null}
                {search.error ? <span className="meta block">{search.error}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <Empty>No domain searches.</Empty>
      )}
    </>
  );
}

const PLAN_WORDS: Record<string, string> = { monthly: 'Monthly plan', yearly: 'Yearly plan' };

export function BillingPart({ billing }: { billing: Billing }) {
  const s = billing.subscription;
  return (
    <>
      <h3>Subscription</h3>
      {s ? (
        <p>
          {PLAN_WORDS[s.plan] ?? s.plan}, {s.status}
          {s.current_period_end ? `; ${s.cancel_at_period_end ? 'ends' : 'renews'} ${formatDate(s.current_period_end)}` : ''}.
        </p>
      ) : (
        <p>No subscription.</p>
      )}
      <h3>Payments</h3>
      {billing.payments.length ? (
        <div className="table-wrap" role="region" aria-label="Payments" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Payments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">For</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {billing.payments.map((p) => (
                <tr key={p.id}>
                  <td>{p.paid_at || p.created_at ? formatDateTime(p.paid_at ?? p.created_at ?? '') : '–'}</td>
                  <td>{p.package_id}</td>
                  <td>
                    {formatMoney(p.amount, p.currency)}
                    {p.amount_refunded ? <span className="meta block">{formatMoney(p.amount_refunded, p.currency)} refunded</span> : null}
                  </td>
                  <td>{p.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>No payments.</Empty>
      )}
    </>
  );
}
