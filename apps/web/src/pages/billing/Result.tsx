import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, Loading, Success } from '../../ui/status';

const SETTLED = new Set(['paid', 'failed', 'refunded']);

/** After a checkout: the payment is confirmed by the provider a moment later, so the page watches for it. */
export function Component() {
  const profile = useQuery({
    queryKey: ['me'],
    queryFn: () => unwrap(api.GET('/v1/me')),
    refetchInterval: (query) => (SETTLED.has(query.state.data?.payment_status ?? '') ? false : 2000),
  });
  const status = profile.data?.payment_status;
  return (
    <section className="narrow">
      <PageHeader title="Thank you">We are confirming your payment with the payment provider.</PageHeader>
      <div aria-live="polite">
        {profile.isError ? <ErrorNotice error={profile.error} onRetry={() => void profile.refetch()} /> : null}
        {status === 'paid' ? <Success>Your payment is confirmed. We will start forming your business.</Success> : null}
        {status === 'failed' ? (
          <p className="notice notice-error" role="alert">
            The payment did not go through. Nothing was charged; you can try again from the payment page.
          </p>
        ) : null}
        {!profile.isError && !SETTLED.has(status ?? '') ? <Loading what="your payment status" /> : null}
      </div>
      <p>
        <Link to="/billing">See your payments</Link>
      </p>
    </section>
  );
}
