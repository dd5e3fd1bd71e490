import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'domain-service',
  queue: 'domain',
  job: 'search-domains',
  payload: { v: 1, userId: '6f1c1f7e-3a51-4f0e-9d53-2f0f6b0c1a11', searchId: '1b7c2c1e-8a7e-4d0b-9f0e-6a1d2c3b4a5f', trigger: 'api', keywords: ['lifecycle'] },
  env: { DOMAIN_PROVIDER: 'offline' },
});
