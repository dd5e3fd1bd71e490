import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'voice-service',
  queue: 'voice',
  job: 'schedule-next-call',
  payload: { v: 1, userId: '7d3c9a57-0c1e-4f0a-9d55-3f2b8f3e2a10', callStage: 2 },
});
