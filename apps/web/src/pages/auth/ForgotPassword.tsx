import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { appUrl, auth } from '../../api/auth';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, Success } from '../../ui/status';

export function Component() {
  const [state, setState] = useState<{ sentTo?: string; error?: unknown; busy?: boolean }>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email'));
    setState({ busy: true });
    const { error } = await auth.resetPasswordForEmail(email, { redirectTo: appUrl('/reset-password') });
    setState(error ? { error } : { sentTo: email });
  }

  return (
    <section className="narrow">
      <PageHeader title="Reset your password">Tell us your email and we will send you a link to choose a new password.</PageHeader>
      <form onSubmit={submit} className="form">
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        {state.error ? <ErrorNotice error={state.error} /> : null}
        <button type="submit" className="primary" disabled={state.busy}>
          {state.busy ? 'Sending…' : 'Send the link'}
        </button>
      </form>
      {state.sentTo ? (
        <Success>
          If there is an account for <strong>{state.sentTo}</strong>, a link is on its way. It works once and expires in an hour.
        </Success>
      ) : null}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
