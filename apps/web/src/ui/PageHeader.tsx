import { useEffect, useRef, type ReactNode } from 'react';

let firstPage = true;

/**
 * The page's one h1. After a navigation, focus moves to it so that keyboard and screen-reader users start at
 * the new page's top, as they would after a full page load; the first page keeps the browser's own focus.
 */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · DreamSeed`;
    if (firstPage) {
      firstPage = false;
      return;
    }
    heading.current?.focus();
  }, [title]);
  return (
    <header className="page-header">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children ? <div className="lead">{children}</div> : null}
    </header>
  );
}
