import { validationFailed } from './errors';

/**
 * `user_metadata` is the user's to write and travels in every access token, so its size is the token's size:
 * unbounded, one sign-up could make every later request of the account too large for a proxy's header buffer
 * (431) with no way left to shrink it. Depth is bounded too, so that a value nested thousands deep never reaches
 * JSON.stringify or Postgres' jsonb.
 */
export const USER_METADATA_MAX_DEPTH = 4;

/** Throws GoTrue's `validation_failed` when metadata is too large or too deep (app_metadata rides in tokens too). */
export function checkUserMetadata(data: Record<string, unknown>, maxBytes: number, name = 'User metadata'): void {
  if (depthOf(data, USER_METADATA_MAX_DEPTH + 1) > USER_METADATA_MAX_DEPTH) {
    throw validationFailed(`${name} may nest at most ${USER_METADATA_MAX_DEPTH} levels deep`);
  }
  if (metadataBytes(data) > maxBytes) throw validationFailed(`${name} may hold at most ${maxBytes} bytes of JSON`);
}

/** GoTrue's merge of metadata changes (user_metadata and app_metadata alike): each key set, a null removing it. */
export function mergeMetadata(current: unknown, changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(current as Record<string, unknown> | null) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Whether stored metadata (perhaps written before the limit existed) may go into an access token. */
export function fitsInToken(data: unknown, maxBytes: number): boolean {
  return metadataBytes(data) <= maxBytes;
}

function metadataBytes(data: unknown): number {
  return Buffer.byteLength(JSON.stringify(data ?? {}), 'utf8');
}

/** Levels of objects and arrays, the outer object being the first; stops counting past `stop`. */
function depthOf(value: unknown, stop: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (stop <= 1) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, stop - 1));
    if (deepest >= stop - 1) break;
  }
  return 1 + deepest;
}
