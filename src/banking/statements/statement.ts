// The neutral reading of a bank statement file, whichever format the bank sent. Amounts are
// exact signed decimal strings ("-250.00"; negative for debits) so that the model can be
// written out as JSON as it is; dates are YYYY-MM-DD as the bank wrote them.

import type { StatementWarning } from './statement-warnings.js';

/** camt.052 is the intraday account report, camt.053 the statement, camt.054 the debit and
 * credit notification; all three are read into statements of this model. */
export type StatementFormat = 'mt940' | 'camt.052' | 'camt.053' | 'camt.054';

export interface ParsedStatementFile {
  format: StatementFormat;
  statements: Statement[];
  /** What was read although it was not as the format says, in file order. */
  warnings: StatementWarning[];
}

/** MT942's own fields: :13D: when the bank made the report, :34F: floor limits, :90D:/:90C:
 * the number and sum of debits and credits (checked against the entries by reconcile.ts). */
export interface InterimReport {
  /** "2017-01-19T18:15+01:00", as the bank wrote it. */
  reportedAt: string | null;
  floorLimits: { side: 'debit' | 'credit' | 'both'; amount: string }[];
  debits: { count: number; amount: string } | null;
  credits: { count: number; amount: string } | null;
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
  /** Present for an MT942 interim report. */
  interim?: InterimReport;
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
