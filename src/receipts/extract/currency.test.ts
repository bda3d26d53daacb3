import { describe, expect, it } from 'vitest';
import { findCurrency } from './currency.js';

describe('findCurrency', () => {
  it.each([
    ['reads RM as Malaysian ringgit', ['TOTAL RM 12.00'], 'MYR'],
    ['reads a printed ISO code', ['Amount due EUR 8.10'], 'EUR'],
    ['reads the pound sign', ['TOTAL £4.20'], 'GBP'],
    ['resolves a bare dollar from the country', ['ORCHARD ROAD, SINGAPORE 238801', 'TOTAL $5.00'], 'SGD'],
    ['does not let a stray pound sign beat ringgit', ['ACME SDN BHD', 'ITEM £5', 'AMT (RM) 5.00'], 'MYR'],
    ['resolves no symbol from a Malaysian company form', ['ACME SDN BHD', 'TOTAL 5.00'], 'MYR'],
  ])('%s', (_name, lines, expected) => {
    expect(findCurrency(lines)?.value).toBe(expected);
  });

  it('returns null for a bare dollar with no country', () => {
    expect(findCurrency(['TOTAL $5.00'])).toBeNull();
  });
});
