// HTTP for bank rails. Operators of the platform (bank:operate) import the top-up account's
// statements and keep its suspense queue; each company sees its top-up instructions, sets its
// low-balance alert, and imports its own account's statements (which show its payouts).
// Statement uploads are the file's raw bytes, the format told from the content.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { listCompanies } from '../companies/companies.service.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileRequestBody } from '../http/file-schemas.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { notFound } from '../shared/errors.js';
import * as repo from './bank.repository.js';
import { statementFileBytesMax } from './statements/limits.js';
import * as platform from './platform.service.js';
import * as statements from './statement-import.service.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const statementStates = ['booked', 'held', 'discarded'];
const entryStates = ['top_up', 'suspense', 'assigned', 'returned', 'payout', 'duplicate', 'other', 'pending'];

const BankEntrySchema = Type.Object(
  {
    id: Type.String(),
    statementId: Type.String(),
    line: Type.Integer(),
    amount: Type.Ref('Money', { description: 'Negative for debits' }),
    bookingDate: nullable(Type.String({ format: 'date' })),
    valueDate: nullable(Type.String({ format: 'date' })),
    bankReference: nullable(Type.String()),
    endToEndId: nullable(Type.String()),
    remittance: nullable(Type.String()),
    counterparty: Type.Object({ name: nullable(Type.String()), iban: nullable(Type.String()) }),
    state: Type.String({ enum: entryStates }),
    companyId: nullable(Type.String({ description: 'The company it was booked for (top-ups, assigned)' })),
    topUpId: nullable(Type.String()),
    payoutBatchId: nullable(Type.String()),
    note: nullable(Type.String()),
  },
  { $id: 'BankEntry' },
);

const StatementSchema = Type.Object(
  {
    id: Type.String(),
    statementRef: nullable(Type.String()),
    account: nullable(Type.String()),
    opening: nullable(Type.Object({ amount: Type.Ref('Money'), date: nullable(Type.String({ format: 'date' })) })),
    closing: nullable(Type.Object({ amount: Type.Ref('Money'), date: nullable(Type.String({ format: 'date' })) })),
    entryCount: Type.Integer(),
    state: Type.String({ enum: statementStates, description: 'held: inconsistent or of another account, waiting for a person' }),
    inconsistency: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    entries: Type.Optional(Type.Array(Type.Ref('BankEntry'))),
  },
  { $id: 'BankStatement' },
);

const ImportSummarySchema = Type.Object(
  {
    fileId: Type.String(),
    format: Type.String({ enum: ['mt940', 'camt.053'] }),
    duplicateFile: Type.Boolean({ description: 'The same file was imported before; nothing changed' }),
    statements: Type.Array(
      Type.Object({
        id: Type.String(),
        statementRef: nullable(Type.String()),
        state: Type.String({ enum: statementStates }),
        inconsistency: nullable(Type.String()),
        duplicate: Type.Boolean(),
        entries: Type.Object(Object.fromEntries(entryStates.map((state) => [state, Type.Optional(Type.Integer())])), { description: 'Entries by state; a state without entries is left out' }),
      }),
    ),
  },
  { $id: 'StatementImport' },
);

const BankCompanySchema = Type.Object(
  { id: Type.String(), name: Type.String(), currency: Type.String(), reference: Type.String({ description: 'The company\'s payment reference (ISO 11649)' }) },
  { $id: 'BankCompany' },
);

const TopUpInstructionsSchema = Type.Object(
  {
    accountName: Type.String(),
    iban: Type.String(),
    bic: nullable(Type.String()),
    currency: Type.String(),
    reference: Type.String({ description: 'An ISO 11649 creditor reference, electronic form' }),
    referenceFormatted: Type.String({ description: 'The same in groups of four, as people type it' }),
    warning: nullable(Type.String({ description: 'When the wallet is in another currency than the account takes' })),
  },
  { $id: 'TopUpInstructions' },
);

const LowBalanceAlertSchema = Type.Object(
  { lowBalanceBelow: nullable(Type.Ref('Money')), alertedAt: nullable(Type.String({ format: 'date-time', description: 'When the admins were told; cleared once the funds are back above' })) },
  { $id: 'LowBalanceAlert' },
);

function presentEntry(row: repo.EntryRow) {
  return {
    id: row.id,
    statementId: row.statement_id,
    line: row.line,
    amount: toMoneyJson(row.amount, row.currency),
    bookingDate: row.booking_date,
    valueDate: row.value_date,
    bankReference: row.bank_reference,
    endToEndId: row.end_to_end_id,
    remittance: row.remittance,
    counterparty: { name: row.counterparty_name, iban: row.counterparty_iban },
    state: row.state,
    companyId: row.target_company_id,
    topUpId: row.top_up_id,
    payoutBatchId: row.payout_batch_id,
    note: row.note,
  };
}

