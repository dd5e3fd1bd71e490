import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { auth } from '../../api/auth';
import { Field } from '../../ui/Field';
import { ErrorNotice, Success } from '../../ui/status';

/**
 * A new number is saved on the account (auth-js updateUser), then proven with the code texted to it
 * (verifyOtp, type phone_change); where numbers are confirmed without a text, it is done at once.
 */
export function PhoneForm({ current }: { current: string | null }) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<string>();
  const [state, setState] = useState<{ error?: unknown; done?: string; busy?: boolean }>({});
  const finish = async (phone: string) => {
    setPending(undefined);
    setState({ done: `Your number ${phone} is confirmed. We will call you on it.` });
    await queryClient.invalidateQueries({ queryKey: ['me'] });
  };

  async function change(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const phone = String(new FormData(event.currentTarget).get('phone')).replace(/[\s()-]/g, '');
    setState({ busy: true });
    const { data, error } = await auth.updateUser({ phone });
    if (error) return setState({ error });
    const confirmed = data.user.phone && `+${data.user.phone.replace(/^\+/, '')}` === phone && data.user.phone_confirmed_at && !data.user.new_phone;
    if (confirmed) return finish(phone);
    setPending(phone);
    setState({});
  }

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) return;
    const token = String(new FormData(event.currentTarget).get('code')).trim();
    setState({ busy: true });
    const { error } = await auth.verifyOtp({ phone: pending, token, type: 'phone_change' });
    if (error) return setState({ error });
    return finish(pending);
  }

  return (
    <>
      <p>{current ? `We call you on ${current}.` : 'Add the number we should call for your consultations.'}</p>
      {pending ? (
        <form className="form" onSubmit={verify}>
          <Field label="The code we texted you" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required hint={`Sent to ${pending}. It is valid for 10 minutes.`} />
          <p className="actions">
            <button type="submit" className="primary" disabled={state.busy}>
              Confirm the number
            </button>
            <button type="button" onClick={() => (setPending(undefined), setState({}))}>
              Use another number
            </button>
          </p>
        </form>
      ) : (
        <form className="form" onSubmit={change}>
          <Field label={current ? 'New phone number' : 'Phone number'} name="phone" type="tel" autoComplete="tel" pattern="\+[1-9][0-9 ()-]{6,18}" required hint="With the country code, for example +1 415 555 0100." />
          <button type="submit" disabled={state.busy}>
            {current ? 'Change number' : 'Add number'}
          </button>
        </form>
      )}
      <div aria-live="polite">
        {state.done ? <Success>{state.done}</Success> : null}
        {state.error ? <ErrorNotice error={state.error} /> : null}
      </div>
    </>
  );
}
