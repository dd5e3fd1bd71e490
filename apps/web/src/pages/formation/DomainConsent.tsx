import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useDomainAgreements, type DomainAgreement, type DomainAgreements } from '../../api/queries';
import { formatDate } from '../../lib/dates';
import { ErrorNotice, QueryView } from '../../ui/status';

const isAgreement = (value: unknown): value is DomainAgreement => {
  const agreement = value as Partial<DomainAgreement> | null;
  return typeof agreement?.key === 'string' && typeof agreement.title === 'string' && (agreement.url === null || typeof agreement.url === 'string');
};

/** The agreements the registrar asks for now, which a 409 `agreements_changed` carries; none for any other failure. */
export function changedAgreements(error: unknown): DomainAgreement[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'agreements_changed') return undefined;
  const listed = (error.details as { agreements?: unknown } | undefined)?.agreements;
  return Array.isArray(listed) && listed.length > 0 && listed.every(isAgreement) ? listed : undefined;
}

/** Only a web address is linked: the address comes from the registrar, and a `javascript:` one must not run here. */
const webAddress = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

function AgreementForm({ current, again, onAgreed }: { current: DomainAgreements; again: boolean; onAgreed: () => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [ticked, setTicked] = useState(false);
  const [problem, setProblem] = useState<string>();
  const box = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const agree = useMutation({
    mutationFn: (keys: string[]) => unwrap(api.POST('/v1/me/formation/domain/consent', { body: { agreement_keys: keys } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(['formation-case'], updated);
      void queryClient.invalidateQueries({ queryKey: ['formation-domain-agreements'] });
      onAgreed();
    },
    onError: (error) => {
      const changed = changedAgreements(error);
      if (changed) {
        // The founder agrees to what they read: the new list replaces the old one, and the box is ticked anew.
        queryClient.setQueryData<DomainAgreements>(['formation-domain-agreements'], (old) => old && { ...old, agreements: changed, agreed_at: null });
        setTicked(false);
        requestAnimationFrame(() => list.current?.focus());
        return;
      }
      // A refusal may mean the case moved meanwhile: what it is now is worth showing.
      void queryClient.invalidateQueries({ queryKey: ['formation-case'] });
    },
  });
  const count = current.agreements.length;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!ticked) {
      setProblem('Tick the box first: the registrar registers your domain only with your agreement.');
      box.current?.focus();
      return;
    }
    setProblem(undefined);
    agree.mutate(current.agreements.map((agreement) => agreement.key));
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p id={`${id}-list`}>The registrar’s {count === 1 ? 'agreement' : 'agreements'} for {current.domain}:</p>
      <ul className="plain" ref={list} tabIndex={-1} aria-labelledby={`${id}-list`}>
        {current.agreements.map((agreement) => {
          const url = webAddress(agreement.url);
          return (
            <li key={agreement.key}>
              {url ? (
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {agreement.title}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              ) : (
                agreement.title
              )}
            </li>
          );
        })}
      </ul>
      <div className="field">
        <label className="choice" htmlFor={`${id}-box`}>
          <input
            ref={box}
            id={`${id}-box`}
            type="checkbox"
            required
            checked={ticked}
            onChange={(event) => {
              setTicked(event.target.checked);
              setProblem(undefined);
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-error` : undefined}
          />
          I have read and agree to {count === 1 ? 'the registration agreement' : `the ${count} registration agreements`} for {current.domain}
        </label>
        {problem ? (
          <p className="field-error" id={`${id}-error`}>
            {problem}
          </p>
        ) : null}
      </div>
      <div aria-live="polite">
        {agree.isError ? (
          <ErrorNotice error={agree.error} onRetry={() => agree.mutate(current.agreements.map((agreement) => agreement.key))}>
            {changedAgreements(agree.error) ? <p>The list now shows the agreements as the registrar asks for them: read them, tick the box and agree again.</p> : null}
          </ErrorNotice>
        ) : null}
      </div>
      <p className="actions">
        <button type="submit" className="primary" disabled={agree.isPending}>
          {agree.isPending ? 'Agreeing…' : again ? 'Agree to the registrar’s agreements' : `Agree and register ${current.domain}`}
        </button>
      </p>
    </form>
  );
}

/**
 * The registrar's registration agreements for the founder's domain, read here and agreed to with a ticked box:
 * the registrar registers a domain only with the registrant's own agreement on record. `again` is after a
 * registration that failed for want of it, which our team asks again once the founder has agreed.
 */
export function DomainConsent({ again, onAgreed }: { again: boolean; onAgreed: () => void }) {
  const agreements = useDomainAgreements();
  return (
    <QueryView query={agreements} what="the registrar’s agreements">
      {(current) =>
        again && current.agreed_at ? (
          <p>
            You agreed to them on {formatDate(current.agreed_at)}. Our team registers {current.domain} again and lets you know.
          </p>
        ) : (
          <AgreementForm current={current} again={again} onAgreed={onAgreed} />
        )
      }
    </QueryView>
  );
}
