// Per diem rates: the daily allowance for a trip to each country, in the company's currency.
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { parseAmount } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './books.repository.js';

export type { PerDiemRateRow } from './books.repository.js';

export async function listPerDiemRates(db: Db, companyId: string): Promise<{ rates: repo.PerDiemRateRow[]; currency: string }> {
  const company = await getCompany(db, companyId);
  return { rates: await repo.listPerDiemRates(db, companyId), currency: company.currency };
}

export async function setPerDiemRate(db: Db, companyId: string, country: string, dailyRate: string): Promise<{ rate: repo.PerDiemRateRow; currency: string }> {
  if (!/^[A-Z]{2}$/.test(country)) throw new DomainError('validation_failed', 'a country is an ISO 3166-1 alpha-2 code such as DE', 'country');
  const company = await getCompany(db, companyId);
  const rate = await repo.upsertPerDiemRate(db, companyId, country, parseAmount(dailyRate, company.currency, { field: 'dailyRate' }));
  return { rate, currency: company.currency };
}

export async function removePerDiemRate(db: Db, companyId: string, country: string): Promise<void> {
  if (!(await repo.deletePerDiemRate(db, companyId, country))) throw notFound('per diem rate');
}
