// How a company looks in the API.
import { Type } from 'typebox';
import { iso } from '../http/schemas.js';
import type { CompanyRow } from './companies.service.js';

export const CompanySchema = Type.Object(
  { id: Type.String(), name: Type.String(), currency: Type.String(), timeZone: Type.String(), createdAt: Type.String({ format: 'date-time' }) },
  { $id: 'Company' },
);

export function presentCompany(row: CompanyRow) {
  return { id: row.id, name: row.name, currency: row.currency, timeZone: row.time_zone, createdAt: iso(row.created_at) };
}
