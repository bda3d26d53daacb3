// How a company looks in the API.
import { Type } from 'typebox';
import { iso } from '../http/schemas.js';
import type { CompanyRow } from './companies.service.js';
import { companyLocales } from './company-locale.js';

export const CompanySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    currency: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone: dates of purchases, expenses, lists and exports are the company\'s calendar dates in it' }),
    locale: Type.String({ enum: [...companyLocales], description: 'BCP 47: how the web app writes amounts (decimal comma in da-DK, de-DE, sv-SE) and dates; the API keeps decimal strings and ISO dates' }),
    requireMfaForAdmins: Type.Boolean({ description: 'Whether admins and bookkeepers must sign in with a second factor' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Company' },
);

export function presentCompany(row: CompanyRow) {
  return { id: row.id, name: row.name, currency: row.currency, timeZone: row.time_zone, locale: row.locale, requireMfaForAdmins: row.require_mfa_for_admins, createdAt: iso(row.created_at) };
}
