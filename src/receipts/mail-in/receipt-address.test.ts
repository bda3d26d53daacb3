import { describe, expect, it } from 'vitest';
import { parseReceiptAddress, receiptAddress } from './receipt-address.js';

const domain = 'in.outlay.example';

describe('receiptAddress', () => {
  it('builds receipts+<token>@<domain> with the domain in lower case', () => {
    expect(receiptAddress('k3x9m2', 'In.Outlay.Example')).toBe('receipts+k3x9m2@in.outlay.example');
  });

  it.each([
    ['too short', 'abc12'],
    ['too long', 'a'.repeat(41)],
    ['upper case', 'ABCDEF'],
    ['punctuation', 'abc-def'],
    ['a second address hidden in it', 'abcdef@evil.example'],
  ])('refuses a token that is %s', (_case, token) => {
    expect(() => receiptAddress(token, domain)).toThrow(/token/);
  });

  it('round-trips through parseReceiptAddress', () => {
    for (const token of ['abcdef', '0123456789', 'z'.repeat(40)]) {
      expect(parseReceiptAddress(receiptAddress(token, domain), domain)).toBe(token);
    }
  });
});

describe('parseReceiptAddress', () => {
  it.each([
    ['a plain address', 'receipts+k3x9m2@in.outlay.example', 'k3x9m2'],
    ['the domain in another case', 'receipts+k3x9m2@IN.Outlay.EXAMPLE', 'k3x9m2'],
    ['the prefix in another case', 'Receipts+k3x9m2@in.outlay.example', 'k3x9m2'],
    ['angle brackets', '<receipts+k3x9m2@in.outlay.example>', 'k3x9m2'],
    ['whitespace around and inside the brackets', '  < receipts+k3x9m2@in.outlay.example >\t', 'k3x9m2'],
    ['a fully qualified domain', 'receipts+k3x9m2@in.outlay.example.', 'k3x9m2'],
    ['the longest token', `receipts+${'9'.repeat(40)}@in.outlay.example`, '9'.repeat(40)],
  ])('reads the token from %s', (_case, address, token) => {
    expect(parseReceiptAddress(address, domain)).toBe(token);
  });

  it.each([
    ['another domain', 'receipts+k3x9m2@outlay.example'],
    ['a domain that only ends like ours', 'receipts+k3x9m2@evil-in.outlay.example'],
    ['no prefix', 'k3x9m2@in.outlay.example'],
    ['another prefix', 'invoices+k3x9m2@in.outlay.example'],
    ['an empty token', 'receipts+@in.outlay.example'],
    ['a token that is too short', 'receipts+k3x9m@in.outlay.example'],
    ['a token that is too long', `receipts+${'a'.repeat(41)}@in.outlay.example`],
    ['a token in upper case', 'receipts+K3X9M2@in.outlay.example'],
    ['a token with punctuation', 'receipts+k3x9m2.x@in.outlay.example'],
    ['a second sub-address', 'receipts+k3x9m2+x@in.outlay.example'],
    ['no domain', 'receipts+k3x9m2'],
    ['an unclosed bracket', '<receipts+k3x9m2@in.outlay.example'],
    ['nothing', ''],
  ])('gives null for %s', (_case, address) => {
    expect(parseReceiptAddress(address, domain)).toBeNull();
  });
});
