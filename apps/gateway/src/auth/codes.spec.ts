import { describeLifetime } from './codes';

describe('code lifetimes in mails', () => {
  it.each([
    [3600, '1 hour'],
    [86400, '24 hours'],
    [600, '10 minutes'],
    [60, '1 minute'],
    [5400, '90 minutes'],
    [119, '1 minute'],
  ])('%i seconds read "%s"', (seconds, text) => {
    expect(describeLifetime(seconds)).toBe(text);
  });
});
