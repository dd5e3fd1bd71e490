import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TextAreaField } from '../../ui/Field';
import { ErrorNotice } from '../../ui/status';
import { useIntentKey } from './intent';

export const MIN_REASON = 3;
export const MAX_REASON = 500;

export interface IntentPanelProps<Params extends object, Answer> {
  title: string;
  /** What the action does, said before anything is filled in. */
  about: ReactNode;
  /** The action's own fields (a time, a payment, a filing number …), drawn above the reason. */
  children?: ReactNode;
  /** The action's params from its fields, or the words for what is missing. */
  params: { ready: Params } | { missing: string };
  /** What confirming does, said on the confirm step: "Refund $19.00 of the payment of 3 May". */
  summary: string;
  danger?: boolean;
  /** Sends the action with the key of this intent. */
  send: (body: Params & { reason: string }, idempotencyKey: string) => Promise<Answer>;
  onAccepted: (answer: Answer) => void;
  onClose: () => void;
  /** A refusal in more than the API's message (a list it gave in its details); the API's words otherwise. */
  refusal?: (error: unknown, retry: () => void) => ReactNode;
}

/**
 * One operator action as a form: its fields and a reason, then a confirm step that says what will happen, then the
 * request, sent with the key of this intent (see `useIntentKey`) and with the buttons disabled while it is on its
 * way. A refusal is shown in the API's own words, and the form stays open to change or try again.
 */
export function IntentPanel<Params extends object, Answer>(props: IntentPanelProps<Params, Answer>) {
  const { title, about, children, params, summary, danger, send: sendWithKey, onAccepted, onClose, refusal } = props;
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
    mutationFn: (body: Params & { reason: string }) => sendWithKey(body, key),
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
    send.mutate({ ...params.ready, reason: trimmed });
  }
  const confirmWords = `Confirm: ${title.charAt(0).toLowerCase()}${title.slice(1)}`;
  const retry = () => {
    if (send.variables) send.mutate(send.variables);
  };
  return (
    <form className="action-panel" aria-labelledby={headingId} onSubmit={step === 'fill' ? toConfirm : confirm}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {step === 'fill' ? title : confirmWords}
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
          <div aria-live="polite">{send.isError ? (refusal ? refusal(send.error, retry) : <ErrorNotice error={send.error} onRetry={retry} />) : null}</div>
          <p className="actions">
            <button type="submit" className={danger ? 'danger' : 'primary'} disabled={send.isPending}>
              {send.isPending ? 'Sending…' : confirmWords}
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
