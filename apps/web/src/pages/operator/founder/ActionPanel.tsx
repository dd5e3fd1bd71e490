import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TextAreaField } from '../../../ui/Field';
import { ErrorNotice } from '../../../ui/status';
import { sendAction, type ActionAnswers, type ActionBodies, type ActionName } from '../api';
import { useIntentKey } from './intent';

export const MIN_REASON = 3;
export const MAX_REASON = 500;

type Params<N extends ActionName> = Omit<ActionBodies[N], 'reason'>;

export interface ActionPanelProps<N extends ActionName> {
  name: N;
  founderId: string;
  title: string;
  /** What the action does, said before anything is filled in. */
  about: ReactNode;
  /** The action's own fields (a time, a payment …), drawn above the reason. */
  children?: ReactNode;
  /** The action's params from its fields, or the words for what is missing. */
  params: { ready: Params<N> } | { missing: string };
  /** What confirming does, said on the confirm step: "Refund $19.00 of the payment of 3 May". */
  summary: string;
  danger?: boolean;
  onAccepted: (answer: ActionAnswers[N]) => void;
  onClose: () => void;
}

/**
 * One action on a founder as a form: its fields and a reason, then a confirm step that says what will happen, then
 * the request, sent with the key of this intent (see `useIntentKey`) and with the buttons disabled while it is on
 * its way. A refusal is shown in the API's own words, and the form stays open to change or try again.
 */
export function ActionPanel<N extends ActionName>(props: ActionPanelProps<N>) {
  const { name, founderId, title, about, children, params, summary, danger, onAccepted, onClose } = props;
  const key = useIntentKey();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [reason, setReason] = useState('');
  const [step, setStep] = useState<'fill' | 'confirm'>('fill');
  const [problem, setProblem] = useState<string>();
  // The button is disabled once React draws the pending state; a second click before that is stopped here (and
  // were it sent, its key would make it the same request).
  const inFlight = useRef(false);
  const send = useMutation({
    mutationFn: (body: ActionBodies[N]) => sendAction(name, founderId, body, key),
    onSettled: () => {
      inFlight.current = false;
    },
    onSuccess: (answer) => {
      onAccepted(answer);
      onClose();
    },
  });
  // Each step starts at its heading, so that a screen reader hears where it is.
  useEffect(() => heading.current?.focus(), [step]);

  const trimmed = reason.trim();
  function toConfirm(event: FormEvent) {
    event.preventDefault();
    if (trimmed.length < MIN_REASON) return setProblem(`Say why, in at least ${MIN_REASON} characters: it goes in the audit log.`);
    if ('missing' in params) return setProblem(params.missing);
    setProblem(undefined);
    setStep('confirm');
  }
  function confirm(event: FormEvent) {
    event.preventDefault();
    if (!('ready' in params) || inFlight.current) return;
    inFlight.current = true;
    send.mutate({ ...params.ready, reason: trimmed } as ActionBodies[N]);
  }
  return (
    <form className="action-panel" aria-labelledby={headingId} onSubmit={step === 'fill' ? toConfirm : confirm}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {step === 'fill' ? title : `Confirm: ${title.toLowerCase()}`}
      </h3>
      {step === 'fill' ? (
        <>
          <p className="meta">{about}</p>
          {children}
          <TextAreaField
            label="Why"
            hint="Kept in the audit log with your name."
            value={reason}
            maxLength={MAX_REASON}
            rows={2}
            error={problem}
            onChange={(e) => setReason(e.target.value)}
          />
          <p className="actions">
            <button type="submit" className="primary">
              Continue
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </p>
        </>
      ) : (
        <>
          <p>{summary}</p>
          <p className="meta">
            Why: <q>{trimmed}</q>
          </p>
          <div aria-live="polite">{send.isError ? <ErrorNotice error={send.error} onRetry={() => send.mutate(send.variables)} /> : null}</div>
          <p className="actions">
            <button type="submit" className={danger ? 'danger' : 'primary'} disabled={send.isPending}>
              {send.isPending ? 'Sending…' : `Confirm: ${title.toLowerCase()}`}
            </button>
            <button type="button" onClick={() => (send.reset(), setStep('fill'))} disabled={send.isPending}>
              Back
            </button>
          </p>
        </>
      )}
    </form>
  );
}

/** An action behind its button: the form opens in its place, a new intent each time. */
export function ActionSlot({ label, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    // Back to the button that opened it, once it is drawn again.
    setTimeout(() => opener.current?.focus(), 0);
  };
  return open ? <>{children(close)}</> : (
    <button type="button" ref={opener} onClick={() => setOpen(true)}>
      {label}
    </button>
  );
}
