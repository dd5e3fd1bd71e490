import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DreamDna } from '../../api/queries';
import { DnaFields } from './DnaFields';

const dna: DreamDna = {
  id: '8a1f0c52-3b9e-4c1d-9f0e-2d6b7a4c5e10',
  user_id: '3c9e7d21-5a4b-4f6e-8d2c-1b0a9f8e7d60',
  version: 2,
  what_problem: 'Busy parents have no time to cook',
  who_serves: 'Working families',
  how_different: null,
  primary_service: 'Meal kits',
  brand_vibe: 'friendly',
  color_preference: null,
  price_level: null,
  selected_domain: null,
  ai_analysis_id: '5e2d4c1b-0a9f-4e8d-9c7b-6a5f4e3d2c10',
  created_at: '2026-11-20T10:00:00.000Z',
  updated_at: '2026-11-20T10:00:00.000Z',
  evidence: {
    what_problem: { quote: 'parents like me never have time to cook', confidence: 0.8 },
    brand_vibe: { quote: 'Friendly', confidence: 0.95 },
  },
};

/** The field whose term is `label`, as the page draws it. */
const field = (label: string) => screen.getByText(label, { selector: 'dt' }).parentElement as HTMLElement;

describe("the Dream DNA's fields", () => {
  it('shows under a field what the founder said, as a quote', () => {
    render(<DnaFields dna={dna} />);
    const problem = field('The problem you solve');
    expect(within(problem).getByText('Busy parents have no time to cook')).toBeTruthy();
    const quote = problem.querySelector('q');
    expect(quote?.textContent).toBe('parents like me never have time to cook');
    expect(quote?.parentElement?.textContent).toBe('You said: parents like me never have time to cook');
    expect(field('Brand vibe').querySelector('q')?.textContent).toBe('Friendly');
  });

  it('shows no quote where the analysis kept none', () => {
    render(<DnaFields dna={dna} />);
    expect(field('Who you serve').textContent).not.toContain('You said');
    expect(field('What makes you different').textContent).not.toContain('You said');
    expect(field('Domain').querySelector('q')).toBeNull();
  });
});
