import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { auth } from '../../api/auth';
import { api, unwrap } from '../../api/client';
import { Field } from '../../ui/Field';
import { ErrorNotice } from '../../ui/status';

/** Typed out, so that no stray click or autofill deletes an account. */
export const CONFIRMATION = 'delete my account';

/**
 * DELETE /v1/me ends the account and every session at once; the local session goes too (signing out with the
 * server would be refused, its session being gone already), then the founder lands on sign-in.
 */
export function DeleteAccount() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const confirmed = typed.trim().toLowerCase() === CONFIRMATION;
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/me')),
    onSuccess: async () => {
      await auth.signOut({ scope: 'local' });
      queryClient.clear();
      navigate('/sign-in?deleted=1', { replace: true });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirmed) remove.mutate();
  }
  return (
    <section aria-labelledby="delete-account">
      <h2 id="delete-account">Delete your account</h2>
      <p>
        This ends your account and signs you out everywhere. Your calls, Dream DNA and formation details are no longer available to you. Payments already made are
        not refunded by deleting.
      </p>
      <form className="form" onSubmit={submit}>
        <Field
          label={`To confirm, type “${CONFIRMATION}”`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <div aria-live="polite">{remove.isError ? <ErrorNotice error={remove.error} onRetry={() => remove.mutate()} /> : null}</div>
        <p className="actions">
          <button type="submit" className="danger" disabled={!confirmed || remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete my account'}
          </button>
        </p>
      </form>
    </section>
  );
}
