import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditorReference, findCreditorReferences, formatCreditorReference, isCreditorReference } from './creditor-reference.js';

describe('creditor references (ISO 11649)', () => {
  it('computes the check digits of the standard\'s example', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isCreditorReference('rf18539007547034')).toBe(true);
  });

  it('refuses a reference with a wrong check digit or a typo', () => {
    expect(isCreditorReference('RF19539007547034')).toBe(false);
    expect(isCreditorReference('RF18539007547043')).toBe(false);
    expect(isCreditorReference('RF18')).toBe(false);
  });

  it('makes references that validate, for any body (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9A-Z]{1,21}$/), (body) => isCreditorReference(creditorReference(body))));
  });

  // ISO 7064 MOD 97-10 catches every single wrong digit. (A letter mistyped as a digit
  // changes the length of the number checked, which the scheme does not promise to catch.)
  it('catches every single wrong digit (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4,21}$/), fc.nat(), fc.constantFrom(...'0123456789'), (body, at, replacement) => {
        const reference = creditorReference(body);
        const index = 4 + (at % body.length);
        if (reference[index] === replacement) return true;
        return !isCreditorReference(reference.slice(0, index) + replacement + reference.slice(index + 1));
      }),
    );
  });

  it('formats in groups of four', () => {
    expect(formatCreditorReference('RF18539007547034')).toBe('RF18 5390 0754 7034');
  });

  it.each([
    ['Top-up RF18 5390 0754 7034 thank you', ['RF18539007547034']],
    ['rf18539007547034', ['RF18539007547034']],
    ['EREF+RF18539007547034SVWZ+Wallet', ['RF18539007547034']],
    ['?20RF18 5390?210754 7034', []],
    ['two: RF18539007547034 and RF712348231', ['RF18539007547034', 'RF712348231']],
    ['invoice 4711, no reference', []],
    ['RF99 is not one', []],
  ])('finds the references in %j', (text, expected) => {
    expect(findCreditorReferences(text)).toEqual(expected);
  });
});
