// Every ledger account Outlay keeps, named in one place: its code, its name and its type.
// A company's ledger starts with the wallet and its funding account; the others are opened
// on first use (ensureAccount), so the ledger of a company that never paid a reimbursement
// has no company bank account. Codes are unique within a company.
//
// Account codes here are Outlay's own. The codes of the company's bookkeeping (its chart of
// accounts in the expense settings, such as 6540 or 1930) appear only inside the `coa:` and
// `vat:` codes of the accounts expenses are booked to.
import type { AccountType } from '../db/schema.js';

export interface AccountSpec {
  code: string;
  name: string;
  type: AccountType;
  /** Refuses any posting or hold that would leave less than nothing available. */
  noOverdraft?: boolean;
}

// --- Every company ------------------------------------------------------------------------

/** The company's prefunded balance: what its cards spend. Never overdrawn by a hold. */
export const walletAccount: AccountSpec = { code: 'wallet', name: 'Wallet', type: 'asset', noOverdraft: true };

/** Bank transfers in: how much the company has paid into its wallet. */
export const walletFundingAccount: AccountSpec = { code: 'wallet_funding', name: 'Wallet funding (bank transfers in)', type: 'equity' };

/** The accounts a company is created with. */
export const companyOpeningAccounts: readonly AccountSpec[] = [walletAccount, walletFundingAccount];

/** Card purchases as cleared, until their expenses are categorised. */
export const cardSpendAccount: AccountSpec = { code: 'card_spend', name: 'Card spend (to be categorised)', type: 'expense' };

/** The company's own bank account, which pays reimbursements. */
export const companyBankAccount: AccountSpec = { code: 'company_bank', name: 'Company bank account (reimbursements)', type: 'asset' };

/** What the company owes one person for out-of-pocket, mileage and per diem expenses. */
export const payableAccount = (userId: string, personName: string): AccountSpec => ({ code: `payable:${userId}`, name: `Owed to ${personName}`, type: 'liability' });

/** An expense category of the company's chart, by its bookkeeping account code. */
export const categoryAccount = (accountCode: string, categoryName: string): AccountSpec => ({ code: `coa:${accountCode}`, name: `${accountCode} ${categoryName}`, type: 'expense' });

/** Deductible input VAT, by the bookkeeping account the tax code books it to. */
export const inputVatAccount = (vatAccountCode: string): AccountSpec => ({ code: `vat:${vatAccountCode}`, name: `${vatAccountCode} Input VAT`, type: 'asset' });

// --- The platform company (its operators run the top-up account) ---------------------------

/** The platform's top-up account at its bank, one per currency. */
export const platformBankAccount = (currency: string): AccountSpec => ({ code: `platform_bank:${currency}`, name: `Top-up account (${currency})`, type: 'asset' });

/** What the platform holds for companies' wallets. */
export const customerFundsAccount = (currency: string): AccountSpec => ({ code: `customer_funds:${currency}`, name: `Companies' wallet funds (${currency})`, type: 'liability' });

/** Credits no company's reference names, until an operator assigns or returns them. */
export const suspenseAccount = (currency: string): AccountSpec => ({ code: `suspense:${currency}`, name: `Suspense: transfers nobody's reference names (${currency})`, type: 'liability' });
