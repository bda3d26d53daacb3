// What an accounting export holds, independent of any file format. Two views of the same
// books: vouchers (one per expense, as bookkeepers enter them: CSV, SIE, DATEV) and the
// ledger's own journal (hledger, whose balances must equal Outlay's). Amounts are bigint
// minor units in the company's currency; dates are YYYY-MM-DD.

export interface ExportCompany {
  id: string;
  name: string;
  currency: string;
  /** SIE #ORGNR; null when not set. */
  organisationNumber: string | null;
  /** DATEV header: Beraternummer and Mandantennummer; null when not set. */
  datevConsultantNumber: number | null;
  datevClientNumber: number | null;
  /** First month of the fiscal year, 1-12 (DATEV "WJ-Beginn", SIE #RAR). */
  fiscalYearStartMonth: number;
}

export interface ExportAccount {
  code: string;
  name: string;
  type: 'asset' | 'liability' | 'equity' | 'income' | 'expense';
}

/** One line of a voucher: a split line of the expense. */
export interface VoucherLine {
  /** The expense category's account code. */
  accountCode: string;
  /** What the line cost, VAT included. */
  gross: bigint;
  /** VAT in the gross amount, and the part of it the company may deduct. */
  vat: bigint;
  deductibleVat: bigint;
  /** The account deductible VAT goes to; null when there is none to deduct. */
  vatAccountCode: string | null;
  taxCode: string | null;
  /** e.g. "25" or "7.5"; null without a tax code. */
  taxRatePercent: string | null;
  /** DATEV BU-Schlüssel of the tax code, where the company set one. */
  datevTaxKey: number | null;
  text: string;
}

/**
 * One expense as a voucher: its lines are debited (the expense account gets gross minus the
 * deductible VAT, the VAT account the deductible VAT) and the counter account is credited
 * with the total: the wallet for card purchases, the employee payable for what the company
 * owes its people.
 */
export interface ExportVoucher {
  /** Sequential within the export, from 1. */
  number: number;
  expenseId: string;
  date: string;
  text: string;
  /** The receipt or expense id the books can trace the voucher back to. */
  documentReference: string;
  counterAccountCode: string;
  total: bigint;
  person: string;
  tags: { group: string; name: string }[];
  lines: VoucherLine[];
}

export interface VoucherExport {
  company: ExportCompany;
  from: string;
  to: string;
  generatedAt: Date;
  /** Every account a voucher names, with its name. */
  accounts: ExportAccount[];
  vouchers: ExportVoucher[];
}

/** A journal entry of Outlay's ledger as it was posted. */
export interface LedgerJournalEntry {
  id: string;
  date: string;
  description: string;
  /** Signed: positive debits, negative credits; they sum to zero. */
  postings: { accountCode: string; amount: bigint }[];
}

export interface LedgerExport {
  company: ExportCompany;
  from: string;
  to: string;
  generatedAt: Date;
  /** Every account of the ledger. */
  accounts: ExportAccount[];
  /** Each account's posted balance before `from` (signed, debit positive); zero ones left out. */
  openingBalances: { accountCode: string; amount: bigint }[];
  entries: LedgerJournalEntry[];
}

/** A reimbursement payout batch as a SEPA credit transfer order (pain.001). */
export interface CreditTransferOrder {
  messageId: string;
  createdAt: Date;
  executionDate: string;
  currency: string;
  debtor: { name: string; iban: string; bic: string | null };
  transfers: { endToEndId: string; amount: bigint; creditor: { name: string; iban: string; bic: string | null }; remittance: string }[];
}
