import { safeRedirect } from './redirects';

const SITE = 'http://localhost:3000';
const ALLOW_LIST = 'https://app.dreamseed.example/app, https://*.preview.dreamseed.example/**, myapp://callback';
const redirect = (target: string | undefined) => safeRedirect(target, SITE, ALLOW_LIST);

describe('mail-link redirects', () => {
  it.each([
    ['a host that merely starts like the site', 'http://localhost:3000.evil.example/steal'],
    ['userinfo that looks like the site', 'http://localhost:3000@evil.example/'],
    ['a scheme-relative URL', '//evil.example'],
    ['the site only in the fragment', 'http://evil.example#http://localhost:3000'],
    ['a backslash before the real host', 'http://localhost:3000\\@evil.example/'],
    ['a backslash as the path start', 'http:\\\\evil.example'],
    ['javascript:', 'javascript:alert(document.cookie)//http://localhost:3000'],
    ['another port of the site host', 'http://localhost:3001/'],
    ['https instead of the site scheme', 'https://localhost:3000/'],
    ['a path beside an allow-list entry', 'https://app.dreamseed.example/apple'],
    ['another path on an allow-list host', 'https://app.dreamseed.example/'],
    ['a glob reaching a deeper subdomain', 'https://a.b.preview.dreamseed.example/x'],
    ['a glob reaching another host', 'https://evil.example/.preview.dreamseed.example/'],
    ['a non-http(s) allow-list entry', 'myapp://callback'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, target) => {
    expect(redirect(target)).toBe(SITE);
  });

  it.each([
    ['a path on the site', 'http://localhost:3000/welcome?next=1', 'http://localhost:3000/welcome?next=1'],
    ['the site with an uppercase host and scheme', 'HTTP://LOCALHOST:3000/Callback', 'http://localhost:3000/Callback'],
    ['an allow-list entry itself', 'https://app.dreamseed.example/app', 'https://app.dreamseed.example/app'],
    ['a deeper path under an allow-list entry', 'https://app.dreamseed.example/app/auth/callback', 'https://app.dreamseed.example/app/auth/callback'],
    ['a subdomain matched by a glob entry', 'https://pr-42.preview.dreamseed.example/auth/cb', 'https://pr-42.preview.dreamseed.example/auth/cb'],
  ])('allows %s', (_label, target, expected) => {
    expect(redirect(target)).toBe(expected);
  });

  it('falls back to the site without a redirect_to, and honours globs only from the allow list', () => {
    expect(redirect(undefined)).toBe(SITE);
    expect(safeRedirect('https://a.example/', 'https://*.example', '')).toBe('https://*.example');
  });

  it('ignores globs that would cover whole domains', () => {
    expect(safeRedirect('https://evil.example/', SITE, 'https://*.example/**')).toBe(SITE);
    expect(safeRedirect('https://evil.example/', SITE, 'https://*/**')).toBe(SITE);
  });
});
