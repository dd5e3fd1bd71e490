import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useFormation, useFormationCase, type FormationDetails } from '../../api/queries';
import { ENTITY_TYPES, US_STATES } from '../../lib/choices';
import { formatDateTime } from '../../lib/dates';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorNotice, QueryView, Success } from '../../ui/status';
import { intakeControlId } from './case';
import { CaseOverview } from './CaseParts';
import {
  draftFrom,
  emptyMember,
  fieldErrorsFromApi,
  fieldPaths,
  hasShares,
  MANAGEMENT,
  MAX_MEMBERS,
  toFormationBody,
  validateFormation,
  withoutBlankMembers,
  type AddressDraft,
  type FieldErrors,
  type FormationDraft,
} from './formation-form';

const STATE_OPTIONS = Object.fromEntries(US_STATES.map((s) => [s, s]));

function AddressFields({ legend, path, value, errors, onChange }: { legend: string; path: string; value: AddressDraft; errors: FieldErrors; onChange: (next: AddressDraft) => void }) {
  const part = (key: keyof AddressDraft) => ({
    id: intakeControlId(`${path}.${key}`),
    value: value[key],
    onChange: (event: { target: { value: string } }) => onChange({ ...value, [key]: event.target.value }),
    error: errors[`${path}.${key}`],
  });
  return (
    <fieldset className="group">
      <legend>{legend}</legend>
      <Field label="Street address" {...part('line1')} autoComplete="address-line1" />
      <Field label="Suite, unit or floor (optional)" {...part('line2')} autoComplete="address-line2" />
      <Field label="City" {...part('city')} autoComplete="address-level2" />
      <SelectField label="State" none="Choose a state" options={STATE_OPTIONS} {...part('state')} />
      <Field label="ZIP code" {...part('postal_code')} inputMode="numeric" autoComplete="postal-code" />
      <Field label="County (if your state asks for it)" {...part('county')} />
    </fieldset>
  );
}

