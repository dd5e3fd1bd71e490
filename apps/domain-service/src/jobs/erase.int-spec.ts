import { randomUUID } from 'node:crypto';
import { startTestDomain, type TestDomain } from '../__fixtures__/test-domain';

/** `erase-founder`: a founder who deleted their account leaves no search or selection, and keeps their purchases. */
describe('domain service: erasing a founder', () => {
  let service: TestDomain;
  beforeAll(async () => {
    service = await startTestDomain();
  });
  afterAll(async () => {
    await service.stop();
  });

  const count = async (table: string, userId: string) => (await service.pool.query(`select count(*)::int as n from domain.${table} where business_id = $1`, [userId])).rows[0].n as number;
  const countsOf = async (userId: string) => ({
    searches: await count('domain_searches', userId),
    selections: await count('domain_selections', userId),
    registrations: await count('domain_registrations', userId),
  });

  /** Two searches with their candidates, a selection from one of them, and the registration of the chosen name. */
  async function founderWithEverything() {
    const userId = randomUUID();
    const searchIds = [randomUUID(), randomUUID()];
    for (const id of searchIds) {
      await service.pool.query(
        `insert into domain.domain_searches (id, business_id, trigger, keywords, status, candidates) values ($1, $2, 'api', '{green,lots}', 'completed', $3)`,
        [id, userId, JSON.stringify([{ domain: 'greenlots.com', available: true, definitive: true, priceMinor: 1299, currency: 'USD', provider: 'rdap', checkedAt: new Date().toISOString() }])],
      );
    }
    await service.pool.query(`insert into domain.domain_selections (id, business_id, domain, status, search_id) values ($1, $2, 'greenlots.com', 'selected', $3)`, [randomUUID(), userId, searchIds[0]]);
    await service.pool.query(`insert into domain.domain_registrations (request_id, business_id, domain, status, provider) values ($1, $2, 'greenlots.com', 'registered', 'local')`, [randomUUID(), userId]);
    return userId;
  }

  it("erases the founder's searches and selections, keeps their registration, touches no one else; again is a no-op", async () => {
    const founder = await founderWithEverything();
    const other = await founderWithEverything();

    expect(await service.run('domain', 'erase-founder', { v: 1, userId: founder })).toEqual({ searches: 2, selections: 1 });
    expect(await countsOf(founder)).toEqual({ searches: 0, selections: 0, registrations: 1 });
    expect(await countsOf(other)).toEqual({ searches: 2, selections: 1, registrations: 1 });

    // A retried job, or one for a founder with nothing here, succeeds and deletes nothing.
    expect(await service.run('domain', 'erase-founder', { v: 1, userId: founder }, `erase-again-${founder}`)).toEqual({ searches: 0, selections: 0 });
    expect(await service.run('domain', 'erase-founder', { v: 1, userId: randomUUID() })).toEqual({ searches: 0, selections: 0 });
    expect(await countsOf(other)).toEqual({ searches: 2, selections: 1, registrations: 1 });
  });
});
