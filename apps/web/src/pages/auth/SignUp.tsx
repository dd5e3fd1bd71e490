import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { appUrl, auth } from '../../api/auth';
import { safeNext } from '../../app/RequireAuth';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice } from '../../ui/status';

export function Component() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email'));
    setBusy(true);
    setError(undefined);
    const { data, error: failed } = await auth.signUp({
      email,
      password: String(form.get('password')),
      options: { data: { full_name: String(form.get('name')) }, emailRedirectTo: appUrl('/email-confirmed') },
    });
    setBusy(false);
    if (failed) setError(failed);
    else if (data.session) navigate(safeNext(params.get('next')), { replace: true });
    else navigate(`/check-email?email=${encodeURIComponent(email)}`);
  }

  return (
    <section className="narrow">
      <PageHeader title="Create your account">Four friendly calls, and your idea becomes a business. It starts here.</PageHeader>
      <form onSubmit={submit} className="form">
        <Field label="Your name" name="name" autoComplete="name" required />
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={8} required hint="At least 8 characters." />
        {error ? <ErrorNotice error={error} /> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
