import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate } from '../../lib/dates';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { Empty, QueryView } from '../../ui/status';
import { useFounderSearch, type FounderListItem } from './api';
import { callStageWords, founderName, founderStatus } from './words';

function Results({ founders, searched }: { founders: FounderListItem[]; searched: string }) {
  return (
    <div className="table-wrap" role="region" aria-label="Founders found" tabIndex={0}>
      <table>
        <caption className="visually-hidden">{searched ? `Founders matching “${searched}”, newest first` : 'Every founder, newest first'}</caption>
        <thead>
          <tr>
            <th scope="col">Founder</th>
            <th scope="col">Business</th>
            <th scope="col">Where they are</th>
            <th scope="col">Signed up</th>
          </tr>
        </thead>
        <tbody>
          {founders.map((founder) => {
            const name = founderName(founder);
            return (
              <tr key={founder.user_id}>
                <td>
                  <Link to={`/operator/founders/${founder.user_id}`}>{name}</Link>
                  {founder.customer_email && founder.customer_email !== name ? <span className="meta block">{founder.customer_email}</span> : null}
                  {founder.deleted_at ? <span className="badge">Deleted</span> : null}
                </td>
                <td>{founder.business_name ?? '–'}</td>
                <td>
                  {founderStatus(founder.status)}
                  <span className="meta block">{callStageWords(founder.current_call_stage)}</span>
                </td>
                <td>{formatDate(founder.created_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Finding a founder by what they told us: email, name, business or phone. */
export function Component() {
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const [typed, setTyped] = useState(q);
  const founders = useFounderSearch(q);
  function search(event: FormEvent) {
    event.preventDefault();
    const term = typed.trim();
    setParams(term ? { q: term } : {});
  }
  return (
    <>
      <PageHeader title="Founders">Find a founder by email, name, business name or phone number, and open their file.</PageHeader>
      <form className="inline-form" role="search" onSubmit={search}>
        <Field label="Find a founder" type="search" value={typed} maxLength={100} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        <button type="submit">Search</button>
      </form>
      <QueryView query={founders} what="founders">
        {({ pages }) => {
          const found = pages.flatMap((page) => page.founders);
          return found.length ? (
            <>
              <Results founders={found} searched={q} />
              <ShowMore pages={founders} shown={found.length} what="founders" />
            </>
          ) : (
            <Empty>{q ? `No founder matches “${q}”. Try part of their email or name.` : 'No founders yet.'}</Empty>
          );
        }}
      </QueryView>
    </>
  );
}
