import { domainToASCII } from 'node:url';

/**
 * The TLDs the platform proposes and checks. The domain service knows an RDAP server for each (its shipped IANA
 * bootstrap); a name under any other TLD is refused with a clear 4xx before anything is checked.
 */
export const DOMAIN_TLDS = ['com', 'net', 'org', 'io', 'co', 'ai', 'app', 'dev', 'shop', 'store', 'biz', 'info', 'us'] as const;
export type DomainTld = (typeof DOMAIN_TLDS)[number];

export type DomainNameProblem =
  | 'empty'
  | 'too_long'
  | 'bad_characters'
  | 'label_length'
  | 'hyphen_position'
  | 'no_tld'
  | 'unsupported_tld';

export type ParsedDomainName =
  | { ok: true; domain: string; label: string; tld: string }
  | { ok: false; problem: DomainNameProblem; message: string };

const LDH_LABEL = /^[a-z0-9-]+$/;

/**
 * A registrable name as the founder typed it (`Bücher.com`, ` seedbakery.COM.`), in the form registries use:
 * lower case, internationalised labels as punycode (`xn--bcher-kva.com`), exactly one label under a TLD the
 * platform offers. Every refusal says what is wrong in words a founder can act on.
 */
export function parseDomainName(input: string, tlds: readonly string[] = DOMAIN_TLDS): ParsedDomainName {
  const fail = (problem: DomainNameProblem, message: string): ParsedDomainName => ({ ok: false, problem, message });
  const trimmed = input.trim().replace(/\.$/, '');
  if (!trimmed) return fail('empty', 'Give a domain name, for example seedbakery.com.');
  if (trimmed.length > 253) return fail('too_long', 'A domain name has at most 253 characters.');
  if (/[\s/:@?#]/.test(trimmed)) return fail('bad_characters', 'A domain name is only letters, digits, hyphens and dots (no spaces, slashes or "@").');
  const ascii = domainToASCII(trimmed.toLowerCase());
  if (!ascii) return fail('bad_characters', 'This is not a valid domain name: use letters, digits and hyphens.');
  if (ascii.length > 253) return fail('too_long', 'A domain name has at most 253 characters.');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('no_tld', `Add the ending, for example ${ascii}.com.`);
  for (const label of labels) {
    if (label.length < 1 || label.length > 63) return fail('label_length', 'Each part of a domain name has 1 to 63 characters.');
    if (!LDH_LABEL.test(label)) return fail('bad_characters', 'A domain name is only letters, digits and hyphens between the dots.');
    if (label.startsWith('-') || label.endsWith('-')) return fail('hyphen_position', 'A domain name cannot start or end a part with a hyphen.');
    if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) {
      return fail('hyphen_position', 'A domain name cannot have hyphens in its third and fourth characters.');
    }
  }
  const tld = labels.at(-1) as string;
  if (!tlds.includes(tld)) return fail('unsupported_tld', `We cannot check .${tld} names; choose one of ${tlds.map((t) => `.${t}`).join(', ')}.`);
  if (labels.length !== 2) return fail('bad_characters', `Give the name itself, without a subdomain: ${labels.slice(-2).join('.')}.`);
  return { ok: true, domain: ascii, label: labels[0] as string, tld };
}
