import { describe, expect, it } from 'vitest';
import {
  availableBalance,
  checkEntry,
  entryPostingsMax,
  isOverdrawn,
  overdraws,
  postedBalance,
  type AccountBalances,
  type EntryCheck,
  type PostingLine,
} from './entry-rules.js';

function line(accountId: string, amount: bigint, currency = 'EUR'): PostingLine {
  return { accountId, amount, currency };
}

/** `count` postings that balance: alternately +1 and -1 (count must be even). */
function balancedLines(count: number): PostingLine[] {
  return Array.from({ length: count }, (_, index) => line(`acc_${index}`, index % 2 === 0 ? 1n : -1n));
}

describe('checkEntry', () => {
  // One row a case, in the order checkEntry applies its rules: each row after the first of
  // its group also breaks a later rule, to show the earlier one wins.
  const cases: { name: string; postings: PostingLine[]; code: Extract<EntryCheck, { ok: false }>['code'] | null; detail?: string }[] = [
    { name: 'refuses an entry without postings', postings: [], code: 'too_few_postings', detail: 'got 0' },
    { name: 'refuses an entry with one posting', postings: [line('wallet', 100n)], code: 'too_few_postings', detail: 'got 1' },
    { name: 'counts postings before looking at a lone zero amount', postings: [line('wallet', 0n)], code: 'too_few_postings' },
    {
      name: `refuses an entry with more than ${entryPostingsMax} postings`,
      postings: balancedLines(entryPostingsMax + 2),
      code: 'too_many_postings',
    },
    {
      name: 'counts postings before looking for zero amounts',
      postings: [...balancedLines(entryPostingsMax), line('wallet', 0n)],
      code: 'too_many_postings',
    },
    { name: `accepts exactly ${entryPostingsMax} balanced postings`, postings: balancedLines(entryPostingsMax), code: null },
    {
      name: 'refuses a zero posting and names its line',
      postings: [line('spend', 100n), line('fees', 0n), line('wallet', -100n)],
      code: 'zero_posting',
      detail: 'posting 2',
    },
    {
      name: 'reports a zero posting before an imbalance',
      postings: [line('spend', 100n), line('wallet', 0n), line('funding', -1n)],
      code: 'zero_posting',
    },
    {
      name: 'refuses postings that do not sum to zero',
      postings: [line('spend', 100n), line('wallet', -99n)],
      code: 'unbalanced',
      detail: 'postings in EUR sum to 1',
    },
    {
      name: 'refuses an entry balanced in total but not per currency',
      postings: [line('spend', 100n, 'EUR'), line('wallet', -100n, 'USD')],
      code: 'unbalanced',
      detail: 'postings in EUR sum to 100',
    },
    {
      name: 'refuses an entry whose second currency is unbalanced',
      postings: [line('spend', 100n), line('wallet', -100n), line('fx', 50n, 'USD'), line('fx-wallet', -49n, 'USD')],
      code: 'unbalanced',
      detail: 'postings in USD sum to 1',
    },
    { name: 'accepts a debit and an equal credit', postings: [line('wallet', 100n), line('funding', -100n)], code: null },
    {
      name: 'accepts an entry balanced in each of two currencies',
      postings: [line('spend', 100n), line('wallet', -100n), line('fx', 7n, 'USD'), line('fx-wallet', -7n, 'USD')],
      code: null,
    },
    {
      name: 'accepts several postings on one side',
      postings: [line('spend', 60n), line('vat', 40n), line('wallet', -100n)],
      code: null,
    },
  ];

  it.each(cases)('$name', ({ postings, code, detail }) => {
    const check = checkEntry(postings);
    if (code === null) {
      expect(check).toEqual({ ok: true });
      return;
    }
    expect(check).toMatchObject({ ok: false, code });
    if (detail && !check.ok) expect(check.detail).toContain(detail);
  });
});

function account(type: AccountBalances['type'], balances: Partial<AccountBalances> = {}): AccountBalances {
  return { type, noOverdraft: false, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n, ...balances };
}

