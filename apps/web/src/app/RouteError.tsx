import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Component, type ErrorInfo, type ReactNode } from 'react';

/** A page that failed to load or draw: what happened and a way on, never a blank screen. */
function Failure({ title, message }: { title: string; message: string }) {
  return (
    <main id="main" className="failure">
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p className="actions">
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
        <a href="/">Go to your overview</a>
      </p>
    </main>
  );
}

export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return <Failure title="Page not found" message="There is no page at this address. It may have moved." />;
  }
  // A chunk of an older build that is gone after a deploy: a reload fetches the new one.
  const stale = error instanceof Error && /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message);
  return stale ? (
    <Failure title="DreamSeed was updated" message="A newer version is available. Reload the page to carry on." />
  ) : (
    <Failure title="Something went wrong" message="This page ran into a problem. Reloading usually helps; your data is safe." />
  );
}

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <Link to="/">Go to your overview</Link>
      </p>
    </section>
  );
}

/** The last net, outside the router: an error while drawing anything still leaves words on the screen. */
export class AppErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('DreamSeed failed to draw', error, info.componentStack);
  }

  override render() {
    return this.state.failed ? (
      <Failure title="Something went wrong" message="DreamSeed ran into a problem. Reloading usually helps; your data is safe." />
    ) : (
      this.props.children
    );
  }
}
