import { jobCatalogs } from './jobs';
import { JOB_NAME_PATTERN } from './catalog';
import { QUEUE_NAMES } from './queues';

describe('job catalogs', () => {
  it('has one catalog per queue', () => {
    expect(Object.keys(jobCatalogs).sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it.each(QUEUE_NAMES)('names of the %s queue are kebab-case wire names', (queue) => {
    for (const name of Object.keys(jobCatalogs[queue])) {
      expect(name).toMatch(JOB_NAME_PATTERN);
      expect(name).not.toContain(':');
    }
  });

  it.each(QUEUE_NAMES)('every payload of the %s queue requires v: 1', (queue) => {
    for (const [name, definition] of Object.entries(jobCatalogs[queue])) {
      const withoutVersion = definition.schema.safeParse({});
      expect(withoutVersion.success).toBe(false);
      expect(definition.attempts).toBeGreaterThanOrEqual(1);
      expect(name.length).toBeLessThan(64);
    }
  });

  it('rejects a payload of an unknown version and drops unknown keys of a known one', () => {
    const schema = jobCatalogs.analysis['analyse-founder'].schema;
    const base = { userId: '2f0d8a4e-5d8b-4c55-9d2a-8f6f5f0b1a11', trigger: 'manual', sourceId: 'x' };
    expect(schema.safeParse({ ...base, v: 2 }).success).toBe(false);
    const parsed = schema.parse({ ...base, v: 1, extra: 'ignored' });
    expect(parsed).not.toHaveProperty('extra');
  });
});
