/** A line of a retention archive: one row of ours (a transcript or a webhook log), as retention wrote it. */
export interface ArchivedRow {
  userId?: string | null;
  callSessionId?: string;
  vapiCallId?: string | null;
}

/**
 * The ids an archive's rows are a founder's by, each once: every field the erasure matches a line by (`isFounders`
 * in erase.ts), so that an archive whose keys miss a founder's holds none of their rows and need not be read.
 */
export function archiveKeys(rows: ArchivedRow[]) {
  return {
    userIds: distinct(rows.map((row) => row.userId)),
    callSessionIds: distinct(rows.map((row) => row.callSessionId)),
    vapiCallIds: distinct(rows.map((row) => row.vapiCallId)),
  };
}

const distinct = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((id): id is string => id != null))];
