import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate } from '../../../lib/dates';
import { PageHeader } from '../../../ui/PageHeader';
import { ShowMore } from '../../../ui/ShowMore';
import { Empty, QueryView } from '../../../ui/status';
import { Section } from '../Section';
import { founderName } from '../words';
import { useCaseQueue, useSla, type CaseState, type QueueFilter, type QueueItem, type SlaFigures } from './api';
import { CASE_STATES, STATE_WORDS } from './moves';

const AGE_CHOICES = [1, 2, 3, 7, 14, 21, 30];

/** The filter from the address, so that a filtered queue can be linked to; anything unknown is left out. */
function filterFrom(params: URLSearchParams): QueueFilter {
  const state = params.get('state');
  const days = Number(params.get('older_than_days'));
  return {
    state: CASE_STATES.includes(state as CaseState) ? (state as CaseState) : undefined,
    olderThanDays: params.has('older_than_days') && AGE_CHOICES.includes(days) ? days : undefined,
  };
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

function Queue({ cases, filter }: { cases: QueueItem[]; filter: QueueFilter }) {
  return (
    <div className="table-wrap" role="region" aria-label="Formation cases" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Formation cases, the longest in their state first</caption>
        <thead>
          <tr>
            <th scope="col">Founder</th>
            <th scope="col">State</th>
            <th scope="col">In state</th>
            <th scope="col">Package</th>
            <th scope="col">Domain</th>
            <th scope="col">Opened</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.case_id} className={c.overdue ? 'overdue' : undefined}>
              <th scope="row">
                <Link to={`/operator/formation/${c.case_id}`}>{founderName(c)}</Link>
                {c.business_name ? <span className="meta block">{c.business_name}</span> : null}
              </th>
              <td>
                {STATE_WORDS[c.state]}
                {c.question_open ? <span className="meta block">Question open</span> : null}
              </td>
              <td>
                {days(c.days_in_state)}
                {c.state === 'formed' ? null : <span className="meta"> of {days(c.sla_days)}</span>}
                {c.overdue ? (
                  <span className="block">
                    <span className="badge">Overdue</span>
                  </span>
                ) : null}
              </td>
              <td>{c.package_id}</td>
              <td>{c.domain_status ? c.domain_status.replaceAll('_', ' ') : '–'}</td>
              <td>{formatDate(c.opened_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {filter.olderThanDays !== undefined ? <p className="meta">Overdue here means longer than {days(filter.olderThanDays)} in the state.</p> : null}
    </div>
  );
}

function SlaTable({ states }: { states: SlaFigures[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Time per state" tabIndex={0}>
      <table>
        <caption className="visually-hidden">For each state: the median days cases stayed in it, the cases in it now, and those past the target</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Median stay</th>
            <th scope="col">Open now</th>
            <th scope="col">Overdue</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {states.map((s) => (
            <tr key={s.state} className={s.overdue ? 'overdue' : undefined}>
              <th scope="row">
                <Link to={`/operator/formation?state=${s.state}`}>{STATE_WORDS[s.state]}</Link>
              </th>
              <td>
                {s.median_days === null ? '–' : days(s.median_days)}
                <span className="meta block">over {s.closed_stays === 1 ? '1 stay' : `${s.closed_stays} stays`}</span>
              </td>
              <td>{s.open}</td>
              <td>{s.overdue}</td>
              <td>{s.state === 'formed' ? '–' : days(s.sla_days)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The formation cases to work: by state and age, the overdue flagged, with the time cases spend in each state. */
export function Component() {
  const [params, setParams] = useSearchParams();
  const filter = filterFrom(params);
  const [state, setState] = useState(filter.state ?? '');
  const [age, setAge] = useState(filter.olderThanDays === undefined ? '' : String(filter.olderThanDays));
  const queue = useCaseQueue(filter);
  const sla = useSla(filter.olderThanDays);
  function show(event: FormEvent) {
    event.preventDefault();
    setParams({ ...(state ? { state } : {}), ...(age ? { older_than_days: age } : {}) });
  }
  return (
    <>
      <PageHeader title="Formation cases">Every paid formation from intake to formed: the longest waiting in their state first, flagged once past the state&apos;s target.</PageHeader>
      <form className="inline-form" onSubmit={show}>
        <div className="field">
          <label htmlFor="case-state">State</label>
          <select id="case-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">Every open case</option>
            {CASE_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="case-age">In the state</label>
          <select id="case-age" value={age} onChange={(e) => setAge(e.target.value)}>
            <option value="">Any time (overdue past each state&apos;s target)</option>
            {AGE_CHOICES.map((n) => (
              <option key={n} value={n}>
                Longer than {days(n)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <QueryView query={queue} what="the formation cases">
        {({ pages }) => {
          const cases = pages.flatMap((page) => page.cases);
          const overdue = cases.filter((c) => c.overdue).length;
          return cases.length ? (
            <>
              <p>
                {cases.length === 1 ? 'One case' : `${cases.length} cases`} shown{overdue ? `, ${overdue} overdue` : ''}.
              </p>
              <Queue cases={cases} filter={filter} />
              <ShowMore pages={queue} shown={cases.length} what="cases" />
            </>
          ) : (
            <Empty>{filter.state || filter.olderThanDays !== undefined ? 'No case matches.' : 'No open formation case.'}</Empty>
          );
        }}
      </QueryView>
      <Section id="sla" title="Time per state">
        <p className="meta">The median over the stays that ended; open and overdue count the cases there now.</p>
        <QueryView query={sla} what="the figures">
          {({ states }) => <SlaTable states={states} />}
        </QueryView>
      </Section>
    </>
  );
}
