// Read-only HTTP views of the ledger for bookkeepers and integrators.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, pageSizeMax, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { entryKindLabel } from './entry-kinds.js';
import { availableBalance, postedBalance } from './entry-rules.js';
import * as ledger from './ledger.service.js';

const AccountSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String({ description: 'Stable code, e.g. payable:usr_… or coa:6110' }),
    name: Type.String({ description: 'The account in words, e.g. "Owed to Emma Seller", "6110 Travel"; show this to people' }),
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
    kind: Type.String({ description: 'Stable code, e.g. expense_owed' }),
    kindLabel: Type.String({ description: 'The kind in words, e.g. "Owed to employees"' }),
    description: Type.String(),
    cause: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    effectiveAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    postings: Type.Array(
      Type.Object({
        line: Type.Integer(),
        accountId: Type.String(),
        accountCode: Type.String({ description: 'Stable code, e.g. payable:usr_…' }),
        accountName: Type.String({ description: 'The account in words, e.g. "Owed to Emma Seller"' }),
        amount: Type.Ref('Money', { description: 'Positive for a debit, negative for a credit' }),
      }),
    ),
  },
  { $id: 'JournalEntry' },
);

function presentAccount(row: ledger.AccountRow) {
  const balances = ledger.toBalances(row);
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
  }, async (request) => ({ items: (await ledger.listAccounts(db, principalOf(request).companyId)).map(presentAccount) }));

  app.get('/api/v1/ledger/accounts/:id', {
    config: { access: 'ledger:read' },
    schema: { operationId: 'getLedgerAccount', tags, summary: 'One ledger account', params: IdParams, response: { 200: Type.Ref('LedgerAccount'), ...problemResponses } },
  }, async (request) => presentAccount(await ledger.getAccount(db, principalOf(request).companyId, request.params.id)));

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
    const page = readPageQuery(request.query);
    const entries = await ledger.listEntries(db, { companyId: principalOf(request).companyId, accountId: request.query.accountId, before: page.before, limit: Math.min(page.limit, pageSizeMax) + 1 });
    return toPage(entries, page, presentEntry);
  });

  app.get('/api/v1/ledger/entries/:id', {
    config: { access: 'ledger:read' },
    schema: { operationId: 'getJournalEntry', tags, summary: 'One journal entry', params: IdParams, response: { 200: Type.Ref('JournalEntry'), ...problemResponses } },
  }, async (request) => presentEntry(await ledger.getEntry(db, principalOf(request).companyId, request.params.id)));
}

function presentEntry(entry: ledger.EntryWithPostings) {
  return {
    id: entry.id,
    kind: entry.kind,
    kindLabel: entryKindLabel(entry.kind),
    description: entry.description,
    cause: entry.cause_type && entry.cause_id ? { type: entry.cause_type, id: entry.cause_id } : null,
    effectiveAt: iso(entry.effective_at),
    createdAt: iso(entry.created_at),
    postings: entry.postings.map((posting) => ({ line: posting.line, accountId: posting.account_id, accountCode: posting.account_code, accountName: posting.account_name, amount: toMoneyJson(posting.amount, posting.currency) })),
  };
}
