import { useState } from 'react';
import { formatDate, formatDateTime, toLocalInput } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { Field } from '../../../ui/Field';
import { Success } from '../../../ui/status';
import type { FounderFile } from '../api';
import { ActionSlot } from '../IntentPanel';
import { ActionPanel } from './ActionPanel';
import { refundableAmount, toMinorUnits, type Payment } from './refund';
import { lookForNoPlannedCall, lookForPlannedCall, lookForRefund, lookForRun, type Watch } from './watches';

interface ActionsProps {
  file: FounderFile;
  name: string;
  /** An accepted action whose result the file will show. */
  watch: (watch: Omit<Watch, 'startedAt'>) => void;
}

const DAY_MS = 86_400_000;

function RescheduleCall({ file, name, watch, close }: ActionsProps & { close: () => void }) {
  const [when, setWhen] = useState(() => toLocalInput(new Date(Date.now() + DAY_MS)));
  const at = when ? new Date(when) : undefined;
  const valid = at && !Number.isNaN(at.getTime());
  return (
    <ActionPanel
      name="reschedule-call"
      founderId={file.user_id}
      title="Reschedule the next call"
      about={`Plans call ${file.profile.current_call_stage} at a new time. We call ${name} then.`}
      params={valid ? { ready: { at: at.toISOString() } } : { missing: 'Choose when to call.' }}
      summary={valid ? `Call ${name} for call ${file.profile.current_call_stage} on ${formatDateTime(at.toISOString())} (your time).` : ''}
      onAccepted={(answer) => watch({ id: answer.audit_id, title: 'Reschedule the next call', look: lookForPlannedCall(answer) })}
      onClose={close}
    >
      <Field label="New time (your time zone)" type="datetime-local" value={when} min={toLocalInput(new Date())} onChange={(e) => setWhen(e.target.value)} required />
    </ActionPanel>
  );
}

function ResendMail({ file, name, close, done }: ActionsProps & { close: () => void; done: (words: string) => void }) {
  const confirmed = file.account?.email_confirmed ?? file.profile.email_confirmed;
  const [kind, setKind] = useState<'confirmation' | 'recovery'>(confirmed ? 'recovery' : 'confirmation');
  const email = file.account?.email ?? file.profile.customer_email ?? 'their address';
  const words = kind === 'confirmation' ? 'a new link to confirm their email' : 'a link to choose a new password';
  return (
    <ActionPanel
      name="resend-mail"
      founderId={file.user_id}
      title="Send a mail again"
      about={`Mails ${name} a fresh link, with the same limits as when they ask themselves.`}
      params={{ ready: { kind } }}
      summary={`Mail ${email} ${words}.`}
      onAccepted={() => done(`The mail with ${words} is on its way to ${email}.`)}
      onClose={close}
    >
      <fieldset className="field">
        <legend>Which mail</legend>
        <div className="choices">
          <label className="choice">
            <input type="radio" name="mail-kind" value="confirmation" checked={kind === 'confirmation'} onChange={() => setKind('confirmation')} disabled={confirmed} />
            Email confirmation{confirmed ? ' (confirmed already)' : ''}
          </label>
          <label className="choice">
            <input type="radio" name="mail-kind" value="recovery" checked={kind === 'recovery'} onChange={() => setKind('recovery')} />
            Password reset
          </label>
        </div>
      </fieldset>
    </ActionPanel>
  );
}

const paymentWords = (p: Payment) => `${p.package_id}, ${formatMoney(p.amount, p.currency)}${p.paid_at ? ` paid ${formatDate(p.paid_at)}` : ''}`;

