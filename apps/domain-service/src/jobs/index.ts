import { acknowledgeOnly, type JobHandlers } from '@dreamseed/platform';

/** One handler per job of the `domain` queue (the catalog is in libs/contracts). */
export function domainJobHandlers(): JobHandlers<'domain'> {
  return {
    'search-domains': acknowledgeOnly('#7'),
    'select-domain': acknowledgeOnly('#7'),
    'refresh-rdap-bootstrap': acknowledgeOnly('#7'),
  };
}
