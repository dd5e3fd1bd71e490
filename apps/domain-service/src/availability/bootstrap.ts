import type { Logger } from 'pino';
import { z } from 'zod';
import shipped from './dns.json';
import { withDeadline, type RedisConnection } from '@dreamseed/platform';

/** RFC 9224's bootstrap file: `services` pairs a list of TLDs with the base URLs of their RDAP server. */
const bootstrapFile = z.object({
  publication: z.string().optional(),
  services: z.array(z.tuple([z.array(z.string().min(1)), z.array(z.string())]).rest(z.unknown())).min(1),
});

export type RdapServers = ReadonlyMap<string, string>;

export class InvalidBootstrapError extends Error {
  constructor(message: string) {
    super(`RDAP bootstrap refused: ${message}`);
    this.name = 'InvalidBootstrapError';
  }
}

/**
 * TLD → RDAP base URL (ending in "/"), from a bootstrap file. A file that does not parse, names no server with an
 * http(s) URL, or lacks `com` (every real one has it) is refused, so a broken download can never replace good data.
 */
export function parseBootstrap(raw: unknown): RdapServers {
  const parsed = bootstrapFile.safeParse(raw);
  if (!parsed.success) throw new InvalidBootstrapError('not an RDAP bootstrap file');
  const servers = new Map<string, string>();
  for (const [tlds, urls] of parsed.data.services) {
    const usable = urls.filter((url) => /^https?:\/\/[^\s]+$/i.test(url));
    // RFC 9224: prefer https when a service lists both.
    const base = usable.find((url) => url.startsWith('https:')) ?? usable[0];
    if (!base) continue;
    for (const tld of tlds) servers.set(tld.toLowerCase(), base.endsWith('/') ? base : `${base}/`);
  }
  if (!servers.has('com')) throw new InvalidBootstrapError('no server for .com');
  return servers;
}

export const SHIPPED_SERVERS = parseBootstrap(shipped);

/**
 * The bootstrap in use: the last one the refresh job downloaded and checked (kept in Redis, shared by every
 * replica) or, until there is one, the subset shipped with the code. Re-read from Redis at most once a minute.
 */
export class RdapBootstrapStore {
  private servers: RdapServers = SHIPPED_SERVERS;
  private loadedAt = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly key: string,
    private readonly logger: Logger,
    private readonly reloadMs = 60_000,
  ) {}

  async current(): Promise<RdapServers> {
    if (Date.now() - this.loadedAt < this.reloadMs) return this.servers;
    this.loadedAt = Date.now();
    try {
      const stored = await this.redis.get(this.key);
      if (stored) this.servers = parseBootstrap(JSON.parse(stored));
    } catch (error) {
      this.logger.warn({ err: error }, 'stored RDAP bootstrap unreadable; keeping the one in use');
    }
    return this.servers;
  }

  /** Downloads, checks and stores a new bootstrap; on any failure the one in use stays and the error is thrown. */
  async refresh(url: string, signal?: AbortSignal): Promise<{ tlds: number; publication: string | null }> {
    const text = await withDeadline(15_000, signal, async (deadline) => {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: deadline });
      if (!response.ok) throw new Error(`RDAP bootstrap download answered ${response.status}`);
      return response.text();
    });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new InvalidBootstrapError('not JSON');
    }
    const servers = parseBootstrap(raw);
    await this.redis.set(this.key, text);
    this.servers = servers;
    this.loadedAt = Date.now();
    return { tlds: servers.size, publication: (raw as { publication?: string }).publication ?? null };
  }
}
