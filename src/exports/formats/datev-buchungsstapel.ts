// DATEV-Format Buchungsstapel (header version 700, Formatkategorie 21, Formatversion 13; the
// format description on developer.datev.de), the file German tax advisers import into DATEV
// Kanzlei-Rechnungswesen. Windows-1252, ";" between fields, CRLF; line 1 is the header
// record, line 2 the column headings, then one booking per row.
//
// Each voucher line is booked as "Konto (expense) an Gegenkonto (wallet or employee
// payable)". Where the line's tax code has a DATEV BU-Schlüssel and all its VAT is
// deductible, one row carries the gross and the key, and DATEV splits off the input VAT
// itself. Without a key, or when part of the VAT may not be deducted (the key would deduct
// all of it), the expense gets the gross less the deductible VAT and a second row books the
// deductible VAT to the VAT account, both without a key.
import { currencyExponent, formatAmount } from '../../money/money.js';
import type { ExportVoucher, VoucherExport, VoucherLine } from '../export-model.js';
import { controlsToSpaces } from './control-characters.js';
import { datevColumn, datevColumnHeadings, datevTextColumns } from './datev-columns.js';
import { checkInPeriod, checkPeriod } from './export-checks.js';
import { compactDate, fiscalYearContaining } from './export-dates.js';
import { ExportFormatError } from './export-format-error.js';
import { checkVoucher, lineText, voucherWhere } from './voucher-postings.js';
import { encodeWindows1252 } from './windows-1252.js';

const format = 'DATEV';

export const datevFormatVersion = 13;
/** Header field 8 "Herkunft": two letters naming the program that wrote the file. */
export const datevOriginCode = 'OU';
/** Field limits of the format description, in characters. */
export const belegfeld1CharsMax = 36;
export const buchungstextCharsMax = 60;
export const bezeichnungCharsMax = 30;
/** Umsatz: at most 10 digits before the decimal comma. */
export const umsatzIntegerDigitsMax = 10;
export const consultantNumberMin = 1001;
export const consultantNumberMax = 9_999_999;
export const clientNumberMax = 99_999;
export const sachkontenlaengeMin = 4;
export const sachkontenlaengeMax = 8;

/** Belegfeld 1 admits letters, digits and $ & % * + - / (and "_"); others are dropped. */
const belegfeld1Refused = /[^A-Za-z0-9_$&%*+\-/]/g;

function text(value: string): string {
  return `"${controlsToSpaces(value).replaceAll('"', '""')}"`;
}

function cut(value: string, charsMax: number): string {
  return [...value].slice(0, charsMax).join('');
}

/** "12,50": decimal comma, two decimals, no thousands separator, no sign. */
export function datevAmount(minor: bigint, currency: string, where: string): string {
  const decimals = currencyExponent(currency);
  if (decimals > 2) throw new ExportFormatError(format, where, `${currency} has ${decimals} decimals; DATEV amounts have 2`);
  const [whole, fraction = ''] = formatAmount(minor < 0n ? -minor : minor, currency).split('.');
  if (whole!.length > umsatzIntegerDigitsMax) {
    throw new ExportFormatError(format, where, `${whole} has more than ${umsatzIntegerDigitsMax} digits before the comma`);
  }
  return `${whole},${fraction.padEnd(2, '0')}`;
}

interface Booking {
  amount: bigint;
  account: string;
  taxKey: number | null;
  text: string;
}

/** DATEV refuses an Umsatz of 0,00, and a zero booking books nothing: it is left out. */
function lineBookings(voucher: ExportVoucher, line: VoucherLine): Booking[] {
  const text = lineText(voucher, line);
  const bookings: Booking[] = [];
  if (line.datevTaxKey !== null && line.deductibleVat === line.vat) {
    bookings.push({ amount: line.gross, account: line.accountCode, taxKey: line.datevTaxKey, text });
  } else {
    bookings.push({ amount: line.gross - line.deductibleVat, account: line.accountCode, taxKey: null, text });
    if (line.vatAccountCode !== null) bookings.push({ amount: line.deductibleVat, account: line.vatAccountCode, taxKey: null, text });
  }
  return bookings.filter((booking) => booking.amount !== 0n);
}

