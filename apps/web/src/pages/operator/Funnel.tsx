import { PageHeader } from '../../ui/PageHeader';
import { QueryView } from '../../ui/status';
import { ChoiceFilter, useChoiceParam } from './ChoiceFilter';
import { useFunnel, type FunnelStepFigures, type OperatorFunnel } from './api';
import { barPercent, formatConversion, formatWait, funnelRows, STEP_NAMES } from './funnel';

const WEEK_CHOICES = [4, 8, 12, 26, 52];
const DEFAULT_WEEKS = 12;

/** All the weeks shown together, one bar a step: where founders stop, at a glance (the numbers are beside it). */
function Bars({ steps }: { steps: FunnelStepFigures[] }) {
  const first = steps[0]?.count ?? 0;
  return (
    <ol className="funnel-bars">
      {steps.map((s) => (
        <li key={s.step}>
          <span className="funnel-step">{STEP_NAMES[s.step]}</span>
          <span className="funnel-figure">
            <strong>{s.count}</strong>
            {s.conversion !== null ? <span className="meta"> · {formatConversion(s.conversion)} of the step before</span> : null}
          </span>
          <span className="funnel-bar" aria-hidden="true">
            <span style={{ width: `${barPercent(s.count, first)}%` }} />
          </span>
        </li>
      ))}
    </ol>
  );
}

function Cell({ figures }: { figures: FunnelStepFigures }) {
  return (
    <td>
      <span className="figure">{figures.count}</span>
      {figures.conversion !== null ? <span className="meta block">{formatConversion(figures.conversion)}</span> : null}
      {figures.median_hours_from_previous !== null ? <span className="meta block">{formatWait(figures.median_hours_from_previous)}</span> : null}
    </td>
  );
}

function Cohorts({ funnel }: { funnel: OperatorFunnel }) {
  const rows = funnelRows(funnel);
  return (
    <div className="table-wrap" role="region" aria-labelledby="by-week" tabIndex={0}>
      <table className="funnel">
        <caption className="visually-hidden">
          Founders by the week they signed up, newest week first. Each cell: how many reached the step, the share of the step before, and the median time since it.
        </caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            {funnel.steps.map((step) => (
              <th scope="col" key={step}>
                {STEP_NAMES[step]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.week} className={row.current ? 'current' : undefined}>
              <th scope="row">
                {row.label}
                {row.current ? <span className="meta"> (this week)</span> : null}
              </th>
              {row.steps.map((figures) => (
                <Cell key={figures.step} figures={figures} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Component() {
  const { value: weeks, show } = useChoiceParam('weeks', WEEK_CHOICES, DEFAULT_WEEKS);
  const funnel = useFunnel(weeks);
  return (
    <>
      <PageHeader title="Founder funnel">
        How the founders who signed up each week move through the journey: how many reached each step, the share of the step before, and the median time it took.
      </PageHeader>
      <ChoiceFilter key={weeks} id="funnel-weeks" label="Weeks shown" value={weeks} choices={WEEK_CHOICES} words={(n) => `The last ${n} weeks`} onShow={show} />
      <QueryView query={funnel} what="the funnel">
        {(f) => (
          <>
            <section aria-labelledby="all-weeks">
              <h2 id="all-weeks">All {f.weeks} weeks together</h2>
              <Bars steps={f.total.steps} />
            </section>
            <section>
              <h2 id="by-week">By sign-up week</h2>
              <Cohorts funnel={f} />
            </section>
          </>
        )}
      </QueryView>
    </>
  );
}
