import { describe, expect, it } from 'vitest';
import { csvHref, filtersIn, searchOf } from './list-filters';

const names = ['q', 'state', 'from'] as const;

describe('list filters in the address', () => {
  it('reads the known, non-empty filters of a query string', () => {
    expect(filtersIn('?q=taxi&state=&other=1&from=2026-11-01', names)).toEqual({ q: 'taxi', from: '2026-11-01' });
  });

  it('writes only the filters that have a value, in the list’s order', () => {
    expect(searchOf({ from: '2026-11-01', q: ' taxi ', state: '' }, names).toString()).toBe('q=taxi&from=2026-11-01');
  });

  it('asks for the same filters as CSV', () => {
    expect(csvHref('/api/v1/expenses', { q: 'Café Nord' }, names)).toBe('/api/v1/expenses?q=Caf%C3%A9+Nord&format=csv');
  });
});
