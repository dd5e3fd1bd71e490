import type { ReactNode } from 'react';
import type { Unavailable } from './api';

/** One part of a page: a region named by its heading. */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

const isUnavailable = (part: { status: string }): part is Unavailable => part.status === 'unavailable';

/**
 * A part of the founder's file another service answers: its content, or, when that service could not answer, a
 * plain note in its place while the rest of the file stands.
 */
export function OwnerPart<S extends { status: string }>({ part, what, children }: { part: S; what: string; children: (ready: Exclude<S, Unavailable>) => ReactNode }) {
  if (isUnavailable(part)) {
    return (
      <div className="notice notice-error">
        <p className="notice-title">{what} unavailable</p>
        <p>
          {part.message} The rest of the file is up to date; reload the page to try this part again.
        </p>
      </div>
    );
  }
  return <>{children(part as Exclude<S, Unavailable>)}</>;
}
