// What a company is told to fund its wallet: the platform's top-up account and the company's
// own payment reference, which finds the transfer when the account's statement comes in.
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { formatCreditorReference } from './creditor-reference.js';
import { paymentReferenceOf } from './payment-references.service.js';
import type { TopUpAccount } from './top-up-account.js';

export interface TopUpInstructions {
  accountName: string;
  iban: string;
  bic: string | null;
  currency: string;
  reference: string;
  referenceFormatted: string;
  /** When the company's wallet is in another currency than the account takes. */
  warning: string | null;
}

export async function topUpInstructions(db: Db, companyId: string, account: TopUpAccount): Promise<TopUpInstructions> {
  const [company, reference] = await Promise.all([getCompany(db, companyId), paymentReferenceOf(db, companyId)]);
  return {
    accountName: account.name,
    iban: account.iban,
    bic: account.bic,
    currency: account.currency,
    reference,
    referenceFormatted: formatCreditorReference(reference),
    warning: company.currency === account.currency ? null : `your wallet is in ${company.currency}; the top-up account takes ${account.currency}: ask support before sending`,
  };
}
