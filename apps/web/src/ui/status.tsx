import { Link } from 'react-router';
import type { ReactNode } from 'react';
import { describeError } from '../api/errors';

/** A wait the founder can hear about: screen readers announce it politely. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** Any failure, in words (and what `children` add), with a way on: try again when that can help, else the link given. */
export function ErrorNotice({ error, onRetry, action, children }: { error: unknown; onRetry?: () => void; action?: ReactNode; children?: ReactNode }) {
  const problem = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{problem.title}</p>
      <p>{problem.message}</p>
      {children}
      {(problem.retryable && onRetry) || action ? (
        <p className="actions">
          {problem.retryable && onRetry ? (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          ) : null}
          {action}
        </p>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A result of something the founder did, announced when it appears. */
export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

/** The states of one query: loading, failed (with retry), or its data. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError || query.data === undefined) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="back">
      <Link to={to}>← {children}</Link>
    </p>
  );
}
