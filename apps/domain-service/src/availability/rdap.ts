import { setMaxListeners } from 'node:events';
import type { RdapBootstrapStore } from './bootstrap';
import { ConcurrencyLimiter } from './limiter';
import { unknown, type Availability, type AvailabilityProvider, type CheckOptions } from './types';
import { withDeadline } from '@dreamseed/platform';

/**
 * Availability from the registries' own RDAP servers, found through the IANA bootstrap. The registry's 404 means
 * no registration record (available); its 200 with a domain object means registered. Everything else (no RDAP
 * server for the TLD, a timeout, 429, 5xx, a body that is not a domain object) answers "unknown". RDAP has no
 * prices.
 */
export class RdapProvider implements AvailabilityProvider {
  readonly name = 'rdap';
  private readonly limiter: ConcurrencyLimiter;

  constructor(
    private readonly bootstrap: Pick<RdapBootstrapStore, 'current'>,
    private readonly options: { timeoutMs: number; concurrency: number },
  ) {
    this.limiter = new ConcurrencyLimiter(options.concurrency);
  }

  async checkMany(domains: readonly string[], { signal }: CheckOptions): Promise<Availability[]> {
    // Every lookup listens to the caller's signal: many at once is expected here.
    setMaxListeners(0, signal);
    const servers = await this.bootstrap.current();
    return Promise.all(
      domains.map(async (domain) => {
        const base = servers.get(domain.slice(domain.lastIndexOf('.') + 1));
        if (!base) return unknown(domain, this.name, 'no_rdap_server');
        try {
          return await this.limiter.run(() => this.lookup(domain, base, signal), signal);
        } catch (error) {
          return unknown(domain, this.name, signal.aborted || (error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
        }
      }),
    );
  }

  private lookup(domain: string, base: string, signal: AbortSignal): Promise<Availability> {
    return withDeadline(this.options.timeoutMs, signal, (deadline) => this.lookupWithin(domain, base, deadline));
  }

  private async lookupWithin(domain: string, base: string, signal: AbortSignal): Promise<Availability> {
    const response = await fetch(`${base}domain/${domain}`, {
      headers: { accept: 'application/rdap+json, application/json' },
      redirect: 'follow',
      signal,
    });
    const answer = (available: boolean): Availability => ({
      domain,
      available,
      definitive: true,
      priceMicros: null,
      currency: null,
      provider: this.name,
      checkedAt: new Date(),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return answer(true);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return unknown(domain, this.name, `status_${response.status}`);
    }
    const body = (await response.json().catch(() => undefined)) as { objectClassName?: unknown; ldhName?: unknown } | undefined;
    const isDomain = body?.objectClassName === 'domain' && (typeof body.ldhName !== 'string' || body.ldhName.toLowerCase().replace(/\.$/, '') === domain);
    return isDomain ? answer(false) : unknown(domain, this.name, 'malformed_response');
  }
}
