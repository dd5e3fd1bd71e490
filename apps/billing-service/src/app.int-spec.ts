import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'billing-service',
  queue: 'billing',
  job: 'expire-subscriptions',
  payload: { v: 1 },
});
