import { describe, expect, it } from 'vitest';
import { readAmountInput, writeAmountInput } from './amount-input';

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
