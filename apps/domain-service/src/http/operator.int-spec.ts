import { randomUUID } from 'node:crypto';
import type { OperatorDomainsView } from '@dreamseed/contracts';
import { startTestDomain, type TestDomain } from '../__fixtures__/test-domain';

describe("an operator's read of a founder's domains", () => {
  let service: TestDomain;
  beforeAll(async () => {
    service = await startTestDomain({ DOMAIN_PROVIDER: 'offline' });
  });
  afterAll(async () => {
    await service.stop();
  });

  const pathOf = (userId: string) => `/internal/operator/founders/${userId}/domains`;
  const search = (userId: string, keyword: string) =>
    service.run('domain', 'search-domains', { v: 1, userId, searchId: randomUUID(), trigger: 'api', keywords: [keyword], tlds: ['com'] });
  const select = (userId: string, domain: string) => service.run('domain', 'select-domain', { v: 1, userId, domain, selectionId: randomUUID() });

  it("answers an operator with the founder's selections and searches, newest first, and nobody else's", async () => {
    const founder = randomUUID();
    await search(founder, 'sourdough');
    await search(founder, 'rye');
    await select(founder, 'sourdoughloaves.com');
    await select(founder, 'ryeloaves.com');
    await search(randomUUID(), 'pretzel');

    const { status, body } = await service.call('GET', pathOf(founder), { token: await service.operatorToken() });
    expect(status).toBe(200);
    const view = body as unknown as OperatorDomainsView;
    expect(view.userId).toBe(founder);
    expect(view.searches.map((s) => s.keywords)).toEqual([['rye'], ['sourdough']]);
    expect(view.searches[0]).toMatchObject({ status: 'completed', trigger: 'api', tlds: ['com'], candidates: expect.any(Array) });
    expect(view.selections.map((s) => s.domain)).toEqual(['ryeloaves.com', 'sourdoughloaves.com']);
    expect(view.selections.every((s) => s.status !== 'pending')).toBe(true);
  });

  it('answers for a founder with no domains with empty lists, and a user id that is no UUID with 404', async () => {
    const token = await service.operatorToken();
    expect(await service.call('GET', pathOf(randomUUID()), { token })).toMatchObject({ status: 200, body: { selections: [], searches: [] } });
    expect(await service.call('GET', pathOf('nobody'), { token })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it("refuses a founder's token (403), a request without a token (401), and one without the internal token (401)", async () => {
    const founder = randomUUID();
    const founderToken = await service.tokenFor(founder);
    expect(await service.call('GET', pathOf(founder), { token: founderToken })).toMatchObject({ status: 403, body: { error: { code: 'not_operator' } } });
    expect(await service.call('GET', pathOf(founder))).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await service.call('GET', pathOf(founder), { token: await service.operatorToken(), internalToken: '' })).toMatchObject({ status: 401 });
  });
});
