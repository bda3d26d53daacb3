// The world the cards module's service tests share: a company in Copenhagen with an admin, two
// employees and a bookkeeper, a person of another company, the principals they act as, and a
// way to read what a refused call said.
import { randomBytes } from 'node:crypto';
import { permissionsOfRoles, type Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { issueCard, type IssueCardInput } from '../cards/card-issuing.service.js';
import type { CardView } from '../cards/card-view.js';
import { createCompany, type CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { addActivePerson, type UserRow } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { openTestDatabase, type TestDatabase } from './database.js';
import { testPasswordCost } from './server.js';

export const cardholderPassword = 'a-long-enough-password';

export interface CardWorld {
  database: TestDatabase;
  db: Db;
  /** The encryption key cards are issued under. */
  key: Buffer;
  company: CompanyRow;
  admin: UserRow;
  employee: UserRow;
  colleague: UserRow;
  bookkeeper: UserRow;
  otherCompanyPerson: UserRow;
  /** A virtual card for `holder`, issued by the admin, purpose "Software". */
  issueVirtual(holder: UserRow, extra?: Partial<IssueCardInput>, now?: Date): Promise<CardView>;
}

export async function openCardWorld(): Promise<CardWorld> {
  const database = await openTestDatabase();
  const db = database.db;
  const key = randomBytes(32);
  const company = await createCompany(db, { name: 'Card Co', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const person = (name: string, roles: UserRow['roles']) => addActivePerson(db, company.id, { email: `${name}@card.test`, name, roles, password: cardholderPassword }, testPasswordCost);
  const admin = await person('admin', ['admin']);
  const employee = await person('emma', ['employee']);
  const colleague = await person('felix', ['employee']);
  const bookkeeper = await person('bo', ['bookkeeper']);
  const other = await createCompany(db, { name: 'Other Co', currency: 'DKK' });
  const otherCompanyPerson = await addActivePerson(db, other.id, { email: 'someone@other.test', name: 'Someone', roles: ['admin'], password: cardholderPassword }, testPasswordCost);
  return {
    database, db, key, company, admin, employee, colleague, bookkeeper, otherCompanyPerson,
    issueVirtual: (holder, extra = {}, now = new Date()) =>
      issueCard(db, key, company.id, { userId: holder.id, kind: 'virtual', purpose: 'Software', ...extra }, actorOfUser(admin), now),
  };
}

export const asUser = (user: UserRow): Principal => ({
  kind: 'user',
  companyId: user.company_id,
  userId: user.id,
  sessionId: 'ses_test',
  roles: user.roles,
  permissions: permissionsOfRoles(user.roles),
});

export const asApiKey = (companyId: string, permissions: Permission[]): Principal => ({ kind: 'api_key', companyId, apiKeyId: 'key_test', permissions: new Set(permissions) });

export const actorOfUser = (user: UserRow) => ({ actorType: 'user' as const, actorId: user.id });

/** What a refused call said: its code, message and field. Fails when the call was not refused. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/**
 * The Luhn check (ISO/IEC 7812-1 annex B) of a whole number, written apart from card-numbers.ts
 * so that it checks that code instead of repeating it: from the right, every second digit is
 * doubled (less 9 when above 9), and the sum of all is a multiple of 10.
 */
export function isLuhnValid(number: string): boolean {
  if (!/^\d{2,19}$/.test(number)) return false;
  const sum = [...number].reverse().reduce((total, char, i) => {
    const doubled = Number(char) * (i % 2 === 1 ? 2 : 1);
    return total + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return sum % 10 === 0;
}

/** A card's events, oldest first. */
export async function cardEventsOf(db: Db, cardId: string) {
  const rows = await db.selectFrom('card_events').selectAll().where('card_id', '=', cardId).orderBy('id').execute();
  return rows.map((row) => ({ action: row.action, actorType: row.actor_type, actorId: row.actor_id, reason: row.reason }));
}