describe('account balances', () => {

  const cases: { name: string; account: AccountBalances; posted: bigint; available: bigint; overdrawn: boolean }[] = [
    {
      name: 'an asset grows with debits and reserves its pending credits',
      account: account('asset', { debitsPosted: 1_000n, creditsPosted: 300n, creditsPending: 200n }),
      posted: 700n,
      available: 500n,
      overdrawn: false,
    },
    {
      name: 'pending debits into an asset are not yet available',
      account: account('asset', { noOverdraft: true, debitsPosted: 100n, debitsPending: 500n }),
      posted: 100n,
      available: 100n,
      overdrawn: false,
    },
    {
      name: 'an expense is debit-normal like an asset',
      account: account('expense', { debitsPosted: 500n, creditsPosted: 100n, creditsPending: 50n }),
      posted: 400n,
      available: 350n,
      overdrawn: false,
    },
    {
      name: 'a no-overdraft asset with nothing left available is not overdrawn',
      account: account('asset', { noOverdraft: true, debitsPosted: 100n, creditsPosted: 60n, creditsPending: 40n }),
      posted: 40n,
      available: 0n,
      overdrawn: false,
    },
    {
      name: 'a no-overdraft asset whose holds exceed its funds is overdrawn',
      account: account('asset', { noOverdraft: true, debitsPosted: 100n, creditsPending: 101n }),
      posted: 100n,
      available: -1n,
      overdrawn: true,
    },
    {
      name: 'a no-overdraft asset with more credits than debits is overdrawn',
      account: account('asset', { noOverdraft: true, debitsPosted: 100n, creditsPosted: 150n }),
      posted: -50n,
      available: -50n,
      overdrawn: true,
    },
    {
      name: 'an asset without the no-overdraft flag may go below zero',
      account: account('asset', { debitsPosted: 100n, creditsPosted: 150n }),
      posted: -50n,
      available: -50n,
      overdrawn: false,
    },
    {
      name: 'a liability grows with credits and reserves its pending debits',
      account: account('liability', { debitsPosted: 200n, creditsPosted: 1_000n, debitsPending: 300n }),
      posted: 800n,
      available: 500n,
      overdrawn: false,
    },
    {
      name: 'pending credits into an income account are not yet available',
      account: account('income', { creditsPosted: 100n, creditsPending: 900n }),
      posted: 100n,
      available: 100n,
      overdrawn: false,
    },
    {
      name: 'a no-overdraft equity account whose pending debits exceed it is overdrawn',
      account: account('equity', { noOverdraft: true, creditsPosted: 100n, debitsPending: 200n }),
      posted: 100n,
      available: -100n,
      overdrawn: true,
    },
    {
      name: 'equity credited by top-ups shows a positive balance',
      account: account('equity', { debitsPosted: 0n, creditsPosted: 5_000n }),
      posted: 5_000n,
      available: 5_000n,
      overdrawn: false,
    },
  ];

  it.each(cases)('$name', ({ account, posted, available, overdrawn }) => {
    expect(postedBalance(account)).toBe(posted);
    expect(availableBalance(account)).toBe(available);
    expect(isOverdrawn(account)).toBe(overdrawn);
  });
});

describe('overdraws', () => {
  // A wallet (an asset of the company's, debit-normal) that must not go below zero.
  const wallet = (debitsPosted: bigint, creditsPosted: bigint) => account('asset', { noOverdraft: true, debitsPosted, creditsPosted });
  it.each([
    ['a payment that leaves money', wallet(1_000n, 0n), wallet(1_000n, 400n), false],
    ['a payment of exactly what is there', wallet(1_000n, 0n), wallet(1_000n, 1_000n), false],
    ['a payment one unit beyond what is there', wallet(1_000n, 0n), wallet(1_000n, 1_001n), true],
    ['a payment from a wallet already below zero', wallet(1_000n, 1_100n), wallet(1_000n, 1_150n), true],
    ['a refund into a wallet below zero that leaves it below zero', wallet(1_000n, 1_100n), wallet(1_040n, 1_100n), false],
    ['a refund into a wallet below zero that lifts it above zero', wallet(1_000n, 1_100n), wallet(1_200n, 1_100n), false],
  ] as const)('%s: %s', (_name, before, after, refused) => {
    expect(overdraws(before, after)).toBe(refused);
  });
  it('never refuses an account that may go below zero', () => {
    const open = account('asset', { debitsPosted: 0n, creditsPosted: 0n });
    expect(overdraws(open, account('asset', { creditsPosted: 5n }))).toBe(false);
  });
});
