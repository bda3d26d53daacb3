// The platform's ledger for the top-up account: what the account holds, for whom, and what
// waits in suspense; and the one order in which reconciliation locks accounts.
import type { Db } from '../db/database.js';
import { customerFundsAccount, platformBankAccount, suspenseAccount } from '../ledger/chart-of-accounts.js';
import { ensureAccount, lockAccounts, lockWalletForFunding, postEntry, type AccountRow } from '../ledger/ledger.service.js';
import type { EntryRow } from './bank.repository.js';

export interface PlatformAccounts {
  bank: AccountRow;
  funds: AccountRow;
  suspense: AccountRow;
}

async function platformAccounts(trx: Db, companyId: string, currency: string): Promise<PlatformAccounts> {
  const bank = await ensureAccount(trx, { companyId, currency, ...platformBankAccount(currency) });
  const funds = await ensureAccount(trx, { companyId, currency, ...customerFundsAccount(currency) });
  const suspense = await ensureAccount(trx, { companyId, currency, ...suspenseAccount(currency) });
  return { bank, funds, suspense };
}

/**
 * Locks the platform's accounts, then the wallets of the companies an entry names, in id
 * order: every path that touches both (imports, assignments) takes them in this order, so two
 * imports never deadlock.
 */
export async function lockForReconciliation(trx: Db, platformId: string, currencies: readonly string[], companyIds: readonly string[]): Promise<Map<string, PlatformAccounts>> {
  const byCurrency = new Map<string, PlatformAccounts>();
  for (const currency of [...new Set(currencies)].sort()) {
    const accounts = await platformAccounts(trx, platformId, currency);
    await lockAccounts(trx, platformId, [accounts.bank.id, accounts.funds.id, accounts.suspense.id]);
    byCurrency.set(currency, accounts);
  }
  for (const companyId of [...new Set(companyIds)].sort()) await lockWalletForFunding(trx, companyId);
  return byCurrency;
}

/** Books a bank entry between two of the platform's accounts, debit and credit by its sign. */
export async function postPlatform(trx: Db, companyId: string, entry: EntryRow, debit: string, credit: string, kind: string, description: string, now: Date): Promise<void> {
  await postEntry(trx, {
    companyId,
    kind,
    description,
    cause: { type: 'bank_entry', id: entry.id },
    effectiveAt: now,
    postings: [
      { accountId: debit, amount: entry.amount > 0n ? entry.amount : -entry.amount },
      { accountId: credit, amount: entry.amount > 0n ? -entry.amount : entry.amount },
    ],
    allowOverdraft: true,
  });
}
