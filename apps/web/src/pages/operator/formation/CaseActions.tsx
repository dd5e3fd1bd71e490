import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../api/errors';
import { toLocalInput } from '../../../lib/dates';
import { Field, TextAreaField } from '../../../ui/Field';
import { ErrorNotice } from '../../../ui/status';
import { ActionSlot, IntentPanel } from '../IntentPanel';
import { sendCaseAction, type CaseActionBodies, type CaseActionDone, type CaseActionName, type CaseFile, type CaseState } from './api';
import { ADVANCE_TITLES, advanceParams, advanceSummary, emptyEvidence, EVIDENCE_LABELS, EVIDENCE_NEEDED, movesFor, STATE_WORDS, type EvidenceDraft } from './moves';

interface ActionsProps {
  file: CaseFile;
  /** The founder, as the page names them. */
  name: string;
  onDone: (answer: CaseActionDone) => void;
  /** Reads the case again (after a refusal that says it moved). */
  reread: () => void;
}

/** A refusal in the API's words, with what it lists (the missing intake) and a way on when the case moved meanwhile. */
export function CaseRefusal({ error, retry, reread }: { error: unknown; retry: () => void; reread: () => void }) {
  const code = error instanceof ApiError ? error.code : undefined;
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as { field?: string; message?: string }[]) : [];
  return (
    <ErrorNotice
      error={error}
      onRetry={retry}
      action={
        code === 'state_changed' ? (
          <button type="button" onClick={reread}>
            Read the case again
          </button>
        ) : undefined
      }
    >
      {code === 'intake_incomplete' && details.length ? (
        <ul>
          {details.map((item) => (
            <li key={`${item.field}-${item.message}`}>{item.message ?? item.field}</li>
          ))}
        </ul>
      ) : null}
    </ErrorNotice>
  );
}

/** An action's panel on this case: sent with the state the operator saw, refusals in full. */
function CasePanel<N extends CaseActionName>({ action, file, onDone, reread, close, ...panel }: Omit<ActionsProps, 'name'> & {
  action: N;
  close: () => void;
  title: string;
  about: string;
  summary: string;
  params: { ready: Omit<CaseActionBodies[N], 'reason'> } | { missing: string };
  danger?: boolean;
  children?: ReactNode;
}) {
  return (
    <IntentPanel
      {...panel}
      send={(body, key) => sendCaseAction(action, file.case.id, body as CaseActionBodies[N], key)}
      onAccepted={onDone}
      onClose={close}
      refusal={(error, retry) => <CaseRefusal error={error} retry={retry} reread={reread} />}
    />
  );
}

const today = () => toLocalInput(new Date()).slice(0, 10);

function Advance({ to, ...props }: Omit<ActionsProps, 'name'> & { to: CaseState; name: string; close: () => void }) {
  const { file, name } = props;
  const [draft, setDraft] = useState<EvidenceDraft>(() => ({ ...emptyEvidence(), filed_at: today(), approved_at: today() }));
  const needed = EVIDENCE_NEEDED[to] ?? [];
  const title = ADVANCE_TITLES[to] ?? `Move to ${STATE_WORDS[to].toLowerCase()}`;
  return (
    <CasePanel
      {...props}
      action="advance"
      title={title}
      about={`Moves the case from ${STATE_WORDS[file.case.state].toLowerCase()} to ${STATE_WORDS[to].toLowerCase()}${needed.length ? ', with what shows it' : ''}.`}
      params={advanceParams(to, file.case.state, draft)}
      summary={advanceSummary(to, draft, name)}
      danger={to === 'formed'}
    >
      {needed.map((field) => (
        <Field
          key={field}
          label={EVIDENCE_LABELS[field]}
          type={field === 'filed_at' || field === 'approved_at' ? 'date' : 'text'}
          value={draft[field]}
          onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
          autoComplete="off"
        />
      ))}
    </CasePanel>
  );
}

function Ask(props: Omit<ActionsProps, 'name'> & { name: string; close: () => void }) {
  const [question, setQuestion] = useState('');
  const trimmed = question.trim();
  return (
    <CasePanel
      {...props}
      action="ask"
      title="Ask the founder"
      about="The case waits for the founder's answer, then returns to where it is now. They see the question in the app and by mail."
      params={trimmed.length >= 3 ? { ready: { question: trimmed, expected_state: props.file.case.state } } : { missing: 'Write the question to the founder.' }}
      summary={`Ask ${props.name}: “${trimmed}”`}
    >
      <TextAreaField label="Question to the founder" rows={3} maxLength={2000} value={question} onChange={(e) => setQuestion(e.target.value)} />
    </CasePanel>
  );
}

function Reject(props: Omit<ActionsProps, 'name'> & { name: string; close: () => void }) {
  const [stateReason, setStateReason] = useState('');
  const trimmed = stateReason.trim();
  return (
    <CasePanel
      {...props}
      action="reject"
      title="Record the state's rejection"
      about="The state turned the filing down. The founder is told its reason; the documents are then prepared again for a new filing."
      params={trimmed.length >= 3 ? { ready: { state_reason: trimmed, expected_state: props.file.case.state } } : { missing: "Give the state's reason, as it gave it." }}
      summary={`Record that the state rejected ${props.name}'s filing: “${trimmed}”`}
      danger
    >
      <TextAreaField label="The state's reason" rows={3} maxLength={2000} value={stateReason} onChange={(e) => setStateReason(e.target.value)} />
    </CasePanel>
  );
}

/** The moves the case's state allows, each with its evidence, a reason and a confirm step; every one is audited. */
export function CaseActions(props: ActionsProps) {
  const { file } = props;
  const state = file.case.state;
  const moves = movesFor(state);
  const prepareTitle = moves.prepare === 'again' ? 'Prepare the documents again' : 'Prepare the documents';
  const none = !moves.prepare && !moves.advanceTo && !moves.ask && !moves.reject;
  return (
    <>
      <ul className="action-list">
        {moves.prepare ? (
          <li>
            <ActionSlot label={prepareTitle}>
              {(close) => (
                <CasePanel
                  {...props}
                  close={close}
                  action="prepare"
                  title={prepareTitle}
                  about={
                    moves.prepare === 'again'
                      ? 'Drafts the documents again from the intake as it is now: a new version when anything changed.'
                      : 'Drafts the documents from the intake, the profile and the Dream DNA, and moves the case to documents prepared.'
                  }
                  params={{ ready: { expected_state: state } }}
                  summary={`Prepare ${props.name}'s formation documents${moves.prepare === 'again' ? ' again' : ''}.`}
                />
              )}
            </ActionSlot>
          </li>
        ) : null}
        {moves.advanceTo ? (
          <li>
            <ActionSlot label={ADVANCE_TITLES[moves.advanceTo] ?? STATE_WORDS[moves.advanceTo]}>{(close) => <Advance {...props} to={moves.advanceTo as CaseState} close={close} />}</ActionSlot>
          </li>
        ) : null}
        {moves.reject ? (
          <li>
            <ActionSlot label="Record the state's rejection">{(close) => <Reject {...props} close={close} />}</ActionSlot>
          </li>
        ) : null}
        {moves.ask ? (
          <li>
            <ActionSlot label="Ask the founder">{(close) => <Ask {...props} close={close} />}</ActionSlot>
          </li>
        ) : null}
      </ul>
      {state === 'needs_founder' ? <p className="meta">The case waits for the founder: it moves on once they answer or complete their details.</p> : null}
      {none && state === 'formed' ? <p className="meta">The business is formed: the case is closed.</p> : null}
    </>
  );
}
