// Tax codes: a VAT rate, the share of the VAT the company may deduct and the account the
// deductible part is booked to, and the DATEV key of the code where the company uses one.
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { checkAccountCode, checkName } from './book-fields.js';
import * as repo from './books.repository.js';

export type { TaxCodeRow } from './books.repository.js';

export const taxCodesMax = 100;

export interface TaxCodeInput {
  code: string;
  name: string;
  /** Percent as a decimal string, e.g. "25" or "7.5". */
  rate: string;
  /** Percent of the VAT that may be deducted, e.g. "100" or "25". */
  deductible?: string;
  vatAccountCode?: string | null;
  datevTaxKey?: number | null;
}

/** "25" → 2500, "7.5" → 750: percentages with at most two decimals, as basis points. */
export function percentToBasisPoints(value: string, field: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value);
  const basisPoints = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(basisPoints >= 0 && basisPoints <= 10000)) throw new DomainError('validation_failed', `${field} is a percentage from 0 to 100 with at most two decimals, e.g. "25" or "7.5"`, field);
  return basisPoints;
}

export async function createTaxCode(db: Db, companyId: string, input: TaxCodeInput): Promise<repo.TaxCodeRow> {
  if (!/^[0-9A-Za-z_-]{1,20}$/.test(input.code)) throw new DomainError('validation_failed', 'a tax code has 1 to 20 letters, digits, _ or -', 'code');
  if ((await repo.listTaxCodes(db, companyId)).length >= taxCodesMax) throw new DomainError('validation_failed', `at most ${taxCodesMax} tax codes`);
  const rate = percentToBasisPoints(input.rate, 'rate');
  const deductible = percentToBasisPoints(input.deductible ?? '100', 'deductible');
  if (rate > 0 && deductible > 0 && !input.vatAccountCode) throw new DomainError('validation_failed', 'deductible VAT needs the account it is booked to', 'vatAccountCode');
  try {
    return await repo.insertTaxCode(db, {
      company_id: companyId,
      id: newId('taxCode'),
      code: input.code,
      name: checkName(input.name, 'name', 100),
      rate_bp: rate,
      deductible_bp: deductible,
      vat_account_code: input.vatAccountCode ? checkAccountCode(input.vatAccountCode, 'vatAccountCode') : null,
      datev_tax_key: input.datevTaxKey ?? null,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `tax code ${input.code} exists already`, 'code');
    throw error;
  }
}

/** Tax codes are never changed in place (booked expenses refer to them): only retired. */
export async function setTaxCodeActive(db: Db, companyId: string, id: string, active: boolean): Promise<repo.TaxCodeRow> {
  const updated = await repo.updateTaxCode(db, companyId, id, { active });
  if (!updated) throw notFound('tax code');
  return updated;
}

export const listTaxCodes = repo.listTaxCodes;
