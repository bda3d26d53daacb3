// Funds a company's wallet in a test the way money really arrives: a bank transfer booked as
// a top-up by the wallet service, as reconciling the top-up account's statement does
// (src/banking/top-up-reconciliation.ts). No company-facing route creates money, so tests
// that need a funded wallet come here rather than to the API.
import { systemActor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Database } from '../db/database.js';
import { recordTopUp, type TopUpRow } from '../wallet/wallet.service.js';

export interface TestTransfer {
  /** Decimal string in the wallet's currency, e.g. "500.00". */
  amount: string;
  /** The wallet's currency when left out. */
  currency?: string;
  bankReference: string;
  /** Today (UTC) when left out. */
  receivedOn?: string;
}

/** Books a received bank transfer into the company's wallet and returns the top-up. */
export async function fundWallet(server: { database: Database }, companyId: string, transfer: TestTransfer): Promise<TopUpRow> {
  const { db } = server.database;
  const currency = transfer.currency ?? (await getCompany(db, companyId)).currency;
  const receivedOn = transfer.receivedOn ?? new Date().toISOString().slice(0, 10);
  return recordTopUp(db, companyId, { amount: transfer.amount, currency, bankReference: transfer.bankReference, receivedOn }, systemActor, new Date());
}
