import { useState, type ReactNode } from 'react';
import { ErrorNotice } from './status';

/** Hands bytes the app fetched to the browser as a download named `filename`. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the click is handled; the address is freed a little later to be sure.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A file behind the API's token, which a plain link cannot send: fetched on click, then saved under its name. The
 * button says so while it is on its way; a failure says why, with a way to try again.
 */
export function DownloadButton({ read, filename, children }: { read: () => Promise<Blob>; filename: string; children: ReactNode }) {
  const [state, setState] = useState<{ busy?: boolean; error?: unknown }>({});
  async function download() {
    setState({ busy: true });
    try {
      saveFile(await read(), filename);
      setState({});
    } catch (error) {
      setState({ error });
    }
  }
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={state.busy}>
        {children}
        {state.busy ? ' (downloading…)' : null}
      </button>
      {state.error ? <ErrorNotice error={state.error} onRetry={() => void download()} /> : null}
    </>
  );
}
