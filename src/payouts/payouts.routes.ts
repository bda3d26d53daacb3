// HTTP for reimbursement payouts (payouts:manage): what is owed, batches, their pain.001
// file, and marking a batch paid.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Db } from '../db/database.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileResponse } from '../http/file-schemas.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { pain001Of } from './payout-file.service.js';
import { markBatchPaid } from './payout-payment.service.js';
import * as payouts from './payouts.service.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const PayoutBatchSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.String({ enum: ['created', 'paid', 'executed'], description: 'executed: the bank statement shows the payments left the account' }),
    total: Type.Ref('Money'),
    itemCount: Type.Integer(),
    messageId: Type.String({ description: 'pain.001 MsgId and PmtInfId' }),
    executionDate: Type.String({ format: 'date' }),
    createdAt: Type.String({ format: 'date-time' }),
    paidAt: nullable(Type.String({ format: 'date-time' })),
    executedAt: nullable(Type.String({ format: 'date-time' })),
    entryId: nullable(Type.String()),
    items: Type.Optional(Type.Array(Type.Object({ userId: Type.String(), amount: Type.Ref('Money'), holderName: Type.String(), iban: Type.String(), endToEndId: Type.String() }))),
  },
  { $id: 'PayoutBatch' },
);

const AmountOwedSchema = Type.Object(
  { userId: Type.String(), amount: Type.Ref('Money'), expenseCount: Type.Integer(), hasPayeeAccount: Type.Boolean({ description: 'Whether the person has a bank account on file to be paid to' }) },
  { $id: 'AmountOwed' },
);

const PayoutBatchCreatedSchema = Type.Object(
  { batch: Type.Ref('PayoutBatch'), skipped: Type.Array(Type.Object({ userId: Type.String(), amount: Type.Ref('Money') }), { description: 'People owed money who have no bank account on file' }) },
  { $id: 'PayoutBatchCreated' },
);

function presentBatch(row: payouts.PayoutBatchRow, items?: payouts.PayoutItemRow[]) {
  return {
    id: row.id,
    state: row.state,
    total: toMoneyJson(row.total, row.currency),
    itemCount: row.item_count,
    messageId: row.message_id,
    executionDate: row.execution_date,
    createdAt: iso(row.created_at),
    paidAt: row.paid_at ? iso(row.paid_at) : null,
    executedAt: row.executed_at ? iso(row.executed_at) : null,
    entryId: row.entry_id,
    ...(items ? { items: items.map((item) => ({ userId: item.user_id, amount: toMoneyJson(item.amount, row.currency), holderName: item.holder_name, iban: item.iban, endToEndId: item.end_to_end_id })) } : {}),
  };
}

const tags = ['Reimbursements'];

function owedRoutes(base: FastifyInstance, db: Db): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/payouts/owed', {
    config: { access: 'payouts:manage' },
    schema: {
      operationId: 'listAmountsOwed',
      tags,
      summary: 'What the company owes each person for approved expenses',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('AmountOwed')) }), ...problemResponses },
    },
  }, async (request) => {
    const owed = await payouts.listOwed(db, principalOf(request).companyId);
    return { items: owed.items.map((row) => ({ userId: row.user_id, amount: toMoneyJson(row.amount, owed.currency), expenseCount: row.expense_count, hasPayeeAccount: row.hasPayeeAccount })) };
  });
}

function batchRoutes(base: FastifyInstance, db: Db): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/payout-batches', {
    config: { access: 'payouts:manage' },
    schema: {
      operationId: 'createPayoutBatch',
      tags,
      summary: 'Gather everything owed (to people with a bank account on file) into a payout batch',
      body: Type.Object({ executionDate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, today by default' })) }, { additionalProperties: false }),
      response: { 201: Type.Ref('PayoutBatchCreated'), ...problemResponses },
    },
  }, async (request, reply) => {
    const created = await payouts.createPayoutBatch(db, principalOf(request), request.body ?? {}, request.now);
    return reply.status(201).send({ batch: presentBatch(created.batch, created.items), skipped: created.skipped.map((row) => ({ userId: row.userId, amount: toMoneyJson(row.amount, created.batch.currency) })) });
  });

  app.get('/api/v1/payout-batches', {
    config: { access: 'payouts:manage' },
    schema: { operationId: 'listPayoutBatches', tags, summary: 'Payout batches, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('PayoutBatch')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await payouts.listBatches(db, principalOf(request).companyId, page.before, page.limit + 1), page, (row) => presentBatch(row));
  });

  app.get('/api/v1/payout-batches/:id', {
    config: { access: 'payouts:manage' },
    schema: { operationId: 'getPayoutBatch', tags, summary: 'One payout batch with its credit transfers', params: IdParams, response: { 200: Type.Ref('PayoutBatch'), ...problemResponses } },
  }, async (request) => {
    const { batch, items } = await payouts.getBatchWithItems(db, principalOf(request).companyId, request.params.id);
    return presentBatch(batch, items);
  });
}

/** The batch's file for the bank, and marking it paid once sent. */
function batchPaymentRoutes(base: FastifyInstance, db: Db): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/payout-batches/:id/pain001', {
    config: { access: 'payouts:manage' },
    schema: { operationId: 'getPayoutBatchPain001', tags, summary: 'The batch as a SEPA credit transfer file (pain.001.001.03) for the company\'s bank', params: IdParams, response: { 200: fileResponse(['application/xml'], 'A pain.001.001.03 XML document'), ...problemResponses } },
  }, async (request, reply) => {
    const { batch, xml } = await pain001Of(db, principalOf(request).companyId, request.params.id, request.now);
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${batch.id}.pain001.xml"`).send(xml);
  });

  app.post('/api/v1/payout-batches/:id/paid', {
    config: { access: 'payouts:manage' },
    schema: { operationId: 'markPayoutBatchPaid', tags, summary: 'Mark the batch paid: books the payments; a batch is paid once', params: IdParams, response: { 200: Type.Ref('PayoutBatch'), ...problemResponses } },
  }, async (request) => presentBatch(await markBatchPaid(db, principalOf(request), request.params.id, request.now)));
}

export function payoutsRoutes({ app, database: { db } }: AppContext): void {
  for (const schema of [PayoutBatchSchema, AmountOwedSchema, PayoutBatchCreatedSchema]) app.addSchema(schema);
  owedRoutes(app, db);
  batchRoutes(app, db);
  batchPaymentRoutes(app, db);
}
