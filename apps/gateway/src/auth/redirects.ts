/**
 * Where a mail link may send the browser once it has verified: the session travels in the URL fragment, so a
 * wrong answer here hands the account to whoever owns the target. Targets are compared as parsed URLs, never as
 * strings: a prefix test lets `http://site.example.evil.example` and `http://site.example@evil.example` through.
 *
 * An allowed target has the scheme, host and port of the site URL or of an allow-list entry, and a path at or
 * under that entry's path (whole segments: `/app` covers `/app/x`, not `/apple`). Allow-list entries may use globs,
 * as GoTrue's URI allow list does: in the host `*` stands for part of one label (it never crosses a `.`), in the
 * path `*` for part of one segment and a trailing `/**` for anything below. The site URL itself is never a glob.
 */

interface Pattern {
  protocol: string;
  port: string;
  hostLabels: string[];
  pathSegments: string[];
  /** The entry ended in `/**` (or was a plain prefix): deeper paths are covered too. */
  deeper: boolean;
  glob: boolean;
}

/** Characters that different URL parsers read differently; a target holding one is not worth the doubt. */
const AMBIGUOUS = /[\\\s\p{Cc}]/u;

/** `redirectTo` when it is allowed (normalized, as checked), else the site URL. */
export function safeRedirect(redirectTo: string | undefined, siteUrl: string, allowList: string): string {
  const target = parseTarget(redirectTo);
  if (!target) return siteUrl;
  const entries = allowList
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => parsePattern(entry, true));
  const patterns = [parsePattern(siteUrl, false), ...entries];
  return patterns.some((pattern) => pattern && matches(pattern, target)) ? target.href : siteUrl;
}

function parseTarget(value: string | undefined): URL | undefined {
  if (!value || AMBIGUOUS.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url;
}

function parsePattern(entry: string, globsAllowed: boolean): Pattern | undefined {
  const url = parseTarget(entry);
  if (!url) return undefined;
  const glob = globsAllowed && entry.includes('*');
  // The two rightmost labels of a host glob are literal, so that `*` stays inside the operator's own domain.
  const hostLabels = url.hostname.split('.');
  if (glob && hostLabels.slice(-2).some((label) => label.includes('*'))) return undefined;
  let segments = url.pathname.split('/').filter(Boolean);
  let deeper = !glob;
  if (glob && segments.at(-1) === '**') {
    segments = segments.slice(0, -1);
    deeper = true;
  }
  if (segments.includes('**')) return undefined;
  return { protocol: url.protocol, port: url.port, hostLabels, pathSegments: segments, deeper, glob };
}

function matches(pattern: Pattern, target: URL): boolean {
  if (target.protocol !== pattern.protocol || target.port !== pattern.port) return false;
  const labels = target.hostname.split('.');
  if (labels.length !== pattern.hostLabels.length) return false;
  if (!labels.every((label, i) => partMatches(pattern.hostLabels[i] ?? '', label, pattern.glob))) return false;
  const segments = target.pathname.split('/').filter(Boolean);
  if (segments.length < pattern.pathSegments.length) return false;
  if (!pattern.deeper && segments.length !== pattern.pathSegments.length) return false;
  return pattern.pathSegments.every((part, i) => partMatches(part, segments[i] ?? '', pattern.glob));
}

/** One host label or path segment; `*` matches within it only. */
function partMatches(pattern: string, value: string, glob: boolean): boolean {
  if (!glob || !pattern.includes('*')) return pattern === value;
  const source = pattern
    .split('*')
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^./]*');
  return value.length > 0 && new RegExp(`^${source}$`).test(value);
}