function presentStatement(row: repo.StatementRow, entries?: repo.EntryRow[]) {
  const currency = row.currency ?? 'EUR';
  return {
    id: row.id,
    statementRef: row.statement_ref,
    account: row.account,
    opening: row.opening_amount === null ? null : { amount: toMoneyJson(row.opening_amount, currency), date: row.opening_date },
    closing: row.closing_amount === null ? null : { amount: toMoneyJson(row.closing_amount, currency), date: row.closing_date },
    entryCount: row.entry_count,
    state: row.state,
    inconsistency: row.inconsistency,
    createdAt: iso(row.created_at),
    ...(entries ? { entries: entries.map(presentEntry) } : {}),
  };
}

const uploadTypes = ['application/xml', 'text/xml', 'text/plain', 'application/octet-stream'];
const FileQuery = Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

type OwnerOf = (request: FastifyRequest) => Promise<statements.StatementOwner>;
type StatementOperation = 'import' | 'list' | 'get' | 'accept' | 'discard';
interface StatementRouteOptions { prefix: string; access: 'bank:operate' | 'wallet:write'; readAccess: 'bank:operate' | 'wallet:read'; tags: string[]; ownerOf: OwnerOf; operationIds: Record<StatementOperation, string> }

/** The import route, in a scope of its own: only it takes raw bytes; the other routes keep refusing anything but JSON. */
function importRoute(scope: FastifyInstance, deps: statements.BankingDeps, options: StatementRouteOptions) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(uploadTypes, { parseAs: 'buffer', bodyLimit: statementFileBytesMax }, (_request, body, done) => done(null, body));
  app.post(`${options.prefix}`, {
    config: { access: options.access, swaggerTransform: fileRequestBody(uploadTypes, 'The statement file as the bank gave it') },
    bodyLimit: statementFileBytesMax,
    schema: {
      operationId: options.operationIds.import,
      tags: options.tags,
      summary: 'Import a bank statement file (CAMT.053 or MT940, told by content): the file\'s bytes as the body',
      querystring: FileQuery,
      response: { 201: Type.Ref('StatementImport'), 413: Type.Ref('Problem'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const summary = await statements.importStatementFile(deps, await options.ownerOf(request), { bytes: request.body as Buffer, fileName: request.query.fileName ?? null, via: 'api' }, statements.actorFor(principal));
    return reply.status(201).send(summary);
  });
}

/** The statement routes, for the platform's operators or for one company's own account. */
function statementRoutes(scope: FastifyInstance, context: AppContext, options: StatementRouteOptions) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = context.database;
  const deps: statements.BankingDeps = { db, blobs: context.blobs, topUpAccount: context.config.banking.topUpAccount };
  const { tags, prefix, operationIds } = options;
  void app.register(async (uploadScope) => importRoute(uploadScope, deps, options));

  app.get(`${prefix}`, {
    config: { access: options.readAccess },
    schema: {
      operationId: operationIds.list,
      tags,
      summary: 'Imported statements, newest first',
      querystring: Type.Object({ ...PageQuery.properties, state: Type.Optional(Type.Union([Type.Literal('booked'), Type.Literal('held'), Type.Literal('discarded')])) }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('BankStatement')), ...problemResponses },
    },
  }, async (request) => {
    const owner = await options.ownerOf(request);
    const page = readPageQuery(request.query);
    return toPage(await repo.listStatements(db, owner.companyId, { state: request.query.state, before: page.before, limit: page.limit + 1 }), page, (row) => presentStatement(row));
  });

  app.get(`${prefix}/:id`, {
    config: { access: options.readAccess },
    schema: { operationId: operationIds.get, tags, summary: 'One statement with its entries and what became of each', params: IdParams, response: { 200: Type.Ref('BankStatement'), ...problemResponses } },
  }, async (request) => {
    const owner = await options.ownerOf(request);
    const row = await repo.findStatement(db, owner.companyId, request.params.id);
    if (!row) throw notFound('bank statement');
    return presentStatement(row, await repo.listEntriesOfStatement(db, owner.companyId, row.id));
  });

  for (const action of ['accept', 'discard'] as const) {
    app.post(`${prefix}/:id/${action}`, {
      config: { access: options.access },
      schema: {
        operationId: operationIds[action],
        tags,
        summary: action === 'accept' ? 'Accept a held statement as it is and reconcile its entries' : 'Discard a held statement: nothing of it is booked',
        params: IdParams,
        response: { 200: Type.Ref('BankStatement'), ...problemResponses },
      },
    }, async (request) => {
      const owner = await options.ownerOf(request);
      const actor = statements.actorFor(principalOf(request));
      const row = action === 'accept' ? await statements.acceptStatement(db, owner, request.params.id, actor) : await statements.discardStatement(db, owner, request.params.id, actor);
      return presentStatement(row, await repo.listEntriesOfStatement(db, owner.companyId, row.id));
    });
  }
}

