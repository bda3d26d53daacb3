// The generic expense CSV: one row per voucher line, for spreadsheets and for accounting
// programs that import a column mapping. RFC 4180 (CRLF line ends, fields holding `"`, `,`,
// CR or LF quoted with `"` doubled) with a UTF-8 byte order mark, without which Excel reads
// the file as the system's ANSI code page and garbles "ö".
import { formatAmount } from '../../money/money.js';
import type { ExportVoucher, VoucherExport, VoucherLine } from '../export-model.js';
import { accountNamed, accountsByCode } from './export-checks.js';
import { checkVoucher, lineText, voucherWhere } from './voucher-postings.js';

const format = 'CSV';
const byteOrderMark = '\uFEFF';

/**
 * The columns, in order (also in README.md):
 *
 * - `voucher_number`: the voucher's number in this export, from 1
 * - `date`: the voucher's date, YYYY-MM-DD
 * - `expense_id`: Outlay's id of the expense
 * - `document_reference`: the receipt or expense id the books trace the voucher to
 * - `person`: who spent the money
 * - `text`: the line's text, or the voucher's where the line has none
 * - `account_code`, `account_name`: the expense account the line is booked to
 * - `gross`: what the line cost, VAT included
 * - `net`: gross less the deductible VAT, i.e. what the expense account is debited
 * - `vat`: the VAT in the gross
 * - `deductible_vat`: the part of the VAT the company may deduct
 * - `vat_account`: the account the deductible VAT is debited to; empty without one
 * - `tax_code`, `tax_rate`: the tax code and its rate in percent ("25", "7.5"); empty without
 * - `counter_account`: the account credited with the voucher's total (wallet, employee payable)
 * - `tags`: "group: name; group: name"
 * - `currency`: ISO 4217 code of every amount in the row
 *
 * Amounts are exact decimals with a dot and the currency's decimals ("12.50", "-3.00").
 */
export const expenseCsvColumns = [
  'voucher_number',
  'date',
  'expense_id',
  'document_reference',
  'person',
  'text',
  'account_code',
  'account_name',
  'gross',
  'net',
  'vat',
  'deductible_vat',
  'vat_account',
  'tax_code',
  'tax_rate',
  'counter_account',
  'tags',
  'currency',
] as const;

type Column = (typeof expenseCsvColumns)[number];

const amountColumns: ReadonlySet<Column> = new Set(['gross', 'net', 'vat', 'deductible_vat']);

/** OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these as a
 * formula (or, for tab and CR, after the program trims it). An apostrophe in front makes it
 * text. Amounts are left alone: "-12.50" is a number, and the column must stay one. */
const formulaStart = /^[=+\-@\t\r]/;

export function guardFormula(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 section 2, rules 6 and 7. */
export function quoteCsvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function lineRow(model: VoucherExport, voucher: ExportVoucher, line: VoucherLine, accountName: string): Record<Column, string> {
  const currency = model.company.currency;
  const amount = (value: bigint) => formatAmount(value, currency);
  return {
    voucher_number: String(voucher.number),
    date: voucher.date,
    expense_id: voucher.expenseId,
    document_reference: voucher.documentReference,
    person: voucher.person,
    text: lineText(voucher, line),
    account_code: line.accountCode,
    account_name: accountName,
    gross: amount(line.gross),
    net: amount(line.gross - line.deductibleVat),
    vat: amount(line.vat),
    deductible_vat: amount(line.deductibleVat),
    vat_account: line.vatAccountCode ?? '',
    tax_code: line.taxCode ?? '',
    tax_rate: line.taxRatePercent ?? '',
    counter_account: voucher.counterAccountCode,
    tags: voucher.tags.map((tag) => `${tag.group}: ${tag.name}`).join('; '),
    currency,
  };
}

function csvRecord(cells: Record<Column, string>): string {
  return expenseCsvColumns
    .map((column) => quoteCsvField(amountColumns.has(column) ? cells[column] : guardFormula(cells[column])))
    .join(',');
}

export function writeExpenseCsv(model: VoucherExport): Buffer {
  const accounts = accountsByCode(format, model.accounts);
  const records = [expenseCsvColumns.join(',')];
  for (const voucher of model.vouchers) {
    checkVoucher(format, voucher);
    voucher.lines.forEach((line, index) => {
      const account = accountNamed(format, accounts, line.accountCode, `${voucherWhere(voucher)}, line ${index + 1}`);
      records.push(csvRecord(lineRow(model, voucher, line, account.name)));
    });
  }
  return Buffer.from(byteOrderMark + records.map((record) => `${record}\r\n`).join(''), 'utf8');
}
