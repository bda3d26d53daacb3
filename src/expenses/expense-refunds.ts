// A card expense follows its purchase's refunds (src/cards/card-refunds.service.ts): its
// amount for the books is what the purchase cleared less what was refunded of it, so a full
// refund leaves an approved expense of zero, shown with its refunds, booked as nothing and
// left out of exports. The books must never see an exported figure change silently: a refund
// that comes before the expense is exported is netted into it; one that comes after is a
// negative voucher of its own, in the export of the period of the refund's date (its local
// day), tied to the expense (src/exports/export-models.ts).
import { listRefundsOf, type CardTransactionRow } from '../cards/card-transactions.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import type { Db } from '../db/database.js';
import * as refundsRepo from './expense-refunds.repository.js';
import type { ExpenseRow } from './expenses.repository.js';

export type { ExpenseRefundRow } from './expense-refunds.repository.js';

export interface RefundsFollowed {
  /** What the purchase's refunds (not reversed) gave back, in the wallet's currency. */
  refunded: bigint;
  /** What the expense had taken in before. */
  refundedBefore: bigint;
  /** A refund the books already had as its own voucher was taken back: the expense goes to the books again. */
  exportedRefundWithdrawn: boolean;
}

const counts = (refund: CardTransactionRow) => refund.state === 'settled' && (refund.refunded_amount ?? 0n) > 0n;

/** Takes the purchase's refunds into the expense (the caller holds the transaction's lock). */
export async function followRefunds(trx: Db, expense: ExpenseRow, transactionId: string, timeZone: string): Promise<RefundsFollowed> {
  const refunds = (await listRefundsOf(trx, expense.company_id, [transactionId])).filter(counts);
  const known = await refundsRepo.listExpenseRefunds(trx, expense.company_id, [expense.id]);
  const refundedBefore = known.reduce((sum, row) => sum + row.amount, 0n);
  let exportedRefundWithdrawn = false;
  for (const row of known) {
    if (refunds.some((refund) => refund.id === row.transaction_id)) continue;
    await refundsRepo.deleteExpenseRefund(trx, expense.company_id, row.transaction_id);
    if (row.export_state === 'queued' || row.export_state === 'exporting' || row.export_state === 'exported') exportedRefundWithdrawn = true;
  }
  for (const refund of refunds) {
    if (known.some((row) => row.transaction_id === refund.id)) continue;
    await refundsRepo.insertExpenseRefund(trx, {
      company_id: expense.company_id,
      expense_id: expense.id,
      transaction_id: refund.id,
      amount: refund.refunded_amount ?? 0n,
      refunded_on: localDateOf(refund.occurred_at, timeZone),
      export_state: expense.export_state === 'exported' ? 'not_exported' : 'netted',
    });
  }
  const refunded = refunds.reduce((sum, refund) => sum + (refund.refunded_amount ?? 0n), 0n);
  return { refunded, refundedBefore, exportedRefundWithdrawn };
}

/** The refunds of each expense, for presenting them. */
export async function refundsOfExpenses(db: Db, companyId: string, expenseIds: readonly string[]): Promise<refundsRepo.ExpenseRefundRow[]> {
  return refundsRepo.listExpenseRefunds(db, companyId, expenseIds);
}

/** What of each expense's refunds the books get as vouchers of their own, not netted into it:
 * an expense's own voucher is its amount plus these, so that together they make its amount. */
export async function separatelyRefunded(db: Db, companyId: string, expenseIds: readonly string[]): Promise<Map<string, bigint>> {
  return refundsRepo.separatelyRefunded(db, companyId, expenseIds);
}
