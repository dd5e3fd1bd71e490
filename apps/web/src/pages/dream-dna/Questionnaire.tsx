import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useAssessmentCatalog, useAssessments, type AssessmentCatalog } from '../../api/queries';
import { formatDateTime } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { BackLink, ErrorNotice, QueryView, Success } from '../../ui/status';

type Question = AssessmentCatalog['questions'][number];

function QuestionField({ question }: { question: Question }) {
  const id = `q-${question.id}`;
  if (question.kind === 'choice') {
    return (
      <fieldset className="field">
        <legend>{question.prompt}</legend>
        <div className="choices">
          {question.options.map((option) => (
            <label key={option} className="choice">
              <input type="radio" name={question.id} value={option} /> {option}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{question.prompt}</label>
      <textarea id={id} name={question.id} maxLength={question.max_length} rows={3} />
    </div>
  );
}

function Form({ catalog }: { catalog: AssessmentCatalog }) {
  const queryClient = useQueryClient();
  // One key per filled-in form: a double click or a retry after a dropped answer is the same submission.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [empty, setEmpty] = useState(false);
  const submit = useMutation({
    mutationFn: (answers: { question_id: string; value: string }[]) =>
      unwrap(
        api.POST('/v1/me/assessments', {
          body: { catalog_version: catalog.version, answers },
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: () => {
      setIdempotencyKey(crypto.randomUUID());
      return queryClient.invalidateQueries({ queryKey: ['assessments'] });
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const answers = catalog.questions
      .map((q) => ({ question_id: q.id, value: String(form.get(q.id) ?? '').trim() }))
      .filter((a) => a.value);
    setEmpty(!answers.length);
    if (answers.length) submit.mutate(answers);
  }

  return (
    <form className="form" onSubmit={onSubmit}>
      {catalog.questions.map((q) => (
        <QuestionField key={q.id} question={q} />
      ))}
      <div aria-live="polite">
        {empty ? <p className="notice notice-error">Please answer at least one question.</p> : null}
        {submit.isError ? <ErrorNotice error={submit.error} onRetry={() => submit.mutate(submit.variables)} /> : null}
        {submit.isSuccess ? <Success>Thank you. Your answers go into your next analysis; your Dream DNA updates when it is ready.</Success> : null}
      </div>
      <button type="submit" className="primary" disabled={submit.isPending}>
        {submit.isPending ? 'Sending…' : 'Send my answers'}
      </button>
    </form>
  );
}

export function Component() {
  const catalog = useAssessmentCatalog();
  const sent = useAssessments();
  return (
    <>
      <BackLink to="/dream-dna">Your Dream DNA</BackLink>
      <PageHeader title="A few questions">Answer any you like; skip the rest. Every answer helps.</PageHeader>
      <QueryView query={catalog} what="the questions">
        {(c) => <Form catalog={c} />}
      </QueryView>
      {sent.data?.assessments.length ? (
        <section aria-labelledby="sent">
          <h2 id="sent">Sent before</h2>
          <ul className="plain">
            {sent.data.assessments.map((a) => (
              <li key={a.id}>
                {formatDateTime(a.submitted_at)}: {a.answers.length} answers, {a.analysed_at ? 'analysed' : 'waiting for analysis'}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
