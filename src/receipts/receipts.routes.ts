// HTTP for receipts: validate, call one service function, present. Uploads are the file's
// raw bytes as the request body (what a browser's fetch of a File sends, and curl's
// --data-binary): the type is told from the content, whatever Content-Type says.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { presentCardTransaction } from '../cards/card-transactions.presenters.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileRequestBody, fileResponse } from '../http/file-schemas.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { receiptMediaTypes } from './media-type.js';
import type { CardTransactionRow } from './receipts.repository.js';
import * as receipts from './receipts.service.js';

/** What a stored receipt is: an upload's type, or the text of an e-mail that had no file. */
const storedMediaTypes = [...receiptMediaTypes, 'text/plain'];
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Confidence = Type.Number({ minimum: 0, maximum: 1 });

const ReceiptSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    source: Type.String({ enum: ['upload', 'email', 'api', 'demo'] }),
    mediaType: Type.String({ enum: storedMediaTypes }),
    fileName: nullable(Type.String()),
    byteSize: Type.Integer(),
    email: nullable(Type.Object({ from: nullable(Type.String()), subject: nullable(Type.String()) })),
    reading: Type.Object({
      state: Type.String({ enum: ['queued', 'reading', 'read', 'failed'] }),
      error: nullable(Type.String()),
      source: nullable(Type.String({ enum: ['image', 'pdf_text', 'pdf_scan', 'text'] })),
      readAt: nullable(Type.String({ format: 'date-time' })),
    }),
    fields: Type.Object(
      {
        merchant: nullable(Type.String()),
        date: nullable(Type.String({ format: 'date' })),
        total: nullable(Type.String({ description: 'As printed, a decimal string' })),
        currency: nullable(Type.String()),
        vat: nullable(Type.String()),
      },
      { description: 'What was read; null where the print was not clear enough to be sure' },
    ),
    confidence: Type.Object({ merchant: Confidence, date: Confidence, total: Confidence, currency: Confidence, vat: Confidence }),
    text: Type.Optional(nullable(Type.String({ description: 'The text read from the receipt (single receipt only)' }))),
    match: Type.Object({
      state: Type.String({ enum: ['unmatched', 'suggested', 'matched'] }),
      transactionId: nullable(Type.String()),
      expenseId: nullable(Type.String({ description: 'The out-of-pocket expense the receipt belongs to' })),
      by: nullable(Type.String({ enum: ['auto', 'user'] })),
      at: nullable(Type.String({ format: 'date-time' })),
      suggestions: Type.Array(
        Type.Object({
          transactionId: Type.String(),
          score: Type.Number(),
          reasons: Type.Array(Type.String()),
          transaction: nullable(Type.Object({ merchant: Type.String(), amount: Type.Ref('Money'), occurredAt: Type.String({ format: 'date-time' }) })),
        }),
      ),
    }),
    duplicate: nullable(Type.Object({ of: Type.String(), reason: Type.String({ enum: ['same_file', 'same_content'] }) })),
    fileUrl: Type.String(),
    thumbnailUrl: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Receipt' },
);

