import { describe, expect, it } from 'vitest';
import { findCurrency } from './currency.js';

describe('findCurrency', () => {
  it.each([
    ['reads RM as Malaysian ringgit', ['TOTAL RM 12.00'], 'MYR'],
    ['reads a printed ISO code', ['Amount due EUR 8.10'], 'EUR'],
    ['reads a code after the amount', ['Gesamt 12,50 EUR'], 'EUR'],
    ['reads the euro sign', ['Total: €12.50'], 'EUR'],
    ['reads the pound sign', ['TOTAL £4.20'], 'GBP'],
    ['reads Danish crowns by code', ['I alt DKK 125,00'], 'DKK'],
    ['reads "kr" as Danish crowns where the receipt is Danish', ['Butik ApS, Danmark', 'I alt 125,00 kr.'], 'DKK'],
    ['reads "kr" as Swedish crowns where the receipt is Swedish', ['Affär AB, Stockholm, Sverige', 'Totalt 125,00 kr'], 'SEK'],
    ['reads US$ as US dollars', ['Total US$ 9.99'], 'USD'],
    ['resolves a bare dollar from the country', ['ORCHARD ROAD, SINGAPORE 238801', 'TOTAL $5.00'], 'SGD'],
    ['does not let a stray pound sign beat ringgit', ['ACME SDN BHD', 'ITEM £5', 'AMT (RM) 5.00'], 'MYR'],
    ['resolves no symbol from a Malaysian company form', ['ACME SDN BHD', 'TOTAL 5.00'], 'MYR'],
  ])('%s', (_name, lines, expected) => {
    expect(findCurrency(lines)?.value).toBe(expected);
  });

  it.each([
    ['a bare dollar with no country', ['TOTAL $5.00']],
    ['"kr" with no country', ['I alt 125,00 kr.']],
    ['no marker and no country', ['TOTAL 5.00']],
  ])('returns null for %s', (_name, lines) => {
    expect(findCurrency(lines)).toBeNull();
  });
});
