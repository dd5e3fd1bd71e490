import { Link } from 'react-router';
import { useFormationCase, useProfile, type FormationCase, type Profile } from '../api/queries';
import { formatDateTime } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { PageHeader } from '../ui/PageHeader';
import { QueryView } from '../ui/status';
import { stageName } from './calls/stages';
import { caseSummary, nowWords, todoOf } from './formation/case';

/** After payment: what the formation needs from the founder, else what we are doing. */
function FormationStep({ formationCase }: { formationCase: FormationCase | null | undefined }) {
  if (!formationCase) return <p>You are all set. We are forming your business and will be in touch.</p>;
  const todo = todoOf(formationCase);
  if (todo.kind === 'answer') {
    return (
      <p>
        We have a question about your formation. <Link to="/formation">Answer it</Link>
      </p>
    );
  }
  if (todo.kind === 'intake') {
    return (
      <p>
        To file your business we need a few more details. <Link to="/formation">Complete your formation details</Link>
      </p>
    );
  }
  return (
    <p>
      {nowWords(formationCase)} <Link to="/formation">See your formation</Link>
    </p>
  );
}

/** The one thing to do next, from where the founder is in the journey. */
function NextStep({ profile, formationCase }: { profile: Profile; formationCase: FormationCase | null | undefined }) {
  // The number matters only while calls are to come.
  if (!profile.customer_phone && profile.current_call_stage <= 4) {
    return (
      <p>
        First, <Link to="/profile">add your phone number</Link> so our consultant can call you.
      </p>
    );
  }
  if (profile.current_call_stage <= 4) {
    return (
      <p>
        Next: your {stageName(profile.current_call_stage)} call
        {profile.next_call_scheduled ? `, planned for ${formatDateTime(profile.next_call_scheduled)}` : ''}.{' '}
        <Link to="/calls">{profile.next_call_scheduled ? 'See your calls' : 'Plan it'}</Link>
      </p>
    );
  }
  if (profile.status !== 'domain_selected' && profile.payment_status !== 'paid') {
    return (
      <p>
        Your consultations are done. <Link to="/domains">Choose your domain</Link> next.
      </p>
    );
  }
  if (profile.payment_status !== 'paid') {
    return (
      <p>
        Almost there: <Link to="/billing">choose your formation package</Link>.
      </p>
    );
  }
  return <FormationStep formationCase={formationCase} />;
}

function OverviewBody({ profile: p }: { profile: Profile }) {
  // The case opens with the payment of a formation package; before that there is none to ask for.
  const formationCase = useFormationCase(p.payment_status === 'paid').data;
  return (
    <>
      <PageHeader title={p.customer_name ? `Hello, ${p.customer_name.split(' ')[0]}` : 'Hello'}>
        {p.business_name ? `Here is where ${p.business_name} stands.` : 'Here is where your business stands.'}
      </PageHeader>
      <section aria-labelledby="next-step" className="card highlight">
        <h2 id="next-step">Your next step</h2>
        <NextStep profile={p} formationCase={formationCase} />
      </section>
      <section aria-labelledby="at-a-glance">
        <h2 id="at-a-glance">At a glance</h2>
        <dl className="glance">
          <div>
            <dt>Consultations</dt>
            <dd>
              <Link to="/calls">{Math.min(p.current_call_stage - 1, 4)} of 4 done</Link>
            </dd>
          </div>
          <div>
            <dt>Dream DNA</dt>
            <dd>
              <Link to="/dream-dna">See what we have learned</Link>
            </dd>
          </div>
          <div>
            <dt>Payment</dt>
            <dd>
              <Link to="/billing">{p.payment_status === 'paid' ? `Paid ${formatMoney(p.amount_paid, p.currency)}` : 'Not paid yet'}</Link>
            </dd>
          </div>
          {formationCase ? (
            <div>
              <dt>Formation</dt>
              <dd>
                <Link to="/formation">{caseSummary(formationCase)}</Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
    </>
  );
}

export function Component() {
  const profile = useProfile();
  return (
    <QueryView query={profile} what="your overview">
      {(p) => <OverviewBody profile={p} />}
    </QueryView>
  );
}
