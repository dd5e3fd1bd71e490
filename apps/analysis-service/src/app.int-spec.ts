import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'analysis-service',
  queue: 'analysis',
  job: 'analyse-founder',
  payload: { v: 1, userId: '7d3c9a57-0c1e-4f0a-9d55-3f2b8f3e2a10', trigger: 'manual', sourceId: 'lifecycle-test' },
});
