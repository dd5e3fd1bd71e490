import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Component as Formation } from './Formation';
import { aCaseEvent, aFormationCase } from './formation-case.fixture';
import { json } from '../../testing';

vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);


const noCase = () => json(404, { error: { code: 'no_formation_case', message: 'There is no formation case: it opens once a formation package is paid.' } });

function gateway(put: (body: unknown) => Response, formationCase: () => Response = noCase) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      if (request.method === 'GET' && new URL(request.url).pathname === '/v1/me/formation/case') return formationCase();
      if (request.method === 'GET') return json(404, { error: { code: 'not_found', message: 'No formation details yet.' } });
      const body: unknown = await request.json();
      sent.push(body);
      return put(body);
    }),
  );
  return sent;
}

function show() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <Formation />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const group = (name: string) => screen.getByRole('group', { name });

// The form is large, and jsdom's role queries walk all of it.
describe('the formation page', { timeout: 20_000 }, () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API’s refusal on the field it names, and moves focus there', async () => {
    const sent = gateway(() =>
      json(400, { error: { code: 'validation_failed', message: 'The request is not valid.', details: [{ path: 'legal_name', message: 'Too big: expected string to have <=200 characters' }] } }),
    );
    show();
    const legalName = await screen.findByLabelText('Legal name');
    fireEvent.change(legalName, { target: { value: 'Ada Bakes LLC' } });
    fireEvent.click(screen.getByText('Save formation details'));

    await waitFor(() => expect(legalName.getAttribute('aria-invalid')).toBe('true'));
    expect(legalName.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent)).toContain(
      'Too big: expected string to have <=200 characters',
    );
    expect(screen.getByRole('alert').textContent).toContain('One thing to fix');
    await waitFor(() => expect(document.activeElement).toBe(legalName));
    expect(sent).toEqual([expect.objectContaining({ legal_name: 'Ada Bakes LLC', members: [] })]);
  });

  it('checks an address before sending, field by field', async () => {
    const sent = gateway(() => json(200, {}));
    show();
    const address = await screen.findByRole('group', { name: 'Business address' });
    fireEvent.change(within(address).getByRole('textbox', { name: /Street address/ }), { target: { value: '100 Congress Ave' } });
    fireEvent.change(within(address).getByRole('textbox', { name: /ZIP code/ }), { target: { value: '787' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save formation details' }));

    expect((await within(group('Business address')).findByRole('textbox', { name: /ZIP code/ })).getAttribute('aria-invalid')).toBe('true');
    expect(within(address).getByRole('combobox', { name: /State/ }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('3 things to fix');
    expect(sent).toEqual([]);
  });

  it("asks a corporation for its shares, and sends them", async () => {
    const sent = gateway((body) => json(200, { ...(body as object), formation_status: 'not_started', ein_status: 'not_started', filed_at: null, approved_at: null }));
    show();
    const type = await screen.findByRole('combobox', { name: /Business type/ });
    expect(screen.queryByRole('group', { name: 'Shares' })).toBeNull();
    fireEvent.change(type, { target: { value: 'corporation' } });
    const shares = group('Shares');
    fireEvent.change(within(shares).getByRole('textbox', { name: /Authorized shares/ }), { target: { value: '10,000,000' } });
    fireEvent.change(within(shares).getByRole('textbox', { name: /Par value/ }), { target: { value: '0.0001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save formation details' }));
    await waitFor(() => expect(sent).toEqual([expect.objectContaining({ entity_type: 'corporation', authorized_shares: { count: 10_000_000, par_value: 0.0001 } })]));
  });

  it('adds and removes members by name of button', async () => {
    gateway(() => json(200, {}));
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Add a member' }));
    expect(group('Member 1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove member 1' }));
    expect(screen.queryByRole('group', { name: 'Member 1' })).toBeNull();
  });

  it('shows a paid founder’s case, and takes them from each missing detail to its field', async () => {
    const missing = [
      { field: 'legal_name', message: 'Give the business’s legal name as it will be filed.' },
      { field: 'registered_agent', message: 'Name a registered agent with a street address in Texas.' },
    ];
    gateway(
      () => json(200, {}),
      () =>
        json(
          200,
          aFormationCase({
            state: 'needs_founder',
            todo: { question: 'To prepare and file your formation documents we still need: …', asked_at: '2026-12-01T10:00:00.000Z', missing },
            domain: { domain: 'adabakes.com', status: 'awaiting_contact', expires_at: null, order_id: null, reason: null },
            events: [aCaseEvent({ kind: 'opened', to_state: 'needs_founder', actor_type: 'system' })],
          }),
        ),
    );
    show();
    const todo = await screen.findByRole('region', { name: 'What we need from you' });
    expect(within(screen.getByRole('region', { name: 'Where it stands' })).getByRole('heading', { name: /^1\. Your details/ }).textContent).toContain('Waiting for you');
    expect(within(screen.getByRole('region', { name: 'Your domain' })).getByText(/a confirmed phone number/)).toBeTruthy();
    const links = within(todo).getAllByRole('link', { name: 'Fill it in' });
    fireEvent.click(links[1] as HTMLElement);
    expect(document.activeElement).toBe(screen.getByLabelText('Agent’s name'));
    fireEvent.click(links[0] as HTMLElement);
    expect(document.activeElement).toBe(screen.getByLabelText('Legal name'));
  });
});