const ReceiptSettingsSchema = Type.Object(
  {
    requiredAbove: Type.Ref('Money', { description: 'Purchases at or below this need no receipt' }),
    reminderAfterDays: Type.Integer(),
    freezeAfterDays: nullable(Type.Integer({ description: 'Cards are frozen while a receipt is overdue this long; null: never' })),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ReceiptSettings' },
);

const confidenceOf = (stored: Record<string, unknown>) => {
  const read = (field: string) => (typeof stored[field] === 'number' ? (stored[field] as number) : 0);
  return { merchant: read('merchant'), date: read('date'), total: read('total'), currency: read('currency'), vat: read('vat') };
};

interface StoredSuggestion {
  transactionId: string;
  score: number;
  reasons: string[];
}

function presentReceipt(row: receipts.ReceiptRow, transactions: Map<string, CardTransactionRow>, options: { text?: boolean } = {}) {
  return {
    id: row.id,
    userId: row.user_id,
    source: row.source,
    mediaType: row.media_type,
    fileName: row.file_name,
    byteSize: row.byte_size,
    email: row.source === 'email' ? { from: row.email_from, subject: row.email_subject } : null,
    reading: { state: row.read_state, error: row.read_error, source: row.read_source, readAt: row.read_at ? iso(row.read_at) : null },
    fields: { merchant: row.merchant, date: row.purchase_date, total: row.total_amount, currency: row.currency, vat: row.vat_amount },
    confidence: confidenceOf(row.confidence),
    ...(options.text ? { text: row.ocr_text } : {}),
    match: {
      state: row.match_state,
      transactionId: row.transaction_id,
      expenseId: row.expense_id,
      by: row.matched_by,
      at: row.matched_at ? iso(row.matched_at) : null,
      suggestions: (row.suggestions as StoredSuggestion[]).map((suggestion) => {
        const transaction = transactions.get(suggestion.transactionId);
        return {
          ...suggestion,
          transaction: transaction
            ? { merchant: transaction.merchant_name, amount: toMoneyJson(transaction.settled_amount ?? transaction.wallet_amount, transaction.wallet_currency), occurredAt: iso(transaction.occurred_at) }
            : null,
        };
      }),
    },
    duplicate: row.duplicate_of && row.duplicate_reason ? { of: row.duplicate_of, reason: row.duplicate_reason } : null,
    fileUrl: `/api/v1/receipts/${row.id}/file`,
    thumbnailUrl: row.thumbnail_key ? `/api/v1/receipts/${row.id}/thumbnail` : null,
    createdAt: iso(row.created_at),
  };
}

function presentSettings(row: receipts.ReceiptSettingsRow, currency: string) {
  return {
    requiredAbove: toMoneyJson(row.required_above, currency),
    reminderAfterDays: row.reminder_after_days,
    freezeAfterDays: row.freeze_after_days,
    updatedAt: iso(row.updated_at),
  };
}

/** Content types an upload may declare; the content decides what it really is. */
const uploadContentTypes = [...receiptMediaTypes, 'application/octet-stream'];

function uploadRoute(app: FastifyInstance, deps: receipts.ReceiptsDeps, tags: string[]): void {
  const scoped = app.withTypeProvider<TypeBoxTypeProvider>();
  // Raw bodies only on this route: every other route keeps refusing anything but JSON.
  scoped.addContentTypeParser(uploadContentTypes, { parseAs: 'buffer', bodyLimit: deps.fileBytesMax }, (_request, body, done) => done(null, body));
  scoped.post('/api/v1/receipts', {
    config: { access: 'signed-in', swaggerTransform: fileRequestBody(uploadContentTypes, 'The receipt file as it is') },
    bodyLimit: deps.fileBytesMax,
    schema: {
      operationId: 'uploadReceipt',
      tags,
      summary: 'Send a receipt: the file\'s bytes as the body (JPEG, PNG, WebP or PDF, told by content), optionally for a card transaction',
      description: `At most ${deps.fileBytesMax} bytes. Location and other metadata are removed from photos before they are stored. Reading (OCR) happens in the background: poll the receipt until reading.state is read or failed.`,
      querystring: Type.Object(
        {
          transactionId: Type.Optional(Type.String({ maxLength: 40, description: 'The card transaction the receipt is for; without it Outlay finds it' })),
          userId: Type.Optional(Type.String({ maxLength: 40, description: 'Whose receipt (receipts:write); defaults to the cardholder or the caller' })),
          fileName: Type.Optional(Type.String({ maxLength: receipts.fileNameLengthMax })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Ref('Receipt'), 413: Type.Ref('Problem'), 415: Type.Ref('Problem'), ...problemResponses },
    },
  }, async (request, reply) => {
    const row = await receipts.uploadReceipt(deps, principalOf(request), {
      bytes: request.body as Buffer,
      fileName: request.query.fileName,
      transactionId: request.query.transactionId,
      userId: request.query.userId,
    });
    return reply.status(201).send(presentReceipt(row, new Map()));
  });
}

export function receiptsRoutes({ app: base, database: { db }, config, blobs, jobs }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ReceiptSchema);
  app.addSchema(ReceiptSettingsSchema);
  const tags = ['Receipts'];
  const deps: receipts.ReceiptsDeps = { db, blobs, jobs, fileBytesMax: config.receipts.fileBytesMax };

  void app.register(async (scope) => uploadRoute(scope, deps, tags));

  app.get('/api/v1/receipts', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listReceipts',
      tags,
      summary: 'Receipts, newest first: your own, or everyone\'s with receipts:read',
      querystring: Type.Object({
        ...PageQuery.properties,
        userId: Type.Optional(Type.String({ maxLength: 40 })),
        matchState: Type.Optional(Type.Union([Type.Literal('unmatched'), Type.Literal('suggested'), Type.Literal('matched')])),
        transactionId: Type.Optional(Type.String({ maxLength: 40 })),
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Receipt')), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const page = readPageQuery(request.query);
    const rows = await receipts.listReceipts(db, principal, { ...request.query, before: page.before, limit: page.limit + 1 });
    const transactions = await receipts.suggestedTransactions(db, principal.companyId, rows);
    return toPage(rows, page, (row) => presentReceipt(row, transactions));
  });

  app.get('/api/v1/receipts/missing', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listMissingReceipts',
      tags,
      summary: 'Card purchases still missing their receipt, newest first: yours, or anyone\'s with receipts:read',
      querystring: Type.Object({ ...PageQuery.properties, userId: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('CardTransaction')), ...problemResponses },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await receipts.listMissingReceipts(db, principalOf(request), { userId: request.query.userId, before: page.before, limit: page.limit + 1 });
    return toPage(rows, page, (row) => presentCardTransaction({ ...row, receipt_state: 'missing', receipt_id: null, lost_note: null }));
  });

  app.get('/api/v1/receipts/missing/by-person', {
    config: { access: 'receipts:read' },
    schema: {
      operationId: 'countMissingReceiptsByPerson',
      tags,
      summary: 'How many receipts each person is missing, and since when',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ userId: Type.String(), missing: Type.Integer(), oldestAt: Type.String({ format: 'date-time' }) })) }), ...problemResponses },
    },
  }, async (request) => {
    const rows = await receipts.missingReceiptsByPerson(db, principalOf(request));
    return { items: rows.map((row) => ({ userId: row.user_id, missing: row.missing, oldestAt: iso(new Date(row.oldest)) })) };
  });

  app.get('/api/v1/receipts/forwarding-address', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getForwardingAddress',
      tags,
      summary: 'Your personal address for forwarding receipts by e-mail',
      response: { 200: Type.Object({ address: Type.String(), enabled: Type.Boolean({ description: 'false when this installation receives no e-mail' }) }), ...problemResponses },
    },
  }, async (request) => {
    const token = await receipts.myForwardingToken(db, principalOf(request));
    const domain = config.smtp?.domain ?? new URL(config.publicUrl).hostname;
    return { address: `receipts+${token}@${domain}`, enabled: config.smtp !== null };
  });

  app.get('/api/v1/receipts/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getReceipt', tags, summary: 'One receipt, with the text read from it', params: IdParams, response: { 200: Type.Ref('Receipt'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const row = await receipts.getReceipt(db, principal, request.params.id);
    return presentReceipt(row, await receipts.suggestedTransactions(db, principal.companyId, [row]), { text: true });
  });

  for (const which of ['file', 'thumbnail'] as const) {
    app.get(`/api/v1/receipts/:id/${which}`, {
      config: { access: 'signed-in' },
      schema: {
        operationId: which === 'file' ? 'getReceiptFile' : 'getReceiptThumbnail',
        tags,
        summary: which === 'file' ? 'The receipt as stored (photos without their metadata)' : 'A small JPEG of a photo receipt, for lists',
        params: IdParams,
        response: { 200: which === 'file' ? fileResponse(storedMediaTypes, 'The file') : fileResponse(['image/jpeg'], 'The thumbnail'), ...problemResponses },
      },
    }, async (request, reply) => {
      const found = await receipts.getReceiptFile(deps, principalOf(request), request.params.id, which);
      const type = found.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : found.mediaType;
      const name = (found.receipt.file_name ?? `${found.receipt.id}`).replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type(type)
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', `inline; filename="${name}"`)
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .send(found.bytes);
    });
  }

  app.post('/api/v1/receipts/:id/match', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'matchReceipt',
      tags,
      summary: 'Attach the receipt to a card transaction (moving it if it was attached elsewhere)',
      params: IdParams,
      body: Type.Object({ transactionId: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Receipt'), ...problemResponses },
    },
  }, async (request) => presentReceipt(await receipts.matchReceiptByHand(db, principalOf(request), request.params.id, request.body.transactionId), new Map()));

  app.post('/api/v1/receipts/:id/unmatch', {
    config: { access: 'signed-in' },
    schema: { operationId: 'unmatchReceipt', tags, summary: 'Detach the receipt from its transaction; Outlay will not attach it again by itself', params: IdParams, response: { 200: Type.Ref('Receipt'), ...problemResponses } },
  }, async (request) => presentReceipt(await receipts.unmatchReceipt(db, principalOf(request), request.params.id), new Map()));

  app.delete('/api/v1/receipts/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'discardReceipt', tags, summary: 'Discard an unmatched receipt sent by mistake', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await receipts.discardReceipt(deps, principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/card-transactions/:id/lost-receipt', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'declareReceiptLost',
      tags,
      summary: 'Declare the receipt of a card transaction lost, with a note; a receipt sent later withdraws it',
      params: IdParams,
      body: Type.Object({ note: Type.String({ maxLength: receipts.lostNoteLengthMax }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ transactionId: Type.String(), note: Type.String(), declaredBy: Type.String(), createdAt: Type.String({ format: 'date-time' }) }), ...problemResponses },
    },
  }, async (request, reply) => {
    const lost = await receipts.declareReceiptLost(db, principalOf(request), request.params.id, request.body.note);
    return reply.status(201).send({ transactionId: lost.transaction_id, note: lost.note, declaredBy: lost.declared_by, createdAt: iso(lost.created_at) });
  });

  app.get('/api/v1/receipt-settings', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getReceiptSettings', tags, summary: 'The company\'s receipt rules', response: { 200: Type.Ref('ReceiptSettings'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const { settings, currency } = await receipts.getReceiptSettingsView(db, principal.companyId);
    return presentSettings(settings, currency);
  });

  app.patch('/api/v1/receipt-settings', {
    config: { access: 'receipts:manage' },
    schema: {
      operationId: 'updateReceiptSettings',
      tags,
      summary: 'Change the company\'s receipt rules',
      body: Type.Object({
        requiredAbove: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal in the wallet\'s currency; "0.00": every purchase' })),
        reminderAfterDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
        freezeAfterDays: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 365 }))),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('ReceiptSettings'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    await receipts.updateReceiptSettings(db, principal.companyId, request.body);
    const { settings, currency } = await receipts.getReceiptSettingsView(db, principal.companyId);
    return presentSettings(settings, currency);
  });
}
