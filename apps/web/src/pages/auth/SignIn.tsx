import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { auth } from '../../api/auth';
import { safeNext } from '../../app/RequireAuth';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice } from '../../ui/status';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    const { error: failed } = await auth.signInWithPassword({ email: String(form.get('email')), password: String(form.get('password')) });
    setBusy(false);
    if (failed) setError(failed);
    else navigate(next, { replace: true });
  }

  return (
    <section className="narrow">
      <PageHeader title="Sign in">Welcome back. Sign in to carry on with your business.</PageHeader>
      {params.get('deleted') ? (
        <p className="notice" role="status">
          Your account is deleted and you are signed out. Thank you for trying DreamSeed.
        </p>
      ) : null}
      {params.get('expired') ? (
        <p className="notice" role="status">
          Your session ended. Please sign in again; we will take you back to where you were.
        </p>
      ) : null}
      <form onSubmit={submit} className="form" aria-describedby={error ? 'sign-in-error' : undefined}>
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <div id="sign-in-error">{error ? <ErrorNotice error={error} /> : null}</div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New to DreamSeed? <Link to={`/sign-up${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
