import { describeAppLifecycle } from '@dreamseed/testing';

describeAppLifecycle({
  app: 'gateway',
  queue: 'gateway',
  job: 'profile-status-changed',
  payload: {
    v: 1,
    userId: '7d3c9a57-0c1e-4f0a-9d55-3f2b8f3e2a10',
    eventId: 'lifecycle-test',
    occurredAt: '2026-01-01T00:00:00Z',
    status: 'archived',
    reason: 'lifecycle test',
  },
});
