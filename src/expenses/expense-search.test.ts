import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { encodeListCursor } from '../http/list-query.js';
import { asApiKey } from '../test-support/cards.js';
import { openTestDatabase } from '../test-support/database.js';
import { expenseSearchOf } from './expense-search.js';
import { searchExpensesQuery } from './expense-search.repository.js';

const employee: Principal = { kind: 'user', companyId: 'cmp_a', userId: 'usr_emma', sessionId: 'ses_1', roles: ['employee'], permissions: new Set(['company:read']) };
const bookkeeper: Principal = { ...employee, userId: 'usr_bo', roles: ['bookkeeper'], permissions: new Set(['company:read', 'expenses:read', 'expenses:manage']) };

describe('expenseSearchOf', () => {
  it('keeps a person without expenses:read to their own, whatever person they ask for', () => {
    expect(expenseSearchOf(employee, { userId: 'usr_frank' }, 'EUR').userId).toBe('usr_emma');
    expect(expenseSearchOf(asApiKey('cmp_a', ['company:read']), {}, 'EUR').userId).toBe('-');
    expect(expenseSearchOf(bookkeeper, { userId: 'usr_frank' }, 'EUR').userId).toBe('usr_frank');
    expect(expenseSearchOf(bookkeeper, {}, 'EUR')).toMatchObject({ companyId: 'cmp_a', userId: undefined });
  });

  it('translates each filter: amounts to minor units of the company\'s currency, flags to booleans, text trimmed', () => {
    const search = expenseSearchOf(bookkeeper, { amountMin: '10', amountMax: '125.50', missingReceipt: 'true', flagged: 'false', q: '  taxi  ', teamId: 'tm_1', categoryId: 'cat_1', state: 'approved', from: '2026-03-01', to: '2026-03-31' }, 'EUR');
    expect(search).toMatchObject({ amountMin: 1000n, amountMax: 12550n, missingReceipt: true, flagged: false, text: 'taxi', teamId: 'tm_1', categoryId: 'cat_1', state: 'approved', from: '2026-03-01', to: '2026-03-31' });
    expect(expenseSearchOf(bookkeeper, { amountMin: '1000' }, 'JPY').amountMin).toBe(1000n);
    expect(expenseSearchOf(bookkeeper, { q: '   ' }, 'EUR').text).toBeUndefined();
  });

  it('sorts newest spent first by default, and takes a cursor only of the same sort', () => {
    expect(expenseSearchOf(bookkeeper, {}, 'EUR').sort).toEqual({ key: 'spentOn', order: 'desc' });
    const cursor = encodeListCursor({ key: 'amount', order: 'asc', value: '1250', id: 'exp_01M94SQB0ZFQ4XKD8XY6XWMKPW' });
    expect(expenseSearchOf(bookkeeper, { sort: 'amount', order: 'asc', cursor }, 'EUR').after).toEqual({ key: 'amount', order: 'asc', value: '1250', id: 'exp_01M94SQB0ZFQ4XKD8XY6XWMKPW' });
    expect(() => expenseSearchOf(bookkeeper, { sort: 'amount', cursor }, 'EUR')).toThrow('another sort order');
    expect(() => expenseSearchOf(bookkeeper, { cursor: 'bm90IGEgY3Vyc29y' }, 'EUR')).toThrow('cursor');
  });

  it('refuses backwards ranges and amounts that are not decimals of the currency', () => {
    expect(() => expenseSearchOf(bookkeeper, { from: '2026-03-02', to: '2026-03-01' }, 'EUR')).toThrow('from is after to');
    expect(() => expenseSearchOf(bookkeeper, { amountMin: '5', amountMax: '4' }, 'EUR')).toThrow('amountMin');
    expect(() => expenseSearchOf(bookkeeper, { amountMin: '1.234' }, 'EUR')).toThrow();
  });
});

describe('the search\'s SQL', () => {
  // With sequential scans priced out, the plan shows which index the query can use at all.
  it('is scoped to the company and can run on an index for the default order and the common filters', async () => {
    const database = await openTestDatabase();
    try {
      const plans = await database.db.connection().execute(async (connection) => {
        await sql`set enable_seqscan = off`.execute(connection);
        const planOf = async (query: Record<string, string>) => {
          const compiled = searchExpensesQuery(connection, expenseSearchOf(bookkeeper, query, 'EUR'), 51).compile();
          expect(compiled.sql).toMatch(/where "e"\."company_id" = \$1/);
          const result = await connection.executeQuery(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
          return (result.rows as Record<string, string>[]).map((row) => Object.values(row)[0]).join('\n');
        };
        const found = { all: await planOf({}), own: await planOf({ userId: 'usr_emma' }), state: await planOf({ state: 'in_review' }) };
        await sql`reset enable_seqscan`.execute(connection);
        return found;
      });
      expect(plans.all).toMatch(/expenses_company_spent/);
      expect(plans.own).toMatch(/expenses_user_spent|expenses_user/);
      expect(plans.state).toMatch(/Index/);
      expect(plans.all).not.toMatch(/Seq Scan on expenses/);
    } finally {
      await database.close();
    }
  });
});
