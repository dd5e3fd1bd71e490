import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { useDomainSelection, type DomainCandidate, type DomainSearch, type DomainSelection } from '../../api/queries';
import { formatMoney } from '../../lib/money';
import { Field } from '../../ui/Field';
import { PageHeader } from '../../ui/PageHeader';
import { Empty, ErrorNotice, Loading, QueryView, Success } from '../../ui/status';

const POLL_MS = 1500;
const finished = (search: DomainSearch | undefined) => search?.status === 'completed' || search?.status === 'failed';

function CurrentDomain({ selection }: { selection: DomainSelection | null }) {
  if (!selection) return <Empty>You have not chosen a domain yet. Search below and pick one you like.</Empty>;
  if (selection.status === 'selected') {
    return (
      <Success>
        Your domain is <strong>{selection.domain}</strong>.
      </Success>
    );
  }
  if (selection.status === 'pending') return <p role="status">We are checking {selection.domain} one last time…</p>;
  return (
    <p className="notice notice-error">
      {selection.domain} was taken after all{selection.message ? `: ${selection.message}` : ''}. Please choose another.
    </p>
  );
}

function availability(candidate: DomainCandidate) {
  if (candidate.available === true) return candidate.definitive ? 'Available' : 'Probably available';
  if (candidate.available === false) return 'Taken';
  return 'Could not check';
}

function Candidates({ search, onChoose, choosing }: { search: DomainSearch; onChoose: (domain: string) => void; choosing?: string }) {
  if (search.status === 'failed') return <p className="notice notice-error">This search did not finish{search.error ? `: ${search.error}` : ''}. Please search again.</p>;
  if (!finished(search)) return <Loading what="domain ideas (checking each name)" />;
  if (!search.candidates.length) return <Empty>No names came up for these words. Try other words.</Empty>;
  return (
    <ul className="candidates">
      {search.candidates.map((c) => (
        <li key={c.domain} className={`candidate ${c.available ? 'is-free' : 'is-taken'}`}>
          <p className="domain">{c.domain}</p>
          <p className="meta">
            {availability(c)}
            {c.amount !== null && c.currency ? `, ${formatMoney(c.amount, c.currency)} a year` : ''}
          </p>
          {c.reason ? <p className="meta">{c.reason}</p> : null}
          {c.available !== false ? (
            <button type="button" onClick={() => onChoose(c.domain)} disabled={choosing !== undefined} aria-label={`Choose ${c.domain}`}>
              {choosing === c.domain ? 'Choosing…' : 'Choose'}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function Component() {
  const queryClient = useQueryClient();
  const selection = useDomainSelection();
  const [searchId, setSearchId] = useState<string>();
  // The founder's newest search, so the ideas are still here when they come back.
  const latest = useQuery({
    queryKey: ['domain-search', 'latest'],
    queryFn: () => unwrap(api.GET('/v1/domains/searches', { params: { query: { limit: 1 } } })).then((page) => page.searches[0] ?? null),
    enabled: !searchId,
  });
  const current = useQuery({
    queryKey: ['domain-search', searchId],
    queryFn: () => unwrap(api.GET('/v1/domains/searches/{id}', { params: { path: { id: searchId ?? '' } } })),
    enabled: Boolean(searchId),
    refetchInterval: (query) => (finished(query.state.data) ? false : POLL_MS),
  });
  const search = useMutation({
    mutationFn: (body: { keywords?: string[] }) => unwrap(api.POST('/v1/domains/searches', { body })),
    onSuccess: (answer) => {
      // 200 brings the finished search; 202 only its id, read until it finishes.
      if ('candidates' in answer) queryClient.setQueryData(['domain-search', answer.id], answer);
      setSearchId(answer.id);
    },
  });
  const choose = useMutation({
    mutationFn: (domain: string) => unwrap(api.POST('/v1/domains/selections', { body: { domain } })),
    onSuccess: () =>
      Promise.all(['domain-selection', 'dream-dna', 'me'].map((key) => queryClient.invalidateQueries({ queryKey: [key] }))),
  });

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const words = String(new FormData(event.currentTarget).get('keywords') ?? '')
      .split(/[,\s]+/)
      .map((w) => w.trim())
      .filter(Boolean);
    search.mutate(words.length ? { keywords: words } : {});
  }

  const shown = searchId ? current.data : latest.data;
  return (
    <>
      <PageHeader title="Your domain">Find a web address for your business and make it yours.</PageHeader>
      <section aria-labelledby="chosen">
        <h2 id="chosen">Chosen domain</h2>
        <QueryView query={selection} what="your domain">
          {(s) => <CurrentDomain selection={s} />}
        </QueryView>
      </section>
      <section aria-labelledby="find">
        <h2 id="find">Find a domain</h2>
        <form className="inline-form" onSubmit={onSearch}>
          <Field label="Words to try" name="keywords" hint="For example: bakery, fresh bread. Leave it empty to use your Dream DNA." />
          <button type="submit" className="primary" disabled={search.isPending}>
            {search.isPending ? 'Searching…' : 'Search'}
          </button>
        </form>
        <div aria-live="polite">
          {search.isError ? <ErrorNotice error={search.error} onRetry={() => search.mutate(search.variables)} /> : null}
          {choose.isError ? <ErrorNotice error={choose.error} /> : null}
          {choose.data?.status === 'selected' ? <Success>{choose.data.domain} is yours.</Success> : null}
          {choose.data?.status === 'pending' ? <p role="status">We are checking {choose.data.domain} one last time…</p> : null}
        </div>
        {current.isError ? <ErrorNotice error={current.error} onRetry={() => void current.refetch()} /> : null}
        {latest.isError ? <ErrorNotice error={latest.error} onRetry={() => void latest.refetch()} /> : null}
        {searchId && !current.data && current.isPending ? <Loading what="domain ideas" /> : null}
        {shown ? (
          <section aria-labelledby="ideas" aria-busy={!finished(shown)}>
            <h3 id="ideas">Ideas{shown.keywords.length ? ` for “${shown.keywords.join(', ')}”` : ''}</h3>
            <Candidates search={shown} onChoose={(domain) => choose.mutate(domain)} choosing={choose.isPending ? choose.variables : undefined} />
          </section>
        ) : null}
      </section>
    </>
  );
}
