import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { readFormationDocument, useFormationDocuments, type FormationCase, type FormationDocument, type FormationDomain, type MissingIntakeItem } from '../../api/queries';
import { formatDate, formatDateTime } from '../../lib/dates';
import { DownloadButton } from '../../ui/Download';
import { TextAreaField } from '../../ui/Field';
import { ErrorNotice, QueryView, Success } from '../../ui/status';
import { DomainConsent } from './DomainConsent';
import { ACTOR_WORDS, DOCUMENT_TITLES, domainWaitsForFounder, domainWords, eventWords, fileSize, fieldTarget, nowWords, splitVersions, STEP_STATUS_WORDS, stepsOf, todoOf } from './case';

export function CaseSteps({ formationCase }: { formationCase: FormationCase }) {
  return (
    <ol className="stages formation-steps">
      {stepsOf(formationCase).map((step, i) => (
        <li key={step.key} className={`stage stage-${step.status}`} aria-current={step.status === 'done' || step.status === 'to-come' ? undefined : 'step'}>
          <h3>
            {i + 1}. {step.title} <span className="badge">{STEP_STATUS_WORDS[step.status]}</span>
          </h3>
          <p>{step.about}</p>
        </li>
      ))}
    </ol>
  );
}

/** Moves focus (and so the view) to the form's control; the link's own jump is kept for when it is not on the page. */
function focusControl(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const control = document.getElementById(id);
  if (!control) return;
  event.preventDefault();
  control.focus();
}

