// Checks every voucher format makes before it writes a byte: the period is real, the fiscal
// year can be found, each voucher lies in the period, and the account a voucher names is one
// the export can give a name.
import type { ExportAccount, ExportCompany } from '../export-model.js';
import { isIsoDate } from './export-dates.js';
import { ExportFormatError } from './export-format-error.js';

export function checkPeriod(format: string, company: ExportCompany, from: string, to: string): void {
  if (!isIsoDate(from) || !isIsoDate(to)) {
    throw new ExportFormatError(format, null, `the period ${from}..${to} is not two calendar dates (YYYY-MM-DD)`);
  }
  if (from > to) throw new ExportFormatError(format, null, `the period starts (${from}) after it ends (${to})`);
  const month = company.fiscalYearStartMonth;
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new ExportFormatError(format, null, `the fiscal year's first month is ${month}, not 1-12`);
  }
}

export function checkInPeriod(format: string, where: string, date: string, from: string, to: string): void {
  if (!isIsoDate(date)) throw new ExportFormatError(format, where, `"${date}" is not a calendar date (YYYY-MM-DD)`);
  if (date < from || date > to) {
    throw new ExportFormatError(format, where, `dated ${date}, outside the export's period ${from}..${to}`);
  }
}

/** The accounts by code; an account named twice is refused, as either name could be wrong. */
export function accountsByCode(format: string, accounts: readonly ExportAccount[]): ReadonlyMap<string, ExportAccount> {
  const byCode = new Map<string, ExportAccount>();
  for (const account of accounts) {
    if (byCode.has(account.code)) throw new ExportFormatError(format, `account ${account.code}`, 'listed twice');
    byCode.set(account.code, account);
  }
  return byCode;
}

export function accountNamed(
  format: string,
  byCode: ReadonlyMap<string, ExportAccount>,
  code: string,
  where: string,
): ExportAccount {
  const account = byCode.get(code);
  if (!account) throw new ExportFormatError(format, where, `account ${code} is not in the export's accounts`);
  return account;
}
