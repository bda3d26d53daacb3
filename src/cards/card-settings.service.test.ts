// Company card settings on a real database: created lazily, bounded, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { addActivePerson, type UserRow } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import * as settings from './card-settings.service.js';

let database: TestDatabase;
let db: Db;
let company: CompanyRow;
let admin: UserRow;
const actor = (user: UserRow) => ({ actorType: 'user' as const, actorId: user.id });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; field?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, ...(error.field ? { field: error.field } : {}) };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
  company = await createCompany(db, { name: 'Settings Co', currency: 'EUR' });
  admin = await addActivePerson(db, company.id, { email: 'admin@settings.test', name: 'Admin', roles: ['admin'], password: 'a-long-enough-password' });
});

afterAll(async () => {
  await database?.close();
});

describe('card settings', () => {
  it('creates the settings row with its defaults on first read', async () => {
    const fresh = await createCompany(db, { name: 'Fresh Co', currency: 'JPY' });
    const fresh_ = await settings.getCardSettings(db, fresh.id);
    expect(fresh_).toMatchObject({ currency: 'JPY', fxMarkupBasisPoints: 0, holdExpiryHours: 168, longHoldExpiryHours: 720 });
    expect(fresh_.defaultControls.perPurchaseMax).toBeNull();
  });

  it('refuses values outside their bounds, naming the field', async () => {
    const valid = { defaultControls: {}, fxMarkupBasisPoints: 100, holdExpiryHours: 168, longHoldExpiryHours: 720 };
    const cases: [Partial<typeof valid>, string][] = [
      [{ fxMarkupBasisPoints: 1001 }, 'fxMarkupBasisPoints'],
      [{ fxMarkupBasisPoints: -1 }, 'fxMarkupBasisPoints'],
      [{ holdExpiryHours: 0 }, 'holdExpiryHours'],
      [{ holdExpiryHours: 2161 }, 'holdExpiryHours'],
      [{ longHoldExpiryHours: 100 }, 'longHoldExpiryHours'],
      [{ defaultControls: { weekdays: [9] } } as Partial<typeof valid>, 'defaultControls.weekdays.0'],
    ];
    for (const [change, field] of cases) {
      expect(await refusal(settings.updateCardSettings(db, company.id, { ...valid, ...change }, actor(admin)))).toMatchObject({ code: 'validation_failed', field });
    }
  });

  it('keeps the new settings and audits the change', async () => {
    const saved = await settings.updateCardSettings(db, company.id, { defaultControls: { countries: { allow: null, block: ['KP'] } }, fxMarkupBasisPoints: 250, holdExpiryHours: 72, longHoldExpiryHours: 480 }, actor(admin));
    expect(saved).toMatchObject({ fxMarkupBasisPoints: 250, holdExpiryHours: 72, longHoldExpiryHours: 480 });
    expect((await settings.getCardSettings(db, company.id)).defaultControls.countries.block).toEqual(['KP']);
    const audit = await db.selectFrom('audit_events').select(['action', 'actor_id']).where('action', '=', 'card_settings.updated').execute();
    expect(audit.at(-1)).toEqual({ action: 'card_settings.updated', actor_id: admin.id });
    await settings.updateCardSettings(db, company.id, { defaultControls: {}, fxMarkupBasisPoints: 0, holdExpiryHours: 168, longHoldExpiryHours: 720 }, actor(admin));
  });
});
