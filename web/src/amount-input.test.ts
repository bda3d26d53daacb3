import { describe, expect, it } from 'vitest';
import { parseAmountInput, readAmountInput, writeAmountInput } from './amount-input';

describe('amounts typed in the company\'s locale', () => {
  it.each([
    // Danish, German and Swedish: a decimal comma, and points or spaces between thousands.
    ['da-DK', '15,00', '15.00'],
    ['da-DK', '15', '15'],
    ['da-DK', '1.234,50', '1234.50'],
    ['da-DK', '1 234,50', '1234.50'],
    ['da-DK', '15.00', '15.00'],
    ['da-DK', '7.5', '7.5'],
    ['da-DK', '15.000', '15000'],
    ['da-DK', ' -4,01 ', '-4.01'],
    ['de-DE', '2.500,75', '2500.75'],
    ['sv-SE', '1\u00a0234,50', '1234.50'],
    ['sv-SE', '1 234,5', '1234.5'],
    // English: a decimal point, commas between thousands.
    ['en-GB', '15.00', '15.00'],
    ['en-GB', '1,234.50', '1234.50'],
    ['en-US', '1,234', '1234'],
  ])('in %s reads %j as %s', (locale, typed, decimal) => {
    expect(readAmountInput(typed, locale)).toBe(decimal);
  });

  it.each([
    ['da-DK', ''],
    ['da-DK', 'abc'],
    ['da-DK', '15,'],
    ['da-DK', '1.23,50'],
    ['da-DK', '12,34,56'],
    ['da-DK', '1.2345'],
    ['en-GB', '15,00'],
    ['en-GB', '1,23.50'],
  ])('in %s refuses %j rather than guess', (locale, typed) => {
    expect(readAmountInput(typed, locale)).toBeNull();
  });

  it('writes the API\'s decimal back as the locale types it', () => {
    expect(writeAmountInput('15.00', 'da-DK')).toBe('15,00');
    expect(writeAmountInput('-4.01', 'de-DE')).toBe('-4,01');
    expect(writeAmountInput('15.00', 'en-GB')).toBe('15.00');
    expect(readAmountInput(writeAmountInput('1234.56', 'sv-SE'), 'sv-SE')).toBe('1234.56');
  });
});

describe('amounts pasted with their currency', () => {
  it.each([
    ['da-DK', '15,00 kr.', '15.00'],
    ['da-DK', 'kr. 1.234,50', '1234.50'],
    ['da-DK', 'DKK 15,00', '15.00'],
    ['da-DK', '4,01 €', '4.01'],
    ['de-DE', '2.500,75\u00a0€', '2500.75'],
    ['en-GB', '€15.00', '15.00'],
    ['en-US', '$1,234.50', '1234.50'],
    ['en-US', 'US$ 12', '12'],
    ['en-GB', '-€4.01', '-4.01'],
    ['sv-SE', '1 234,50 SEK', '1234.50'],
    ['da-DK', '15kr', '15'],
  ])('in %s reads %j as %s', (locale, typed, decimal) => {
    expect(readAmountInput(typed, locale)).toBe(decimal);
  });

  it.each([
    ['da-DK', 'kr.'],
    ['da-DK', '15,00 kroner ekstra'],
    ['en-GB', '€'],
    ['da-DK', '15,0x'],
    ['da-DK', 'x15'],
  ])('in %s refuses %j', (locale, typed) => {
    expect(readAmountInput(typed, locale)).toBeNull();
  });
});

describe('an amount checked against its field', () => {
  it.each([
    // In precedence order: unreadable, then a minus where none is allowed, then too many decimals.
    ['abc', {}, { readable: false, reason: 'unreadable', decimals: 2 }],
    ['-15,00', { currency: 'DKK' }, { readable: false, reason: 'negative', decimals: 2 }],
    ['-15,005', { currency: 'DKK' }, { readable: false, reason: 'negative', decimals: 2 }],
    ['-15,00', { currency: 'DKK', negative: true }, { readable: true, amount: '-15.00' }],
    ['15,005', { currency: 'DKK' }, { readable: false, reason: 'too_precise', decimals: 2 }],
    ['1.500,5', { currency: 'JPY' }, { readable: false, reason: 'too_precise', decimals: 0 }],
    ['1.500', { currency: 'JPY' }, { readable: true, amount: '1500' }],
    ['1,125', { currency: 'KWD' }, { readable: true, amount: '1.125' }],
    ['12,345', { decimals: 3 }, { readable: true, amount: '12.345' }],
    ['15,00 kr.', { currency: 'DKK' }, { readable: true, amount: '15.00' }],
  ] as const)('in da-DK %j with %j is %j', (typed, rules, reading) => {
    expect(parseAmountInput(typed, 'da-DK', rules)).toEqual(reading);
  });
});
