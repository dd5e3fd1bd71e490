import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'domain-service',
  queue: 'domain',
  job: 'refresh-rdap-bootstrap',
  payload: { v: 1 },
});