function FormationForm({ saved }: { saved: FormationDetails | null }) {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<FormationDraft>(() => draftFrom(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof toFormationBody>) => unwrap(api.PUT('/v1/me/formation', { body })),
    onSuccess: (details) => {
      queryClient.setQueryData(['formation'], details);
      // What the filing still lacks follows the saved details at once; the case's own moves arrive as live events.
      void queryClient.invalidateQueries({ queryKey: ['formation-case'] });
    },
    onError: (error, _body) => {
      const refused = fieldErrorsFromApi(error, fieldPaths(draft));
      if (refused) showErrors(refused.fields, refused.other);
    },
  });

  const update = <K extends keyof FormationDraft>(key: K, value: FormationDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: 'legal_name' | 'dba_name' | 'entity_type' | 'state_of_formation' | 'management_structure' | 'business_purpose' | 'naics_code') => ({
    id: intakeControlId(key),
    value: draft[key],
    onChange: (event: { target: { value: string } }) => update(key, event.target.value),
    error: errors[key],
  });
  const setMember = (i: number, key: keyof FormationDraft['members'][number], value: string) =>
    update('members', draft.members.map((m, j) => (j === i ? { ...m, [key]: value } : m)));

  /** Marks the fields and moves focus to the first, so keyboard and screen-reader users land on what to fix. */
  function showErrors(fields: FieldErrors, other: string[] = []) {
    setErrors(fields);
    setOtherErrors(other);
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    const cleaned = withoutBlankMembers(draft);
    setDraft(cleaned);
    const found = validateFormation(cleaned);
    if (Object.keys(found).length) return showErrors(found);
    showErrors({});
    save.mutate(toFormationBody(cleaned));
  }

  const problems = Object.keys(errors).length + otherErrors.length;
  const refusedByApi = fieldErrorsFromApi(save.error, fieldPaths(draft)) !== undefined;
  return (
    <form ref={form} className="form" onSubmit={submit} noValidate>
      <fieldset className="group">
        <legend>Your business</legend>
        <Field label="Legal name" hint="As it will be registered, for example: Ada Bakes LLC." autoComplete="organization" {...text('legal_name')} />
        <Field label="Trade name (DBA, optional)" hint="A name you trade under that differs from the legal name." {...text('dba_name')} />
        <SelectField label="Business type" none="Not decided yet" options={ENTITY_TYPES} {...text('entity_type')} />
        <SelectField label="State of formation" none="Not decided yet" options={STATE_OPTIONS} {...text('state_of_formation')} />
        <SelectField label="How it is run" none="Not decided yet" options={MANAGEMENT} {...text('management_structure')} />
        <TextAreaField label="Business purpose" hint="One or two sentences on what the business does." rows={3} {...text('business_purpose')} />
        <Field label="NAICS code (optional)" hint="The industry code, 2 to 6 digits; 311811 is a retail bakery." inputMode="numeric" {...text('naics_code')} />
      </fieldset>
      {hasShares(draft) ? (
        <fieldset className="group">
          <legend>Shares</legend>
          <p className="hint">What the articles let the corporation issue. Left empty, the drafts use 1,000 shares at $0.01 and say it is a default.</p>
          <Field
            label="Authorized shares"
            hint="A whole number, like 10,000,000."
            inputMode="numeric"
            id={intakeControlId('authorized_shares.count')}
            value={draft.authorized_shares.count}
            onChange={(e) => update('authorized_shares', { ...draft.authorized_shares, count: e.target.value })}
            error={errors['authorized_shares.count']}
          />
          <Field
            label="Par value per share, $ (optional)"
            hint="Like 0.0001. Leave it empty for shares without par value."
            inputMode="decimal"
            id={intakeControlId('authorized_shares.par_value')}
            value={draft.authorized_shares.par_value}
            onChange={(e) => update('authorized_shares', { ...draft.authorized_shares, par_value: e.target.value })}
            error={errors['authorized_shares.par_value']}
          />
        </fieldset>
      ) : null}
      <AddressFields legend="Business address" path="business_address" value={draft.business_address} errors={errors} onChange={(a) => update('business_address', a)} />
      <AddressFields legend="Mailing address (if different)" path="mailing_address" value={draft.mailing_address} errors={errors} onChange={(a) => update('mailing_address', a)} />
      <fieldset className="group">
        <legend>Registered agent</legend>
        <p className="hint">The person or company that receives legal mail for the business in its state.</p>
        <Field
          label="Agent’s name"
          id={intakeControlId('registered_agent.name')}
          value={draft.registered_agent.name}
          onChange={(e) => update('registered_agent', { ...draft.registered_agent, name: e.target.value })}
          error={errors['registered_agent.name']}
        />
        <AddressFields
          legend="Agent’s address"
          path="registered_agent.address"
          value={draft.registered_agent.address}
          errors={errors}
          onChange={(address) => update('registered_agent', { ...draft.registered_agent, address })}
        />
      </fieldset>
      <fieldset className="group" id={intakeControlId('members')} tabIndex={-1}>
        <legend>Members and ownership</legend>
        {errors.members ? <p className="field-error">{errors.members}</p> : null}
        {draft.members.length ? null : <p className="hint">No members yet. Add each owner with their share.</p>}
        {draft.members.map((m, i) => (
          <fieldset key={i} className="group member">
            <legend>Member {i + 1}</legend>
            <Field label="Name" id={intakeControlId(`members.${i}.name`)} value={m.name} onChange={(e) => setMember(i, 'name', e.target.value)} error={errors[`members.${i}.name`]} />
            <Field label="Role (optional)" id={intakeControlId(`members.${i}.role`)} value={m.role} onChange={(e) => setMember(i, 'role', e.target.value)} error={errors[`members.${i}.role`]} />
            <Field
              label="Ownership, %"
              id={intakeControlId(`members.${i}.ownership_percent`)}
              type="number"
              min={0}
              max={100}
              step="any"
              value={m.ownership_percent}
              onChange={(e) => setMember(i, 'ownership_percent', e.target.value)}
              error={errors[`members.${i}.ownership_percent`]}
            />
            <p className="actions">
              <button type="button" onClick={() => update('members', draft.members.filter((_, j) => j !== i))}>
                Remove member {i + 1}
              </button>
            </p>
          </fieldset>
        ))}
        <p className="actions">
          <button type="button" disabled={draft.members.length >= MAX_MEMBERS} onClick={() => update('members', [...draft.members, emptyMember()])}>
            Add a member
          </button>
        </p>
      </fieldset>
      <div aria-live="polite">
        {problems ? (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{problems === 1 ? 'One thing to fix' : `${problems} things to fix`}</p>
            <p>The fields are marked below.</p>
            {otherErrors.length ? (
              <ul>
                {otherErrors.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {save.isSuccess ? <Success>Your formation details are saved.</Success> : null}
        {save.isError && !refusedByApi ? <ErrorNotice error={save.error} onRetry={() => save.mutate(save.variables)} /> : null}
      </div>
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save formation details'}
      </button>
    </form>
  );
}

function Progress({ saved }: { saved: FormationDetails }) {
  return (
    <dl className="glance">
      <dt>Formation</dt>
      <dd>{saved.formation_status.replaceAll('_', ' ')}</dd>
      <dt>EIN</dt>
      <dd>{saved.ein_status.replaceAll('_', ' ')}</dd>
      {saved.filed_at ? (
        <>
          <dt>Filed</dt>
          <dd>{formatDateTime(saved.filed_at)}</dd>
        </>
      ) : null}
      {saved.approved_at ? (
        <>
          <dt>Approved</dt>
          <dd>{formatDateTime(saved.approved_at)}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * The founder's formation: once a formation package is paid, the case (where it stands, what we need, documents,
 * domain, what has happened) above the details it is filed from; before, the details alone.
 */
export function Component() {
  const formation = useFormation();
  const formationCase = useFormationCase();
  const hasCase = Boolean(formationCase.data);
  return (
    <>
      <PageHeader title="Your formation">
        {hasCase ? 'Where the forming of your business stands, and what we need from you.' : 'What we file to form your business. Fill in what you know; you can come back to the rest.'}
      </PageHeader>
      <QueryView query={formationCase} what="your formation">
        {(found) => (found ? <CaseOverview formationCase={found} /> : null)}
      </QueryView>
      <section aria-labelledby="formation-details">
        <h2 id="formation-details">Formation details</h2>
        {hasCase ? <p className="meta">What we file. A change to them before the filing makes new versions of your documents.</p> : null}
        <QueryView query={formation} what="your formation details">
          {(saved) => (
            <>
              {saved && !hasCase ? <Progress saved={saved} /> : null}
              <FormationForm saved={saved} />
            </>
          )}
        </QueryView>
      </section>
    </>
  );
}
