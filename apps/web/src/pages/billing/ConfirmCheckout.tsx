import { useMutation } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { PageHeader } from '../../ui/PageHeader';
import { BackLink, ErrorNotice } from '../../ui/status';

/** The local payment provider's checkout (no Stripe account configured): confirming pays nothing. */
export function Component() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/billing/checkout/{id}/confirm', { params: { path: { id } } })),
    onSuccess: () => navigate(`/billing/success?checkout_id=${encodeURIComponent(id)}`, { replace: true }),
  });
  return (
    <section className="narrow">
      <BackLink to="/billing">Payment</BackLink>
      <PageHeader title="Confirm your payment">
        This DreamSeed runs without a card processor, so this is a test checkout: confirming marks it paid and charges nothing.
      </PageHeader>
      <p className="actions">
        <button type="button" className="primary" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
          {confirm.isPending ? 'Confirming…' : 'Confirm payment'}
        </button>
      </p>
      <div aria-live="polite">{confirm.isError ? <ErrorNotice error={confirm.error} onRetry={() => confirm.mutate()} /> : null}</div>
    </section>
  );
}
