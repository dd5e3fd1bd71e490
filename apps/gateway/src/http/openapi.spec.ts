// Importing the app registers every route's description, as the running gateway does.
import '../app';
import { CORS_ALLOWED_HEADERS } from './cors';
import { openApiDocument } from './openapi';

/** Every string value under a key named `pattern`, with where it stands. */
function patternsIn(value: unknown, at = '', found: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((item, index) => patternsIn(item, `${at}/${index}`, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'pattern' && typeof inner === 'string') found.push([`${at}/${key}`, inner]);
      else patternsIn(inner, `${at}/${key}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  const document = openApiDocument('test', 'http://127.0.0.1:3000');

  it('has one path per resource: query strings are parameters, not part of a path', () => {
    const paths = Object.keys(document.paths ?? {});
    expect(paths.filter((path) => path.includes('?'))).toEqual([]);
    const token = document.paths?.['/auth/v1/token']?.post;
    expect(token?.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'grant_type', required: true })]);
  });

  it('gives patterns that a JSON Schema validator compiles as written (no regex flags left in them)', () => {
    const patterns = patternsIn(document);
    expect(patterns.length).toBeGreaterThan(0);
    for (const [where, pattern] of patterns) {
      expect({ where, pattern, flags: /\/[a-z]+$/.test(pattern) }).toEqual({ where, pattern, flags: false });
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
  });

  it('gives every list its page parameters', () => {
    const lists = ['/v1/me/calls', '/v1/me/analyses', '/v1/me/assessments', '/v1/me/dream-dna/versions', '/v1/domains/searches', '/v1/billing/payments'];
    for (const path of lists) {
      const names = (document.paths?.[path]?.get?.parameters ?? []).map((parameter) => ('name' in parameter ? [parameter.in, parameter.name] : []));
      expect({ path, names }).toEqual({ path, names: [['query', 'limit'], ['query', 'cursor']] });
    }
  });

  it('lets a domain keyword through when it has a letter or digit and no control character', () => {
    const schema = document.components?.schemas?.DomainSearchRequest as { properties: { keywords: { items: { pattern: string } } } };
    const keyword = new RegExp(schema.properties.keywords.items.pattern, 'u');
    for (const good of ['bakery', 'sourdough', 'café', '東京', 'a-1']) expect(keyword.test(good)).toBe(true);
    for (const bad of ['---', '', 'a\u0000b', ' . ']) expect(keyword.test(bad)).toBe(false);
  });

  it('asks a browser for no header that CORS would refuse', () => {
    const asked = Object.values(document.paths ?? {})
      .flatMap((item) => Object.values(item as Record<string, { parameters?: { in: string; name: string }[] }>))
      .flatMap((operation) => operation.parameters ?? [])
      .filter((parameter) => parameter.in === 'header')
      .map((parameter) => parameter.name.toLowerCase());
    expect(asked).toContain('idempotency-key');
    expect(asked.filter((name) => !(CORS_ALLOWED_HEADERS as readonly string[]).includes(name))).toEqual([]);
  });
});
