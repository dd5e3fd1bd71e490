import type { components } from '@dreamseed/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { auth } from '../../api/auth';
import { api, unwrap } from '../../api/client';
import { useProfile, type Profile } from '../../api/queries';
import { ENTITY_TYPES, US_STATES } from '../../lib/choices';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, QueryView, Success } from '../../ui/status';
import { DeleteAccount } from './DeleteAccount';
import { PhoneForm } from './PhoneForm';

type Patch = components['schemas']['ProfilePatch'];

const URGENCY = { high: 'As soon as possible', medium: 'In the next few months', low: 'No rush' };

function Select({ label, name, value, options }: { label: string; name: string; value: string | null; options: Record<string, string> }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">Not decided yet</option>
        {Object.entries(options).map(([key, words]) => (
          <option key={key} value={key}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (patch: Patch) => unwrap(api.PATCH('/v1/me', { body: patch })),
    onSuccess: (updated) => queryClient.setQueryData(['me'], updated),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    save.mutate({
      customer_name: text('customer_name'),
      business_name: text('business_name'),
      business_type: text('business_type'),
      state_of_operation: text('state_of_operation') as Patch['state_of_operation'],
      entity_type: text('entity_type') as Patch['entity_type'],
      urgency_level: text('urgency_level') as Patch['urgency_level'],
      timeline: text('timeline'),
    });
  }
  return (
    <form className="form" onSubmit={submit}>
      <Field label="Your name" name="customer_name" autoComplete="name" defaultValue={profile.customer_name ?? ''} />
      <Field label="Business name" name="business_name" autoComplete="organization" defaultValue={profile.business_name ?? ''} hint="A working name is fine." />
      <Field label="Kind of business" name="business_type" defaultValue={profile.business_type ?? ''} hint="For example: bakery, design studio." />
      <Select label="State where you will operate" name="state_of_operation" value={profile.state_of_operation} options={Object.fromEntries(US_STATES.map((s) => [s, s]))} />
      <Select label="Business type" name="entity_type" value={profile.entity_type} options={ENTITY_TYPES} />
      <Select label="How soon" name="urgency_level" value={profile.urgency_level} options={URGENCY} />
      <Field label="Your timeline" name="timeline" defaultValue={profile.timeline ?? ''} hint="In your own words, for example: open by spring." />
      <div aria-live="polite">
        {save.isSuccess ? <Success>Saved.</Success> : null}
        {save.isError ? <ErrorNotice error={save.error} onRetry={() => save.mutate(save.variables)} /> : null}
      </div>
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  );
}

function SignOut() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>();
  async function signOut() {
    const { error: failed } = await auth.signOut();
    if (failed) {
      setError(failed);
      return;
    }
    queryClient.clear();
    navigate('/sign-in', { replace: true });
  }
  return (
    <section aria-labelledby="leave">
      <h2 id="leave">Sign out</h2>
      <p>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}

export function Component() {
  const profile = useProfile();
  return (
    <>
      <PageHeader title="Your profile">The details we use for your calls and your business formation.</PageHeader>
      <QueryView query={profile} what="your profile">
        {(p) => (
          <>
            <p>
              Signed in as <strong>{p.customer_email}</strong>.
            </p>
            <section aria-labelledby="details">
              <h2 id="details">Your details</h2>
              <ProfileForm profile={p} />
            </section>
            <section aria-labelledby="phone">
              <h2 id="phone">Phone number</h2>
              <PhoneForm current={p.customer_phone} />
            </section>
          </>
        )}
      </QueryView>
      <SignOut />
      <DeleteAccount />
    </>
  );
}