export function bankRoutes(context: AppContext): void {
  const { app: base, database: { db }, config } = context;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  for (const schema of [BankEntrySchema, StatementSchema, ImportSummarySchema, BankCompanySchema, TopUpInstructionsSchema, LowBalanceAlertSchema]) app.addSchema(schema);
  const operatorTags = ['Bank (platform operators)'];
  const walletTags = ['Wallet'];

  void app.register(async (scope) =>
    statementRoutes(scope, context, { prefix: '/api/v1/bank/statements', access: 'bank:operate', readAccess: 'bank:operate', tags: operatorTags, ownerOf: (request) => platform.platformOwnerOf(db, principalOf(request)),
      operationIds: { import: 'importBankStatement', list: 'listBankStatements', get: 'getBankStatement', accept: 'acceptBankStatement', discard: 'discardBankStatement' } }),
  );
  void app.register(async (scope) =>
    statementRoutes(scope, context, { prefix: '/api/v1/wallet/bank-statements', access: 'wallet:write', readAccess: 'wallet:read', tags: walletTags, ownerOf: (request) => platform.companyOwnerOf(db, principalOf(request).companyId),
      operationIds: { import: 'importWalletBankStatement', list: 'listWalletBankStatements', get: 'getWalletBankStatement', accept: 'acceptWalletBankStatement', discard: 'discardWalletBankStatement' } }),
  );

  app.get('/api/v1/bank/suspense', {
    config: { access: 'bank:operate' },
    schema: { operationId: 'listSuspenseEntries', tags: operatorTags, summary: 'Credits no company\'s reference names, waiting for an operator', querystring: PageQuery, response: { 200: Page(Type.Ref('BankEntry')), ...problemResponses } },
  }, async (request) => {
    const owner = await platform.platformOwnerOf(db, principalOf(request));
    const page = readPageQuery(request.query);
    return toPage(await repo.listEntriesInState(db, owner.companyId, 'suspense', page.before, page.limit + 1), page, presentEntry);
  });

  app.post('/api/v1/bank/entries/:id/assign', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'assignBankEntry',
      tags: operatorTags,
      summary: 'Give a credit in suspense to the company it was meant for, as its top-up',
      params: IdParams,
      body: Type.Object({ companyId: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('BankEntry'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const owner = await platform.platformOwnerOf(db, principal);
    return presentEntry(await statements.assignSuspense(db, owner.companyId, request.params.id, request.body.companyId, statements.actorFor(principal)));
  });

  app.post('/api/v1/bank/entries/:id/return', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'returnBankEntry',
      tags: operatorTags,
      summary: 'Mark a credit in suspense for return to its sender',
      params: IdParams,
      body: Type.Object({ note: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('BankEntry'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const owner = await platform.platformOwnerOf(db, principal);
    return presentEntry(await statements.returnSuspense(db, owner.companyId, request.params.id, request.body.note, statements.actorFor(principal)));
  });

  app.get('/api/v1/bank/companies', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'listBankCompanies',
      tags: operatorTags,
      summary: 'The companies an operator can assign a transfer to, with their payment references',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('BankCompany')) }), ...problemResponses },
    },
  }, async (request) => {
    await platform.platformOwnerOf(db, principalOf(request));
    const companies = await listCompanies(db);
    const items = [];
    for (const company of companies) items.push({ id: company.id, name: company.name, currency: company.currency, reference: await platform.paymentReferenceOf(db, company.id) });
    return { items };
  });

  app.get('/api/v1/wallet/top-up-instructions', {
    config: { access: 'wallet:read' },
    schema: {
      operationId: 'getTopUpInstructions',
      tags: walletTags,
      summary: 'Where to send money to fund the wallet, and the reference that finds it',
      response: { 200: Type.Ref('TopUpInstructions'), ...problemResponses },
    },
  }, async (request) => platform.topUpInstructions(db, principalOf(request).companyId, config.banking.topUpAccount));

  const presentAlert = (alert: Awaited<ReturnType<typeof platform.getLowBalanceAlert>>) => ({ lowBalanceBelow: alert.below === null ? null : toMoneyJson(alert.below, alert.currency), alertedAt: alert.alertedAt ? iso(alert.alertedAt) : null });
  app.get('/api/v1/wallet/low-balance-alert', {
    config: { access: 'wallet:read' },
    schema: { operationId: 'getLowBalanceAlert', tags: walletTags, summary: 'Below which available balance the admins are alerted', response: { 200: Type.Ref('LowBalanceAlert'), ...problemResponses } },
  }, async (request) => presentAlert(await platform.getLowBalanceAlert(db, principalOf(request).companyId)));

  app.put('/api/v1/wallet/low-balance-alert', {
    config: { access: 'wallet:write' },
    schema: {
      operationId: 'setLowBalanceAlert',
      tags: walletTags,
      summary: 'Set (or, with null, remove) the low-balance alert',
      body: Type.Object({ lowBalanceBelow: nullable(Type.String({ maxLength: 32 })) }, { additionalProperties: false }),
      response: { 200: Type.Ref('LowBalanceAlert'), ...problemResponses },
    },
  }, async (request) => presentAlert(await platform.setLowBalanceAlert(db, principalOf(request).companyId, request.body.lowBalanceBelow)));
}
