// After a scenario: does the ledger still hold, and does it hold exactly what the answers
// said? Checks, each reported on its own:
// - ledger_verified: verifyLedger finds no violation (balanced entries, stored balances
//   equal to postings and open holds, no no-overdraft account below zero);
// - wallets_never_negative: no wallet's available balance is below zero and no clearing
//   recorded a shortfall (the workload sends no force posts, the only licensed overdraft);
// - repeats_consistent: every repeated network id got the first answer;
// - ledger_matches_answers: per company, the wallet and card-spend accounts and the card
//   transactions hold exactly what the approvals, clearings and reversals moved, and
//   approved = held + booked + released;
// - decisions_as_expected: approvals and declines as the cards' controls dictate;
// - all_answered: every request got a 200.
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { cardSpendAccount, walletAccount } from '../src/ledger/chart-of-accounts.js';
import type { Fleet } from './auth-fleet.js';
import type { CompanyExpectation, WorkloadTally } from './auth-workload.js';

interface AccountRow {
  company_id: string;
  code: string;
  debits_posted: bigint;
  credits_posted: bigint;
  debits_pending: bigint;
  credits_pending: bigint;
}

interface TransactionSums {
  company_id: string;
  approvals: bigint;
  declines: bigint;
  held: bigint;
  booked: bigint;
  shortfalls: bigint;
  force_posts: bigint;
}

export interface Verification {
  checks: Record<'ledger_verified' | 'wallets_never_negative' | 'repeats_consistent' | 'ledger_matches_answers' | 'decisions_as_expected' | 'all_answered', boolean>;
  ledger: { accounts: number; entries: number; violations: string[] };
  totals: { approvals: number; declines: number; approved: string; held: string; booked: string; released: string; wallet_available_min: string };
  mismatches: string[];
}

/** Mismatches listed at most: enough to see the pattern. */
const mismatchesShownMax = 10;

function expectedAccounts(expected: CompanyExpectation, funding: bigint) {
  return {
    [walletAccount.code]: { debits_posted: funding, credits_posted: expected.bookedMinor, debits_pending: 0n, credits_pending: expected.heldMinor },
    [cardSpendAccount.code]: { debits_posted: expected.bookedMinor, credits_posted: 0n, debits_pending: expected.heldMinor, credits_pending: 0n },
  };
}

function compareCompany(company: string, expected: CompanyExpectation, funding: bigint, accounts: AccountRow[], sums: TransactionSums | undefined): string[] {
  const problems: string[] = [];
  const wanted = expectedAccounts(expected, funding);
  for (const account of accounts) {
    const want = wanted[account.code as keyof typeof wanted];
    for (const column of ['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'] as const) {
      if (want && account[column] !== want[column]) problems.push(`${company} ${account.code}.${column} is ${account[column]}, the answers say ${want[column]}`);
    }
  }
  const rows = {
    approvals: BigInt(expected.approvals),
    declines: BigInt(expected.declines),
    held: expected.heldMinor,
    booked: expected.bookedMinor,
  };
  for (const [name, want] of Object.entries(rows)) {
    const got = sums?.[name as keyof typeof rows] ?? 0n;
    if (BigInt(got) !== want) problems.push(`${company} card transactions: ${name} is ${got}, the answers say ${want}`);
  }
  if (expected.approvedMinor !== expected.heldMinor + expected.bookedMinor + expected.releasedMinor) {
    problems.push(`${company}: approved ${expected.approvedMinor} is not held + booked + released`);
  }
  return problems;
}

async function readState(db: Db) {
  const accounts = await sql<AccountRow>`
    select company_id, code, debits_posted, credits_posted, debits_pending, credits_pending
    from ledger_accounts where code in (${walletAccount.code}, ${cardSpendAccount.code})`.execute(db);
  const sums = await sql<TransactionSums>`
    select company_id,
           count(*) filter (where state <> 'declined') as approvals,
           count(*) filter (where state = 'declined') as declines,
           coalesce(sum(wallet_amount) filter (where state = 'pending'), 0)::bigint as held,
           coalesce(sum(settled_amount) filter (where state = 'settled'), 0)::bigint as booked,
           count(*) filter (where shortfall > 0) as shortfalls,
           count(*) filter (where kind = 'force_post') as force_posts
    from card_transactions group by company_id`.execute(db);
  return { accounts: accounts.rows, sums: new Map(sums.rows.map((row) => [row.company_id, row])) };
}

export async function verifyScenario(db: Db, fleet: Fleet, expectations: CompanyExpectation[], tally: WorkloadTally): Promise<Verification> {
  const report = await verifyLedger(db);
  const { accounts, sums } = await readState(db);
  const byCompany = new Map<string, AccountRow[]>();
  for (const account of accounts) byCompany.set(account.company_id, [...(byCompany.get(account.company_id) ?? []), account]);
  const mismatches = fleet.companyIds.flatMap((companyId, index) =>
    compareCompany(companyId, expectations[index]!, fleet.fundingMinor, byCompany.get(companyId) ?? [], sums.get(companyId)),
  );
  const wallets = accounts.filter((account) => account.code === walletAccount.code);
  const availableMin = wallets.reduce((min, w) => {
    const available = w.debits_posted - w.credits_posted - w.credits_pending;
    return available < min ? available : min;
  }, fleet.fundingMinor);
  const overdrafts = [...sums.values()].reduce((n, row) => n + Number(row.shortfalls) + Number(row.force_posts), 0);
  const total = (pick: (e: CompanyExpectation) => bigint) => expectations.reduce((sum, e) => sum + pick(e), 0n).toString();
  return {
    checks: {
      ledger_verified: report.ok,
      wallets_never_negative: availableMin >= 0n && overdrafts === 0,
      repeats_consistent: tally.repeatMismatches === 0 && tally.repeatsChecked > 0,
      ledger_matches_answers: mismatches.length === 0,
      decisions_as_expected: Object.keys(tally.unexpected).length === 0,
      all_answered: Object.keys(tally.errors).length === 0,
    },
    ledger: { accounts: report.accounts, entries: report.entries, violations: report.violations.slice(0, mismatchesShownMax).map((v) => `${v.invariant} ${v.subject}: ${v.detail}`) },
    totals: {
      approvals: expectations.reduce((n, e) => n + e.approvals, 0),
      declines: expectations.reduce((n, e) => n + e.declines, 0),
      approved: total((e) => e.approvedMinor),
      held: total((e) => e.heldMinor),
      booked: total((e) => e.bookedMinor),
      released: total((e) => e.releasedMinor),
      wallet_available_min: availableMin.toString(),
    },
    mismatches: mismatches.slice(0, mismatchesShownMax),
  };
}
