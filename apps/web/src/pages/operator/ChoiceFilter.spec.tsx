import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { ChoiceFilter, useChoiceParam } from './ChoiceFilter';

const CHOICES = [4, 12, 26];

function Page() {
  const { value, show } = useChoiceParam('weeks', CHOICES, 12);
  const { search } = useLocation();
  return (
    <>
      <ChoiceFilter key={value} id="weeks" label="Weeks shown" value={value} choices={CHOICES} words={(n) => `The last ${n} weeks`} onShow={show} />
      <p>
        showing {value}, address “{search}”
      </p>
    </>
  );
}

const open = (address: string) =>
  render(
    <MemoryRouter initialEntries={[address]}>
      <Page />
    </MemoryRouter>,
  );

describe('a choice filter', () => {
  it('reads its choice from the address, and anything else as the default', () => {
    open('/funnel?weeks=26');
    expect(screen.getByText('showing 26, address “?weeks=26”')).toBeTruthy();
    expect((screen.getByLabelText('Weeks shown') as HTMLSelectElement).value).toBe('26');
  });

  it('takes an unknown value in the address as the default', () => {
    open('/funnel?weeks=5');
    expect(screen.getByText('showing 12, address “?weeks=5”')).toBeTruthy();
  });

  it('puts the choice in the address when shown, and leaves the default out', () => {
    open('/funnel');
    fireEvent.change(screen.getByLabelText('Weeks shown'), { target: { value: '4' } });
    expect(screen.getByText('showing 12, address “”')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(screen.getByText('showing 4, address “?weeks=4”')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Weeks shown'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(screen.getByText('showing 12, address “”')).toBeTruthy();
  });
});