function datevRow(model: VoucherExport, voucher: ExportVoucher, booking: Booking, where: string): string {
  const fields: string[] = datevColumnHeadings.map((_, index) => (datevTextColumns.has(index + 1) ? '""' : ''));
  const set = (column: number, value: string) => (fields[column - 1] = value);
  set(datevColumn.umsatz, datevAmount(booking.amount, model.company.currency, where));
  // Soll/Haben refers to Konto: S debits the expense; a refund (negative) credits it.
  set(datevColumn.sollHaben, text(booking.amount < 0n ? 'H' : 'S'));
  set(datevColumn.wkzUmsatz, text(model.company.currency));
  set(datevColumn.konto, booking.account);
  set(datevColumn.gegenkonto, voucher.counterAccountCode);
  if (booking.taxKey !== null) set(datevColumn.buSchluessel, text(String(booking.taxKey).padStart(4, '0')));
  // Belegdatum TTMM; the year is the one of the header's period (fields 15 and 16).
  set(datevColumn.belegdatum, voucher.date.slice(8, 10) + voucher.date.slice(5, 7));
  set(datevColumn.belegfeld1, text(cut(voucher.documentReference.replace(belegfeld1Refused, ''), belegfeld1CharsMax)));
  set(datevColumn.buchungstext, text(cut(controlsToSpaces(booking.text), buchungstextCharsMax)));
  return fields.join(';');
}

function checkNumber(value: number | null, min: number, max: number, what: string): number {
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    throw new ExportFormatError(format, null, `the ${what} is ${value ?? 'not set'}; DATEV needs ${min}-${max}`);
  }
  return value;
}

/** DATEV account numbers are digits; every Sachkonto has the Sachkontenlänge, and a
 * Personenkonto (e.g. an employee as creditor 70001) one digit more. */
function sachkontenlaenge(model: VoucherExport): number {
  const accounts = new Set(model.vouchers.flatMap((voucher) => voucher.lines.flatMap((line) => [line.accountCode, line.vatAccountCode ?? line.accountCode])));
  const lengths = new Set([...accounts].map((code) => code.length));
  const [length = sachkontenlaengeMin] = lengths;
  for (const code of accounts) {
    if (!/^\d+$/.test(code)) throw new ExportFormatError(format, `account ${code}`, 'is not a DATEV account number (digits only)');
  }
  if (lengths.size > 1) throw new ExportFormatError(format, null, `the expense and VAT accounts have different lengths (${[...lengths].join(', ')})`);
  if (length < sachkontenlaengeMin || length > sachkontenlaengeMax) {
    throw new ExportFormatError(format, null, `accounts of ${length} digits; DATEV's Sachkontenlänge is ${sachkontenlaengeMin}-${sachkontenlaengeMax}`);
  }
  for (const voucher of model.vouchers) {
    const counter = voucher.counterAccountCode;
    if (!/^\d+$/.test(counter) || (counter.length !== length && counter.length !== length + 1)) {
      throw new ExportFormatError(format, voucherWhere(voucher), `counter account ${counter} is neither a ${length}-digit Sachkonto nor a ${length + 1}-digit Personenkonto`);
    }
  }
  return length;
}

function createdAt(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 17);
}

function headerRecord(model: VoucherExport, fiscalYearStart: string): string {
  const { company } = model;
  const consultant = checkNumber(company.datevConsultantNumber, consultantNumberMin, consultantNumberMax, 'DATEV Beraternummer');
  const client = checkNumber(company.datevClientNumber, 1, clientNumberMax, 'DATEV Mandantennummer');
  const label = cut(`Outlay ${compactDate(model.from)}-${compactDate(model.to)}`, bezeichnungCharsMax);
  return [
    text('EXTF'), '700', '21', text('Buchungsstapel'), String(datevFormatVersion), createdAt(model.generatedAt),
    '', text(datevOriginCode), text('Outlay'), text(''), String(consultant), String(client),
    compactDate(fiscalYearStart), String(sachkontenlaenge(model)), compactDate(model.from), compactDate(model.to),
    text(label), text(''), '1', '0', '0', text(company.currency),
    '', text(''), '', '', text(''), '', '', text(''), text(''),
  ].join(';');
}

export function writeDatevBuchungsstapel(model: VoucherExport): Buffer {
  checkPeriod(format, model.company, model.from, model.to);
  const fiscalYear = fiscalYearContaining(model.from, model.company.fiscalYearStartMonth);
  if (model.to > fiscalYear.end) {
    throw new ExportFormatError(format, null, `the period ${model.from}..${model.to} crosses the fiscal year end ${fiscalYear.end}; a Buchungsstapel holds one fiscal year`);
  }
  const header = headerRecord(model, fiscalYear.start);
  const rows: string[] = [];
  for (const voucher of model.vouchers) {
    const where = voucherWhere(voucher);
    checkInPeriod(format, where, voucher.date, model.from, model.to);
    checkVoucher(format, voucher);
    for (const line of voucher.lines) {
      for (const booking of lineBookings(voucher, line)) rows.push(datevRow(model, voucher, booking, where));
    }
  }
  const records = [header, datevColumnHeadings.join(';'), ...rows];
  return encodeWindows1252(records.map((record) => `${record}\r\n`).join(''));
}
