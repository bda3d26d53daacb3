import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany } from '../companies/companies.service.js';
import { DomainError } from '../shared/errors.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { createCategory, updateCategory } from './categories.service.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

describe('updateCategory', () => {
  it('refuses a change that names nothing, instead of an UPDATE without SET, and keeps the row', async () => {
    const company = await createCompany(database.db, { name: 'Chart Ltd', currency: 'EUR' });
    const category = await createCategory(database.db, company.id, { accountCode: '6100', name: 'Travel' });
    const refusal = await updateCategory(database.db, company.id, category.id, {}).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('validation_failed');
    expect(await updateCategory(database.db, company.id, category.id, { name: 'Travel and lodging' })).toMatchObject({ name: 'Travel and lodging', account_code: '6100' });
  });
});
