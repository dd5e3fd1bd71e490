import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { auth, landingFragment } from '../../api/auth';
import { useSession } from '../../app/session';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, Loading } from '../../ui/status';

/** Where the recovery mail's link lands, signed in by it: the founder chooses a new password. */
export function Component() {
  const session = useSession();
  const navigate = useNavigate();
  const [state, setState] = useState<{ error?: unknown; mismatch?: boolean; busy?: boolean; done?: boolean }>({});
  const failure = landingFragment.get('error_description');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('confirm'))) {
      setState({ mismatch: true });
      return;
    }
    setState({ busy: true });
    const { error } = await auth.updateUser({ password });
    if (error) setState({ error });
    else {
      setState({ done: true });
      navigate('/', { replace: true });
    }
  }

  if (session.status === 'loading') return <Loading what="your reset link" />;
  if (failure || session.status === 'signed-out') {
    return (
      <section className="narrow">
        <PageHeader title="That link did not work">{failure ?? 'This page works from the link in your password reset mail.'}</PageHeader>
        <p>
          Links work once and expire after an hour. <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <PageHeader title="Choose a new password">Pick something long that you do not use anywhere else.</PageHeader>
      <form onSubmit={submit} className="form">
        <Field label="New password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
        <Field label="New password again" name="confirm" type="password" autoComplete="new-password" minLength={8} required />
        {state.mismatch ? (
          <p className="notice notice-error" role="alert">
            The two passwords differ. Please type the same one twice.
          </p>
        ) : null}
        {state.error ? <ErrorNotice error={state.error} /> : null}
        <button type="submit" className="primary" disabled={state.busy}>
          {state.busy ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </section>
  );
}
