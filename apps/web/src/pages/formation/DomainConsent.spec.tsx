import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFormationCase, type DomainAgreement, type FormationDomain } from '../../api/queries';
import { CaseDomain } from './CaseParts';
import { aFormationCase } from './formation-case.fixture';
import { json } from '../../testing';

vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);


const DNRA: DomainAgreement = { key: 'DNRA', title: 'Domain Name Registration Agreement', url: 'https://www.godaddy.com/legal/agreements/domain-name-registration-agreement' };
const STAND_IN: DomainAgreement = { key: 'DREAMSEED_LOCAL_REGISTRATION', title: 'DreamSeed offline registration stand-in: no real domain is registered or bought', url: null };
const PRIVACY: DomainAgreement = { key: 'DPPA', title: 'Domain Privacy Agreement', url: 'https://www.godaddy.com/legal/agreements/privacy' };

const aDomain = (change: Partial<FormationDomain> = {}): FormationDomain => ({ domain: 'adabakes.com', status: 'awaiting_consent', expires_at: null, order_id: null, reason: null, ...change });

/**
 * The gateway as the page sees it: the case with `domain`, the registrar's agreements (`agreements()`, read again
 * on each GET), and `consent` answering each POST. Answers the bodies sent.
 */
function gateway({ domain, agreements, consent }: { domain: FormationDomain; agreements: () => { agreements: DomainAgreement[]; agreed_at: string | null }; consent: (keys: string[]) => Response }) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && path === '/v1/me/formation/case') return json(200, aFormationCase({ domain }));
      if (request.method === 'GET' && path === '/v1/me/formation/domain/agreements') return json(200, { domain: 'adabakes.com', registrar: 'godaddy', ...agreements() });
      if (request.method === 'POST' && path === '/v1/me/formation/domain/consent') {
        const body = (await request.json()) as { agreement_keys: string[] };
        sent.push(body);
        return consent(body.agreement_keys);
      }
      return json(404, { error: { code: 'not_found', message: 'Not here.' } });
    }),
  );
  return sent;
}

/** The domain part of the founder's case, as the formation page draws it from the case query. */
function DomainOfTheCase() {
  const found = useFormationCase();
  return found.data?.domain ? (
    <section aria-label="Your domain">
      <CaseDomain domain={found.data.domain} />
    </section>
  ) : null;
}

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <DomainOfTheCase />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return screen.findByRole('region', { name: 'Your domain' });
}

const registering = () => aFormationCase({ domain: aDomain({ status: 'pending' }) });

describe('agreeing to the registrar’s agreements', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the agreements, refuses until the box is ticked, then sends exactly their keys and shows the registration asked', async () => {
    const sent = gateway({ domain: aDomain(), agreements: () => ({ agreements: [DNRA, STAND_IN], agreed_at: null }), consent: () => json(200, registering()) });
    const region = await show();
    expect(within(region).getByText(/the registrar asks you to read its registration agreements/)).toBeTruthy();
    const link = await within(region).findByRole('link', { name: /^Domain Name Registration Agreement/ });
    expect(link.getAttribute('href')).toBe(DNRA.url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')?.split(' ')).toContain('noopener');
    expect(within(region).getByText(STAND_IN.title).closest('a')).toBeNull();

    const box = within(region).getByRole('checkbox', { name: 'I have read and agree to the 2 registration agreements for adabakes.com' });
    fireEvent.click(within(region).getByRole('button', { name: 'Agree and register adabakes.com' }));
    await waitFor(() => expect(box.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent).toContain('Tick the box first');
    expect(document.activeElement).toBe(box);
    expect(sent).toEqual([]);

    fireEvent.click(box);
    expect(box.getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(within(region).getByRole('button', { name: 'Agree and register adabakes.com' }));
    expect(await within(region).findByText('We are registering adabakes.com for you.')).toBeTruthy();
    expect(sent).toEqual([{ agreement_keys: ['DNRA', 'DREAMSEED_LOCAL_REGISTRATION'] }]);
    expect(within(region).getByRole('status').textContent).toContain('your agreement to the registrar’s agreements is recorded');
    expect(within(region).queryByRole('checkbox')).toBeNull();
    expect(document.activeElement).toBe(within(region).getByText('We are registering adabakes.com for you.'));
  });

  it('shows the registrar’s new list when the agreements changed meanwhile, and asks again', async () => {
    const sent = gateway({
      domain: aDomain(),
      agreements: () => ({ agreements: [DNRA], agreed_at: null }),
      consent: (keys) =>
        keys.includes(PRIVACY.key)
          ? json(200, registering())
          : json(409, {
              error: { code: 'agreements_changed', message: 'The registration agreements are not the ones the registrar asks for now: read them again, then agree.', details: { agreements: [DNRA, PRIVACY] } },
            }),
    });
    const region = await show();
    fireEvent.click(await within(region).findByRole('checkbox', { name: 'I have read and agree to the registration agreement for adabakes.com' }));
    fireEvent.click(within(region).getByRole('button', { name: 'Agree and register adabakes.com' }));

    expect(await within(region).findByRole('link', { name: /^Domain Privacy Agreement/ })).toBeTruthy();
    expect(within(region).getByRole('alert').textContent).toContain('read them, tick the box and agree again');
    const box = within(region).getByRole('checkbox', { name: 'I have read and agree to the 2 registration agreements for adabakes.com' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(within(region).getByRole('list', { name: 'The registrar’s agreements for adabakes.com:' })));

    fireEvent.click(box);
    fireEvent.click(within(region).getByRole('button', { name: 'Agree and register adabakes.com' }));
    expect(await within(region).findByText('We are registering adabakes.com for you.')).toBeTruthy();
    expect(sent).toEqual([{ agreement_keys: ['DNRA'] }, { agreement_keys: ['DNRA', 'DPPA'] }]);
  });

  it('after a registration that failed for want of the agreement, takes it again and says our team retries', async () => {
    let agreedAt: string | null = null;
    const failed = aDomain({ status: 'failed', reason: 'registration_consent_outdated' });
    const sent = gateway({
      domain: failed,
      agreements: () => ({ agreements: [DNRA], agreed_at: agreedAt }),
      consent: () => {
        agreedAt = '2026-12-02T10:00:00.000Z';
        return json(200, aFormationCase({ domain: failed }));
      },
    });
    const region = await show();
    expect(within(region).getByText(/Registering adabakes\.com did not go through/)).toBeTruthy();
    fireEvent.click(await within(region).findByRole('checkbox', { name: /^I have read and agree/ }));
    fireEvent.click(within(region).getByRole('button', { name: 'Agree to the registrar’s agreements' }));
    expect(await within(region).findByText(/You agreed to them on .+\. Our team registers adabakes\.com again and lets you know\./)).toBeTruthy();
    expect(sent).toEqual([{ agreement_keys: ['DNRA'] }]);
    expect(within(region).queryByRole('button')).toBeNull();
  });
});
