import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { appUrl, auth } from '../../api/auth';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, Success } from '../../ui/status';

export function Component() {
  const [params] = useSearchParams();
  const email = params.get('email') ?? '';
  const [state, setState] = useState<{ sent?: boolean; error?: unknown; busy?: boolean }>({});

  async function resend() {
    setState({ busy: true });
    const { error } = await auth.resend({ type: 'signup', email, options: { emailRedirectTo: appUrl('/email-confirmed') } });
    setState(error ? { error } : { sent: true });
  }

  return (
    <section className="narrow">
      <PageHeader title="Check your email">
        We sent a link to {email ? <strong>{email}</strong> : 'your email address'}. Open it to confirm your account, then come back here.
      </PageHeader>
      {email ? (
        <p>
          <button type="button" onClick={() => void resend()} disabled={state.busy}>
            Send the link again
          </button>
        </p>
      ) : null}
      {state.sent ? <Success>We sent a new link. It may take a minute to arrive.</Success> : null}
      {state.error ? <ErrorNotice error={state.error} /> : null}
      <p>
        Confirmed already? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
