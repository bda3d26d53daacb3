// A voucher as double-entry postings, the way SIE and the ledger book it: each line debits
// its expense account with the gross less the deductible VAT (so non-deductible VAT is part
// of the cost) and the VAT account with the deductible VAT; the counter account (wallet or
// employee payable) is credited with the total. The postings sum to zero by construction,
// and the checks below make sure the voucher's own figures agree before anything is written.
import type { ExportVoucher, VoucherLine } from '../export-model.js';
import { ExportFormatError } from './export-format-error.js';

export interface VoucherPosting {
  accountCode: string;
  /** Signed: debit positive, credit negative. */
  amount: bigint;
  text: string;
}

export function voucherWhere(voucher: ExportVoucher): string {
  return `voucher ${voucher.number} (expense ${voucher.expenseId})`;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function sameSignOrZero(a: bigint, b: bigint): boolean {
  return a === 0n || b === 0n || a < 0n === b < 0n;
}

function checkLine(format: string, where: string, line: VoucherLine): void {
  if (abs(line.deductibleVat) > abs(line.vat) || abs(line.vat) > abs(line.gross)) {
    throw new ExportFormatError(format, where, 'needs |deductible VAT| <= |VAT| <= |gross|');
  }
  if (!sameSignOrZero(line.gross, line.vat) || !sameSignOrZero(line.vat, line.deductibleVat)) {
    throw new ExportFormatError(format, where, 'gross, VAT and deductible VAT must have the same sign');
  }
  if (line.deductibleVat !== 0n && line.vatAccountCode === null) {
    throw new ExportFormatError(format, where, 'has deductible VAT but no VAT account');
  }
}

/** Refuses a voucher whose lines do not add up to its total or whose VAT is impossible. */
export function checkVoucher(format: string, voucher: ExportVoucher): void {
  const where = voucherWhere(voucher);
  if (voucher.lines.length === 0) throw new ExportFormatError(format, where, 'has no lines');
  voucher.lines.forEach((line, index) => checkLine(format, `${where}, line ${index + 1}`, line));
  const sum = voucher.lines.reduce((total, line) => total + line.gross, 0n);
  if (sum !== voucher.total) {
    throw new ExportFormatError(format, where, `its lines sum to ${sum} minor units, its total is ${voucher.total}`);
  }
}

export function lineText(voucher: ExportVoucher, line: VoucherLine): string {
  return line.text.trim() === '' ? voucher.text : line.text;
}

/** Debits in line order (expense, then its VAT), then the credit; zero amounts left out. */
export function voucherPostings(format: string, voucher: ExportVoucher): VoucherPosting[] {
  checkVoucher(format, voucher);
  const postings: VoucherPosting[] = [];
  for (const line of voucher.lines) {
    const text = lineText(voucher, line);
    postings.push({ accountCode: line.accountCode, amount: line.gross - line.deductibleVat, text });
    if (line.vatAccountCode !== null) postings.push({ accountCode: line.vatAccountCode, amount: line.deductibleVat, text });
  }
  postings.push({ accountCode: voucher.counterAccountCode, amount: -voucher.total, text: voucher.text });
  if (postings.reduce((sum, posting) => sum + posting.amount, 0n) !== 0n) throw new Error(`${voucherWhere(voucher)} does not balance`);
  return postings.filter((posting) => posting.amount !== 0n);
}
