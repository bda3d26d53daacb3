import { describe, expect, it } from 'vitest';
import { companyLocales } from '../../companies/company-locale.js';
import { dayFirstOf, receiptLanguagesOf } from './receipt-languages.js';

describe('receiptLanguagesOf', () => {
  it.each([
    ['da-DK', ['dan', 'eng']],
    ['sv-SE', ['swe', 'eng']],
    ['de-DE', ['deu', 'eng']],
    ['de-AT', ['deu', 'eng']],
    ['en-GB', ['eng']],
    ['en-US', ['eng']],
    ['fr-FR', ['eng']],
    ['', ['eng']],
    [null, ['eng']],
  ])('reads receipts of a company in %j in %j', (locale, expected) => {
    expect(receiptLanguagesOf(locale)).toEqual(expected);
  });

  it('keeps English, last, for every locale a company may choose', () => {
    for (const locale of companyLocales) expect(receiptLanguagesOf(locale).at(-1)).toBe('eng');
  });
});

describe('dayFirstOf', () => {
  it.each([
    ['en-US', false],
    ['en-GB', true],
    ['da-DK', true],
    ['de-DE', true],
    ['sv-SE', true],
    [undefined, true],
  ])('in %j the day is first: %j', (locale, expected) => {
    expect(dayFirstOf(locale)).toBe(expected);
  });
});
