import { ErrorNotice } from './status';

/** The part of an infinite query that "Show more" uses. */
export interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => unknown;
}

/**
 * The next page of a list, on request. Its button keeps its place and focus while the rows arrive above it; how
 * many are shown is announced, so a screen-reader user hears that the list grew.
 */
export function ShowMore({ pages, shown, what }: { pages: MorePages; shown: number; what: string }) {
  const more = () => void pages.fetchNextPage();
  return (
    <div className="show-more">
      <p className="meta" aria-live="polite">
        Showing {shown} {shown === 1 ? what.replace(/s$/, '') : what}
        {pages.hasNextPage ? '; there are more.' : '.'}
      </p>
      {pages.hasNextPage ? (
        <button type="button" onClick={more} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? 'Loading more…' : 'Show more'}
          <span className="visually-hidden"> {what}</span>
        </button>
      ) : null}
      {pages.isFetchNextPageError ? <ErrorNotice error={pages.error} onRetry={more} /> : null}
    </div>
  );
}
