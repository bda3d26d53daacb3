// Read-only HTTP views of the ledger for bookkeepers and integrators.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, pageSizeMax, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { notFound } from '../shared/errors.js';
import { availableBalance, postedBalance } from './entry-rules.js';
import * as repo from './ledger.repository.js';
import { toBalances } from './ledger.service.js';

const AccountSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    type: Type.String({ enum: ['asset', 'liability', 'equity', 'income', 'expense'] }),
    currency: Type.String(),
    balance: Type.Ref('Money', { description: 'Posted balance, positive when on the account\'s normal side' }),
    available: Type.Ref('Money', { description: 'Balance less pending reservations' }),
    debitsPosted: Type.Ref('Money'),
    creditsPosted: Type.Ref('Money'),
    debitsPending: Type.Ref('Money'),
    creditsPending: Type.Ref('Money'),
  },
  { $id: 'LedgerAccount' },
);

const EntrySchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    description: Type.String(),
    cause: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    effectiveAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    postings: Type.Array(
      Type.Object({
        line: Type.Integer(),
        accountId: Type.String(),
        accountCode: Type.String(),
        amount: Type.Ref('Money', { description: 'Positive for a debit, negative for a credit' }),
      }),
    ),
  },
  { $id: 'JournalEntry' },
);

function presentAccount(row: repo.AccountRow) {
  const balances = toBalances(row);
  const money = (minor: bigint) => toMoneyJson(minor, row.currency);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    currency: row.currency,
    balance: money(postedBalance(balances)),
    available: money(availableBalance(balances)),
    debitsPosted: money(row.debits_posted),
    creditsPosted: money(row.credits_posted),
    debitsPending: money(row.debits_pending),
    creditsPending: money(row.credits_pending),
  };
}

export function ledgerRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(AccountSchema);
  app.addSchema(EntrySchema);
  const tags = ['Ledger'];

  app.get('/api/v1/ledger/accounts', {
    config: { access: 'ledger:read' },
    schema: { operationId: 'listLedgerAccounts', tags, summary: 'The company\'s ledger accounts with balances', response: { 200: Type.Object({ items: Type.Array(Type.Ref('LedgerAccount')) }), ...problemResponses } },
  }, async (request) => ({ items: (await repo.listAccounts(db, principalOf(request).companyId)).map(presentAccount) }));

  app.get('/api/v1/ledger/accounts/:id', {
    config: { access: 'ledger:read' },
    schema: { operationId: 'getLedgerAccount', tags, summary: 'One ledger account', params: IdParams, response: { 200: Type.Ref('LedgerAccount'), ...problemResponses } },
  }, async (request) => {
    const account = await repo.findAccount(db, principalOf(request).companyId, request.params.id);
    if (!account) throw notFound('ledger account');
    return presentAccount(account);
  });

  app.get('/api/v1/ledger/entries', {
    config: { access: 'ledger:read' },
    schema: {
      operationId: 'listJournalEntries',
      tags,
      summary: 'Journal entries with their postings, newest first',
      querystring: Type.Object({ ...PageQuery.properties, accountId: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('JournalEntry')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses },
    },
  }, async (request) => {
    const companyId = principalOf(request).companyId;
    const page = readPageQuery(request.query);
    const entries = await repo.listEntries(db, { companyId, accountId: request.query.accountId, before: page.before, limit: Math.min(page.limit, pageSizeMax) + 1 });
    return presentEntries(db, companyId, entries, page);
  });

  app.get('/api/v1/ledger/entries/:id', {
    config: { access: 'ledger:read' },
    schema: { operationId: 'getJournalEntry', tags, summary: 'One journal entry', params: IdParams, response: { 200: Type.Ref('JournalEntry'), ...problemResponses } },
  }, async (request) => {
    const companyId = principalOf(request).companyId;
    const entry = await repo.findEntry(db, companyId, request.params.id);
    if (!entry) throw notFound('journal entry');
    const page = await presentEntries(db, companyId, [entry], { limit: 1, before: undefined });
    return page.items[0]!;
  });
}

async function presentEntries(db: AppContext['database']['db'], companyId: string, entries: repo.EntryRow[], page: { limit: number; before: string | undefined }) {
  const postings = await repo.listPostings(db, companyId, entries.slice(0, page.limit).map((entry) => entry.id));
  const accounts = new Map((await repo.listAccounts(db, companyId)).map((account) => [account.id, account.code]));
  return toPage(entries, page, (entry) => ({
    id: entry.id,
    kind: entry.kind,
    description: entry.description,
    cause: entry.cause_type && entry.cause_id ? { type: entry.cause_type, id: entry.cause_id } : null,
    effectiveAt: iso(entry.effective_at),
    createdAt: iso(entry.created_at),
    postings: postings
      .filter((posting) => posting.entry_id === entry.id)
      .map((posting) => ({ line: posting.line, accountId: posting.account_id, accountCode: accounts.get(posting.account_id) ?? '', amount: toMoneyJson(posting.amount, posting.currency) })),
  }));
}
