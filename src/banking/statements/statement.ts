// The neutral reading of a bank statement file, whichever format the bank sent. Amounts are
// exact signed decimal strings ("-250.00"; negative for debits) so that the model can be
// written out as JSON as it is; dates are YYYY-MM-DD as the bank wrote them.

export type StatementFormat = 'mt940' | 'camt.053';

export interface ParsedStatementFile {
  format: StatementFormat;
  statements: Statement[];
}

export interface StatementBalance {
  amount: string;
  date: string;
}

export interface Statement {
  /** MT940 `:20:` and `:28C:` joined by "/"; CAMT `Stmt/Id` and `ElctrncSeqNb` joined by "/". */
  id: string | null;
  /** IBAN or account number as the bank wrote it (MT940 `:25:`, CAMT `Acct/Id`). */
  account: string | null;
  currency: string | null;
  opening: StatementBalance | null;
  closing: StatementBalance | null;
  entries: StatementEntry[];
  /** False when the balances contradict the entries or each other; `inconsistency` says how. */
  consistent: boolean;
  inconsistency: string | null;
}

export interface Counterparty {
  name: string | null;
  iban: string | null;
  bic: string | null;
}

export interface StatementEntry {
  amount: string;
  currency: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  bankReference: string | null;
  customerReference: string | null;
  endToEndId: string | null;
  remittanceInformation: string | null;
  counterparty: Counterparty | null;
  typeCode: string | null;
  /** MT940: the `:86:` text with its line breaks; CAMT: `AddtlNtryInf`/`AddtlTxInf`. */
  information: string | null;
}