/** What the filing still lacks, each linked to where it is filled in. */
export function MissingList({ missing }: { missing: MissingIntakeItem[] }) {
  return (
    <ul className="plain">
      {missing.map((item) => {
        const target = fieldTarget(item.field);
        return (
          <li key={`${item.field}-${item.message}`}>
            {item.message}{' '}
            {target && 'control' in target ? (
              <a href={`#${target.control}`} onClick={(event) => focusControl(event, target.control)}>
                Fill it in
              </a>
            ) : target ? (
              <Link to={target.page}>On your profile</Link>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function AnswerForm() {
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [problem, setProblem] = useState<string>();
  const send = useMutation({
    mutationFn: (text: string) => unwrap(api.POST('/v1/me/formation/case/answer', { body: { answer: text } })),
    onSuccess: (updated) => queryClient.setQueryData(['formation-case'], updated),
    // A refusal may mean the case moved meanwhile: what it is now is worth showing.
    onError: () => void queryClient.invalidateQueries({ queryKey: ['formation-case'] }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const text = answer.trim();
    if (!text) return setProblem('Write your answer first.');
    setProblem(undefined);
    send.mutate(text);
  }
  return (
    <form className="form" onSubmit={submit}>
      <TextAreaField label="Your answer" rows={3} maxLength={4000} value={answer} error={problem} onChange={(e) => setAnswer(e.target.value)} />
      <div aria-live="polite">{send.isError ? <ErrorNotice error={send.error} onRetry={() => send.mutate(answer.trim())} /> : null}</div>
      <p className="actions">
        <button type="submit" className="primary" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send your answer'}
        </button>
      </p>
    </form>
  );
}

/** What the founder must do now: answer our question, complete their details, or nothing at all. */
export function CaseTodo({ formationCase }: { formationCase: FormationCase }) {
  const todo = todoOf(formationCase);
  if (todo.kind === 'answer') {
    return (
      <>
        <p>We have a question for you{todo.askedAt ? ` (asked ${formatDateTime(todo.askedAt)})` : ''}:</p>
        <blockquote className="pre">{todo.question}</blockquote>
        {todo.missing.length ? (
          <>
            <p>The filing also needs these details:</p>
            <MissingList missing={todo.missing} />
          </>
        ) : null}
        <AnswerForm />
      </>
    );
  }
  if (todo.kind === 'intake') {
    return (
      <>
        <p>Before we can prepare your documents, your formation details below need:</p>
        <MissingList missing={todo.missing} />
        <p className="meta">Once you save them, your formation moves on by itself.</p>
      </>
    );
  }
  const domainWaits = domainWaitsForFounder(formationCase);
  return (
    <>
      {domainWaits ? (
        <p>
          Your domain waits for you: see <a href="#case-domain">Your domain</a> below.
        </p>
      ) : null}
      <p>
        {domainWaits ? 'Nothing else right now.' : 'Nothing right now.'} {nowWords(formationCase)}
      </p>
    </>
  );
}

function DocumentItem({ document }: { document: FormationDocument }) {
  const title = DOCUMENT_TITLES[document.kind];
  return (
    <li>
      <DownloadButton read={() => readFormationDocument(document.id)} filename={document.filename}>
        Download {title}
        <span className="visually-hidden">, version {document.version}</span>
      </DownloadButton>{' '}
      <span className="meta">
        Version {document.version}, {formatDate(document.created_at)}, PDF, {fileSize(document.size_bytes)}
      </span>
    </li>
  );
}

/** Older versions, read when the founder opens them. */
function OlderVersions() {
  const [open, setOpen] = useState(false);
  const documents = useFormationDocuments(open);
  return (
    <details className="versions" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Older versions</summary>
      {open ? (
        <QueryView query={documents} what="the older versions">
          {(all) => {
            const { older } = splitVersions(all);
            return older.length ? (
              <ul className="plain documents">
                {older.map((d) => (
                  <DocumentItem key={d.id} document={d} />
                ))}
              </ul>
            ) : (
              <p>There are no older versions.</p>
            );
          }}
        </QueryView>
      ) : null}
    </details>
  );
}

export function CaseDocuments({ formationCase }: { formationCase: FormationCase }) {
  const { documents } = formationCase;
  if (!documents.length) return <p>Your documents appear here once we have prepared them.</p>;
  return (
    <>
      <ul className="plain documents">
        {documents.map((d) => (
          <DocumentItem key={d.id} document={d} />
        ))}
      </ul>
      {/* A document past its first version has older ones. */}
      {documents.some((d) => d.version > 1) ? <OlderVersions /> : null}
    </>
  );
}

export function CaseDomain({ domain }: { domain: FormationDomain }) {
  const { words, todo } = domainWords(domain);
  const [agreed, setAgreed] = useState(false);
  const said = useRef<HTMLParagraphElement>(null);
  // Agreeing usually asks the registration, and the form goes with the status: focus stays here, on what it says now.
  useEffect(() => {
    if (agreed) said.current?.focus();
  }, [agreed]);
  return (
    <>
      <p ref={said} tabIndex={-1}>
        {words}
      </p>
      <div aria-live="polite">{agreed ? <Success>Thank you: your agreement to the registrar’s agreements is recorded.</Success> : null}</div>
      {todo === 'choose' ? (
        <p>
          <Link to="/domains">Choose your domain</Link>
        </p>
      ) : todo === 'contact' ? (
        <p className="actions">
          <Link to="/profile">Your name and phone number</Link>
          <a href="#intake-business_address-line1" onClick={(event) => focusControl(event, 'intake-business_address-line1')}>
            Your business address
          </a>
        </p>
      ) : todo === 'consent' ? (
        <DomainConsent again={domain.status === 'failed'} onAgreed={() => setAgreed(true)} />
      ) : null}
    </>
  );
}

/** The case's events, newest first. */
export function CaseTimeline({ events }: { events: FormationCase['events'] }) {
  return (
    <ol className="timeline">
      {[...events].reverse().map((e) => (
        <li key={e.id}>
          <span className="meta block">
            {formatDateTime(e.at)} · {ACTOR_WORDS[e.actor_type]}
          </span>
          {eventWords(e)}
        </li>
      ))}
    </ol>
  );
}

/** The whole case above the formation form: where it stands, what to do, documents, domain, timeline. */
export function CaseOverview({ formationCase }: { formationCase: FormationCase }) {
  const todo = todoOf(formationCase);
  return (
    <>
      <section aria-labelledby="case-steps">
        <h2 id="case-steps">Where it stands</h2>
        <CaseSteps formationCase={formationCase} />
        {formationCase.state === 'formed' ? <Success>Congratulations: your business is formed.</Success> : null}
      </section>
      <section aria-labelledby="case-todo" className={`card${todo.kind === 'nothing' && !domainWaitsForFounder(formationCase) ? '' : ' highlight'}`}>
        <h2 id="case-todo">What we need from you</h2>
        <CaseTodo formationCase={formationCase} />
      </section>
      <section aria-labelledby="case-documents">
        <h2 id="case-documents">Your documents</h2>
        <CaseDocuments formationCase={formationCase} />
      </section>
      {formationCase.domain ? (
        <section aria-labelledby="case-domain">
          <h2 id="case-domain">Your domain</h2>
          <CaseDomain domain={formationCase.domain} />
        </section>
      ) : null}
      <section aria-labelledby="case-timeline">
        <h2 id="case-timeline">What has happened</h2>
        <CaseTimeline events={formationCase.events} />
      </section>
    </>
  );
}
