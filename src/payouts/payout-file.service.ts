// A payout batch as the file the company's bank takes: a SEPA credit transfer order.
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import type { CreditTransferOrder } from '../exports/export-model.js';
import { DomainError } from '../shared/errors.js';
import { writePain001 } from './pain001.js';
import { getBatch } from './payouts.service.js';
import * as repo from './payouts.repository.js';

/** The batch as the SEPA credit transfer order the company's bank takes (pain.001.001.03), created now. */
export async function pain001Of(db: Db, companyId: string, id: string, now: Date): Promise<{ batch: repo.PayoutBatchRow; xml: Buffer }> {
  const batch = await getBatch(db, companyId, id);
  const [items, settings] = await Promise.all([repo.listItems(db, companyId, batch.id), getExpenseSettings(db, companyId)]);
  if (!settings.debtor_iban || !settings.debtor_name) throw new DomainError('validation_failed', 'the company\'s paying bank account is not set', 'debtor');
  const order: CreditTransferOrder = {
    messageId: batch.message_id,
    createdAt: now,
    executionDate: batch.execution_date,
    currency: batch.currency,
    debtor: { name: settings.debtor_name, iban: settings.debtor_iban, bic: settings.debtor_bic },
    transfers: items.map((item) => ({
      endToEndId: item.end_to_end_id,
      amount: item.amount,
      creditor: { name: item.holder_name, iban: item.iban, bic: item.bic },
      remittance: `Expense reimbursement ${batch.execution_date}`,
    })),
  };
  return { batch, xml: writePain001(order) };
}
