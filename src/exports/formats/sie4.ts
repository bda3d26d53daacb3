// SIE typ 4 (SIE-gruppen, "SIE filformat, utgåva 4B", 2008-09-30): the Swedish exchange
// format that every Swedish bookkeeping program imports. Outlay writes the identification
// records, the accounts its vouchers use and one #VER per voucher. The file is CP437 ("PC8")
// with CRLF line ends; a record is a label and fields separated by spaces, text in quotes.
import { currencyExponent, formatAmount } from '../../money/money.js';
import type { ExportAccount, VoucherExport } from '../export-model.js';
import { controlsToSpaces } from './control-characters.js';
import { encodeCp437 } from './cp437.js';
import { accountNamed, accountsByCode, checkInPeriod, checkPeriod } from './export-checks.js';
import { compactDate, fiscalYearContaining, previousFiscalYear, type FiscalYear } from './export-dates.js';
import { ExportFormatError } from './export-format-error.js';
import { voucherPostings, voucherWhere, type VoucherPosting } from './voucher-postings.js';

const format = 'SIE';

export const sieProgramName = 'Outlay';
/** The version of this writer, in #PROGRAM; raised when what it writes changes. */
export const sieProgramVersion = '1.0';
/** #VER series of every Outlay voucher, so that an import can be told apart and undone. */
export const sieVoucherSeries = 'O';
/** #KPTYP: the BAS chart Outlay's default accounts (1930, 2641, 2890, ...) come from. */
export const sieChartOfAccountsType = 'BAS2014';
/** #RAR records one file may declare: an export spanning more years is a mistake. */
export const sieFiscalYearsMax = 10;
/** SIE amounts are written with a decimal point and at most two decimals. */
const sieDecimalsMax = 2;

/** A text field: in quotes, with an inner quote written \" as 4B prescribes. Control
 * characters would break the record, so they become spaces; a backslash becomes "/" so that
 * none can be read as escaping the closing quote. */
export function sieText(text: string): string {
  const clean = controlsToSpaces(text).replaceAll('\\', '/').replaceAll('"', '\\"');
  return `"${clean}"`;
}

function sieAccount(code: string, where: string): string {
  if (!/^\d{1,10}$/.test(code)) throw new ExportFormatError(format, where, `account "${code}" is not an SIE account number (digits only)`);
  return code;
}

/** #RAR 0 is the year the period ends in, -1 the one before, as far back as the period goes. */
function fiscalYears(model: VoucherExport): FiscalYear[] {
  const startMonth = model.company.fiscalYearStartMonth;
  const years = [fiscalYearContaining(model.to, startMonth)];
  while (years.at(-1)!.start > model.from) {
    if (years.length === sieFiscalYearsMax) {
      throw new ExportFormatError(format, null, `the period ${model.from}..${model.to} spans more than ${sieFiscalYearsMax} fiscal years`);
    }
    years.push(previousFiscalYear(years.at(-1)!, startMonth));
  }
  return years;
}

function identificationRecords(model: VoucherExport): string[] {
  const { company } = model;
  const records = [
    '#FLAGGA 0',
    `#PROGRAM ${sieText(sieProgramName)} ${sieText(sieProgramVersion)}`,
    '#FORMAT PC8',
    `#GEN ${compactDate(model.generatedAt.toISOString().slice(0, 10))}`,
    '#SIETYP 4',
  ];
  if (company.organisationNumber !== null) {
    const number = company.organisationNumber.trim();
    records.push(`#ORGNR ${/^[\d-]+$/.test(number) ? number : sieText(number)}`);
  }
  records.push(`#FNAMN ${sieText(company.name)}`);
  fiscalYears(model).forEach((year, index) => records.push(`#RAR ${-index} ${compactDate(year.start)} ${compactDate(year.end)}`));
  records.push(`#KPTYP ${sieChartOfAccountsType}`, `#VALUTA ${company.currency}`);
  return records;
}

function accountRecords(accounts: ExportAccount[]): string[] {
  const byNumber = (a: ExportAccount, b: ExportAccount) => (BigInt(a.code) < BigInt(b.code) ? -1 : BigInt(a.code) > BigInt(b.code) ? 1 : 0);
  return [...accounts].sort(byNumber).map((account) => `#KONTO ${account.code} ${sieText(account.name)}`);
}

function voucherRecords(date: string, postings: VoucherPosting[], currency: string): string[] {
  return postings.map((posting) => `#TRANS ${posting.accountCode} {} ${formatAmount(posting.amount, currency)} ${compactDate(date)} ${sieText(posting.text)}`);
}

export function writeSie4(model: VoucherExport): Buffer {
  checkPeriod(format, model.company, model.from, model.to);
  const currency = model.company.currency;
  if (currencyExponent(currency) > sieDecimalsMax) {
    throw new ExportFormatError(format, null, `${currency} has ${currencyExponent(currency)} decimals; SIE amounts have at most ${sieDecimalsMax}`);
  }
  const accounts = accountsByCode(format, model.accounts);
  const used = new Map<string, ExportAccount>();
  const numbers = new Set<number>();
  const vouchers: string[] = [];
  for (const voucher of model.vouchers) {
    const where = voucherWhere(voucher);
    checkInPeriod(format, where, voucher.date, model.from, model.to);
    if (!Number.isInteger(voucher.number) || voucher.number < 1 || numbers.has(voucher.number)) {
      throw new ExportFormatError(format, where, 'needs a voucher number of its own, a whole number from 1');
    }
    numbers.add(voucher.number);
    const postings = voucherPostings(format, voucher);
    for (const posting of postings) used.set(posting.accountCode, accountNamed(format, accounts, sieAccount(posting.accountCode, where), where));
    vouchers.push(`#VER ${sieText(sieVoucherSeries)} ${voucher.number} ${compactDate(voucher.date)} ${sieText(voucher.text)}`, '{', ...voucherRecords(voucher.date, postings, currency), '}');
  }
  const records = [...identificationRecords(model), ...accountRecords([...used.values()]), ...vouchers];
  return encodeCp437(records.map((record) => `${record}\r\n`).join(''));
}
