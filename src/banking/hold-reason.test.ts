import { describe, expect, it } from 'vitest';
import { holdReason } from './hold-reason.js';
import type { Statement } from './statements/statement.js';

const account = 'DK38 5295 0001 2345 67';

function statement(extra: Partial<Statement>): Statement {
  return { id: 'S-1', account: 'DK3852950001234567', currency: 'EUR', opening: null, closing: null, entries: [], consistent: true, inconsistency: null, ...extra };
}

describe('why a statement waits for a person', () => {
  const cases: [string, Statement, string | null][] = [
    ['nothing, when it adds up and is of the account, in its currency', statement({}), null],
    ['nothing, however the bank spaced or cased the IBAN', statement({ account: 'dk38 5295 0001 2345 67' }), null],
    ['its balances first, with the reason the parser gave', statement({ consistent: false, inconsistency: 'the closing balance is off by 1.00', account: 'DK9520000123456789' }), 'the closing balance is off by 1.00'],
    ['its balances, in general words where the parser gave none', statement({ consistent: false }), 'the balances do not agree with the entries'],
    ['another account', statement({ account: 'DK9520000123456789', currency: 'DKK' }), `the statement is of account DK9520000123456789, not ${account}`],
    ['no account at all', statement({ account: null }), `the statement is of account (none), not ${account}`],
    ['another currency', statement({ currency: 'DKK' }), 'the statement is in DKK, the account in EUR'],
    ['another currency, told by its first entry', statement({ currency: null, entries: [{ amount: '1.00', currency: 'SEK', bookingDate: null, valueDate: null, bankReference: null, customerReference: null, endToEndId: null, remittanceInformation: null, counterparty: null, typeCode: null, information: null }] }), 'the statement is in SEK, the account in EUR'],
    ['no currency anywhere', statement({ currency: null }), 'the statement says in no currency'],
  ];
  it.each(cases)('%s', (_name, given, reason) => {
    expect(holdReason(given, account, 'EUR')).toBe(reason);
  });

  it('checks no account where none is expected (a company without its own IBAN on file)', () => {
    expect(holdReason(statement({ account: 'DK9520000123456789' }), null, 'EUR')).toBeNull();
  });
});
