import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { usePackages, usePayments, useSubscription, type BillingPackage, type Subscription } from '../../api/queries';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatMoney, formatPrice } from '../../lib/money';
import { PageHeader } from '../../ui/PageHeader';
import { ShowMore } from '../../ui/ShowMore';
import { Empty, ErrorNotice, QueryView, Success } from '../../ui/status';
import { checkoutDestination } from './checkout-url';

const PLAN_WORDS = { monthly: 'Monthly plan', yearly: 'Yearly plan' } as const;

function SubscriptionPanel({ subscription }: { subscription: Subscription | null }) {
  const queryClient = useQueryClient();
  const refresh = () => Promise.all(['subscription', 'me'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/v1/billing/subscription/cancel')), onSuccess: refresh });
  const change = useMutation({
    mutationFn: (plan: 'monthly' | 'yearly') => unwrap(api.POST('/v1/billing/subscription/change', { body: { plan } })),
    onSuccess: refresh,
  });
  if (!subscription) return <Empty>You have no subscription. Plans are below, next to the formation packages.</Empty>;
  const running = subscription.status === 'active' || subscription.status === 'trialing' || subscription.status === 'past_due';
  const other = subscription.plan === 'monthly' ? 'yearly' : 'monthly';
  const busy = cancel.isPending || change.isPending;
  return (
    <div className="card">
      <h3>
        {PLAN_WORDS[subscription.plan]} <span className="badge">{subscription.status}</span>
      </h3>
      {subscription.current_period_end ? (
        <p>
          {subscription.cancel_at_period_end ? 'Ends on' : 'Renews on'} {formatDate(subscription.current_period_end)}.
        </p>
      ) : null}
      {running ? (
        <p className="actions">
          {subscription.cancel_at_period_end ? (
            <button type="button" className="primary" disabled={busy} onClick={() => change.mutate(subscription.plan)}>
              Keep my plan
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => cancel.mutate()}>
              Cancel at the end of the period
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => change.mutate(other)}>
            Switch to the {other} plan
          </button>
        </p>
      ) : null}
      <div aria-live="polite">
        {cancel.isSuccess ? <Success>Your plan will end with this period. You can keep it until then.</Success> : null}
        {change.isSuccess ? <Success>Done: you are on the {change.data.plan} plan. The change is prorated.</Success> : null}
        {cancel.isError ? <ErrorNotice error={cancel.error} onRetry={() => cancel.mutate()} /> : null}
        {change.isError ? <ErrorNotice error={change.error} onRetry={() => change.mutate(change.variables)} /> : null}
      </div>
    </div>
  );
}

function Packages({ packages }: { packages: BillingPackage[] }) {
  const navigate = useNavigate();
  const checkout = useMutation({
    mutationFn: (packageId: string) => unwrap(api.POST('/v1/billing/checkout', { body: { package_id: packageId } })),
    onSuccess: ({ url }) => {
      const destination = checkoutDestination(url);
      if (destination.kind === 'local') navigate(`/billing/checkout/${destination.checkoutId}/confirm`);
      else window.location.assign(destination.url);
    },
  });
  if (!packages.length) return <Empty>Nothing is on sale right now. Please come back later.</Empty>;
  return (
    <>
      <ul className="cards">
        {packages.map((p) => (
          <li key={p.id} className="card">
            <h3>{p.name}</h3>
            <p className="price">{formatPrice(p.amount, p.currency, p.interval)}</p>
            <p className="meta">{p.kind === 'subscription' ? 'A plan, renewed until you cancel.' : 'One payment.'}</p>
            {p.formation ? <p>{p.includes_domain ? 'We file your business with the state and register your chosen domain.' : 'We file your business with the state.'}</p> : null}
            <button type="button" className="primary" disabled={checkout.isPending} onClick={() => checkout.mutate(p.id)} aria-label={`Buy ${p.name}`}>
              {checkout.isPending && checkout.variables === p.id ? 'Opening the checkout…' : 'Buy'}
            </button>
          </li>
        ))}
      </ul>
      <div aria-live="polite">{checkout.isError ? <ErrorNotice error={checkout.error} onRetry={() => checkout.mutate(checkout.variables)} /> : null}</div>
    </>
  );
}

function Payments() {
  const payments = usePayments();
  return (
    <QueryView query={payments} what="your payments">
      {({ pages }) => {
        const rows = pages.flatMap((page) => page.payments);
        return rows.length ? (
          <>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Your payments, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">For</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id}>
                    <td>{p.paid_at || p.created_at ? formatDateTime(p.paid_at ?? p.created_at ?? '') : '–'}</td>
                    <td>{p.package_id}</td>
                    <td>
                      {formatMoney(p.amount, p.currency)}
                      {p.amount_refunded ? ` (${formatMoney(p.amount_refunded, p.currency)} refunded)` : ''}
                    </td>
                    <td>{p.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ShowMore pages={payments} shown={rows.length} what="payments" />
          </>
        ) : (
          <Empty>No payments yet.</Empty>
        );
      }}
    </QueryView>
  );
}

export function Component() {
  const subscription = useSubscription();
  const packages = usePackages();
  return (
    <>
      <PageHeader title="Payment">Choose a formation package or a plan, and see what you have paid.</PageHeader>
      <section aria-labelledby="plan">
        <h2 id="plan">Your subscription</h2>
        <QueryView query={subscription} what="your subscription">
          {(s) => <SubscriptionPanel subscription={s.subscription ?? null} />}
        </QueryView>
      </section>
      <section aria-labelledby="packages">
        <h2 id="packages">Packages and plans</h2>
        <QueryView query={packages} what="packages">
          {(p) => <Packages packages={p.packages} />}
        </QueryView>
      </section>
      <section aria-labelledby="payments">
        <h2 id="payments">Your payments</h2>
        <Payments />
      </section>
    </>
  );
}
