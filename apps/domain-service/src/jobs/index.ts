import type { JobHandlers, JobProducer } from '@dreamseed/platform';
import type { RdapBootstrapStore } from '../availability/bootstrap';
import type { AvailabilityChecker } from '../availability/checker';
import type { DomainConfig } from '../config';
import type { DomainDb } from '../db/client';
import type { DomainRegistrations } from '../registration';
import { eraseFounder } from './erase';
import { DomainSearches } from './search';
import { DomainSelection } from './selection';

/** One handler per job of the `domain` queue (the catalog is in libs/contracts). */
export function domainJobHandlers(deps: {
  db: DomainDb;
  producer: JobProducer;
  config: DomainConfig;
  checker: AvailabilityChecker;
  bootstrap: RdapBootstrapStore;
  registrations: DomainRegistrations;
}): JobHandlers<'domain'> {
  const { db, producer, config, checker, bootstrap, registrations } = deps;
  const searches = new DomainSearches(db, checker, config.DOMAIN_SEARCH_CANDIDATES);
  const selection = new DomainSelection(db, checker, producer);
  return {
    'search-domains': (payload, context) => searches.search(payload, context),
    'select-domain': (payload, context) => selection.select(payload, context),
    'register-domain': (payload, context) => registrations.register(payload, context),
    'erase-founder': (payload) => eraseFounder(db, payload.userId),
    'refresh-rdap-bootstrap': async (_payload, { log, signal }) => {
      const refreshed = await bootstrap.refresh(config.RDAP_BOOTSTRAP_URL, signal);
      log.info(refreshed, 'RDAP bootstrap refreshed');
      return refreshed;
    },
  };
}
