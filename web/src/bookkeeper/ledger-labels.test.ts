import { describe, expect, it } from 'vitest';
import type { Person } from '../api/types';
import type { Pages } from '../components/use-pages';
import { accountNamer, entryKindLabel, readableCode, readableDescription } from './ledger-labels';

const id = '01M94T49310XGCQ5H44QD1J52J';

describe('readableDescription', () => {
  const cases: [description: string, shown: string][] = [
    [`Café Central: expense exp_${id}`, 'Café Central'],
    [`per diem: expense exp_${id}`, 'Per diem'],
    [`Correction of expense exp_${id}`, 'Correction of an expense'],
    [`Reimbursements paid: batch pay_${id}`, 'Reimbursements paid: a payout batch'],
    [`Held for usr_${id}`, 'Held for'],
    ['Bank transfer received, reference DEMO-TOPUP-2', 'Bank transfer received, reference DEMO-TOPUP-2'],
    ['Card refund: wallet_funding', 'Card refund: wallet_funding'],
  ];
  it.each(cases)('shows %j as %j', (description, shown) => expect(readableDescription(description)).toBe(shown));
});

describe('entryKindLabel', () => {
  it('names the kinds the server writes', () => {
    expect(entryKindLabel('expense_owed')).toBe('Expense owed to a person');
    expect(entryKindLabel('wallet_top_up')).toBe('Top-up');
  });
  it('reads a kind it does not know as words', () => expect(entryKindLabel('card_chargeback')).toBe('Card chargeback'));
});

describe('accounts', () => {
  const emma = { id: `usr_${id}`, name: 'Emma Nørgaard' } as Person;
  const people: Pages<Person> = { status: 'ready', items: [emma], nextCursor: null, loadingMore: false, moreProblem: null };
  const nameOf = accountNamer(people);

  it('names a payable account after its person as they are named today', () => {
    expect(nameOf({ code: `payable:${emma.id}`, name: 'Owed to Emma Hansen' })).toBe('Owed to Emma Nørgaard');
  });
  it('keeps the stored name while the people load, or for someone no longer listed', () => {
    expect(accountNamer({ status: 'loading' })({ code: `payable:${emma.id}`, name: 'Owed to Emma Hansen' })).toBe('Owed to Emma Hansen');
    expect(nameOf({ code: `payable:usr_${'X'.repeat(26)}`, name: 'Owed to Someone' })).toBe('Owed to Someone');
  });
  it('hides a code that is only an internal id', () => {
    expect(readableCode(`payable:${emma.id}`)).toBeNull();
    expect(readableCode('coa:6540')).toBe('coa:6540');
  });
});