function Refund({ file, payments, watch, close }: ActionsProps & { payments: Payment[]; close: () => void }) {
  const [paymentId, setPaymentId] = useState(payments[0]?.id ?? '');
  const [whole, setWhole] = useState(true);
  const [typed, setTyped] = useState('');
  const payment = payments.find((p) => p.id === paymentId);
  const left = payment ? refundableAmount(payment) : 0;
  const amount = whole ? left : payment ? toMinorUnits(typed, payment.currency) : null;
  const tooMuch = amount !== null && amount > left;
  const params =
    !payment ? { missing: 'Choose the payment to refund.' } : amount === null ? { missing: 'Enter the amount to refund, such as 12.50.' } : tooMuch ? { missing: `At most ${formatMoney(left, payment.currency)} is left to refund.` } : { ready: whole ? { payment_id: payment.id } : { payment_id: payment.id, amount } };
  return (
    <ActionPanel
      name="refund"
      founderId={file.user_id}
      title="Refund a payment"
      about="Gives money back to the card or account that paid. It cannot be undone."
      params={params}
      summary={payment && amount !== null ? `Refund ${formatMoney(amount, payment.currency)} of the payment for ${paymentWords(payment)}.` : ''}
      danger
      onAccepted={(answer) => watch({ id: answer.audit_id, title: 'Refund a payment', look: lookForRefund(answer, payment?.amount_refunded ?? 0) })}
      onClose={close}
    >
      <div className="field">
        <label htmlFor="refund-payment">Payment</label>
        <select id="refund-payment" value={paymentId} onChange={(e) => setPaymentId(e.target.value)}>
          {payments.map((p) => (
            <option key={p.id} value={p.id}>
              {paymentWords(p)} ({formatMoney(refundableAmount(p), p.currency)} refundable)
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>How much</legend>
        <div className="choices">
          <label className="choice">
            <input type="radio" name="refund-size" checked={whole} onChange={() => setWhole(true)} />
            All that is left{payment ? ` (${formatMoney(left, payment.currency)})` : ''}
          </label>
          <label className="choice">
            <input type="radio" name="refund-size" checked={!whole} onChange={() => setWhole(false)} />
            An amount
          </label>
        </div>
      </fieldset>
      {!whole ? <Field label={`Amount${payment ? ` in ${payment.currency.toUpperCase()}` : ''}`} inputMode="decimal" value={typed} onChange={(e) => setTyped(e.target.value)} /> : null}
    </ActionPanel>
  );
}

/** What an operator can do for the founder, each with a reason and a confirm step; every one is audited. */
export function Actions(props: ActionsProps) {
  const { file, name, watch } = props;
  const [sent, setSent] = useState<string>();
  const callsLeft = file.profile.current_call_stage <= 4;
  const payments = file.billing.status === 'ok' ? file.billing.payments.filter((p) => refundableAmount(p) > 0) : [];
  return (
    <>
      <ul className="action-list">
        <li>
          <ActionSlot label="Re-run the analysis">
            {(close) => (
              <ActionPanel
                name="rerun-analysis"
                founderId={file.user_id}
                title="Re-run the analysis"
                about={`Reads all of ${name}'s calls and answers again. A new Dream DNA version appears if anything changed.`}
                params={{ ready: {} }}
                summary={`Run the analysis of ${name}'s calls and answers again.`}
                onAccepted={(answer) => watch({ id: answer.audit_id, title: 'Re-run the analysis', look: lookForRun(answer) })}
                onClose={close}
              />
            )}
          </ActionSlot>
        </li>
        {callsLeft ? (
          <>
            <li>
              <ActionSlot label="Reschedule the next call">{(close) => <RescheduleCall {...props} close={close} />}</ActionSlot>
            </li>
            <li>
              <ActionSlot label="Cancel the next call">
                {(close) => (
                  <ActionPanel
                    name="cancel-call"
                    founderId={file.user_id}
                    title="Cancel the next call"
                    about="Stops the planned call. The founder can plan a new one themselves."
                    params={{ ready: {} }}
                    summary={`Cancel ${name}'s planned call ${file.profile.current_call_stage}${file.profile.next_call_scheduled ? ` of ${formatDateTime(file.profile.next_call_scheduled)}` : ''}.`}
                    danger
                    onAccepted={(answer) => watch({ id: answer.audit_id, title: 'Cancel the next call', look: lookForNoPlannedCall() })}
                    onClose={close}
                  />
                )}
              </ActionSlot>
            </li>
          </>
        ) : null}
        <li>
          <ActionSlot label="Send a mail again">{(close) => <ResendMail {...props} close={close} done={setSent} />}</ActionSlot>
        </li>
        {payments.length ? (
          <li>
            <ActionSlot label="Refund a payment">{(close) => <Refund {...props} payments={payments} close={close} />}</ActionSlot>
          </li>
        ) : null}
      </ul>
      {!callsLeft ? <p className="meta">All four calls are done, so there is no call to reschedule or cancel.</p> : null}
      <div aria-live="polite">{sent ? <Success>{sent}</Success> : null}</div>
    </>
  );
}
