import { Link } from 'react-router';
import { formatDateTime } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { Empty, QueryView } from '../../ui/status';
import { ChoiceFilter, useChoiceParam } from './ChoiceFilter';
import { useStuck, type StuckFounder } from './api';
import { callStageWords, founderName, founderStatus, STUCK_REASONS } from './words';

const IDLE_CHOICES = [1, 3, 7, 14, 30, 60, 90];
const DEFAULT_IDLE_DAYS = 7;

function StuckItem({ founder }: { founder: StuckFounder }) {
  const name = founderName(founder);
  return (
    <li className="card">
      <h2>
        <Link to={`/operator/founders/${founder.user_id}`}>{name}</Link>
      </h2>
      <p className="meta">
        {[founder.email !== name ? founder.email : null, founder.business_name, founderStatus(founder.status), callStageWords(founder.call_stage)].filter(Boolean).join(' · ')}
      </p>
      <ul className="plain">
        {founder.reasons.map((reason) => (
          <li key={`${reason.code}-${reason.since}`}>
            <strong>{STUCK_REASONS[reason.code]}</strong> since {formatDateTime(reason.since)}
            {reason.detail ? <span className="meta">: {reason.detail}</span> : null}
          </li>
        ))}
      </ul>
      <p className="meta">
        Last step {formatDateTime(founder.last_step_at)}
        {founder.next_call_at ? `; next call planned for ${formatDateTime(founder.next_call_at)}` : ''}.
      </p>
    </li>
  );
}

/** The founders who need someone: idle too long, or flagged by a service, oldest first. */
export function Component() {
  const { value: idleDays, show } = useChoiceParam('idle_days', IDLE_CHOICES, DEFAULT_IDLE_DAYS);
  const stuck = useStuck(idleDays);
  return (
    <>
      <PageHeader title="Stuck founders">
        Founders who need someone: no step for a while with no call planned, or something that failed for them. The longest waiting first.
      </PageHeader>
      <ChoiceFilter
        key={idleDays}
        id="idle-days"
        label="Count a founder as idle after"
        value={idleDays}
        choices={IDLE_CHOICES}
        words={(n) => `${n === 1 ? '1 day' : `${n} days`} without a step`}
        onShow={show}
      />
      <QueryView query={stuck} what="the stuck founders">
        {({ pages }) => {
          const founders = pages.flatMap((page) => page.founders);
          const total = pages[0]?.total ?? founders.length;
          return founders.length ? (
            <>
              <p>{total === 1 ? 'One founder needs someone.' : `${total} founders need someone.`}</p>
              <ul className="cards stuck">
                {founders.map((founder) => (
                  <StuckItem key={founder.user_id} founder={founder} />
                ))}
              </ul>
              <ShowMore pages={stuck} shown={founders.length} what="founders" />
            </>
          ) : (
            <Empty>No one is stuck: every founder has taken a step in the last {idleDays === 1 ? 'day' : `${idleDays} days`} or has a call planned, and nothing failed for anyone.</Empty>
          );
        }}
      </QueryView>
    </>
  );
}
