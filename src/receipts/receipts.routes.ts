// HTTP for receipts: validate, call one service function, present. Uploads are the file's
// raw bytes as the request body (what a browser's fetch of a File sends, and curl's
// --data-binary): the type is told from the content, whatever Content-Type says.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { presentCardTransaction } from '../cards/card-transactions.presenters.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileRequestBody, fileResponse } from '../http/file-schemas.js';
import { DomainError } from '../shared/errors.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { declareReceiptLost, lostNoteLengthMax } from './lost-receipts.service.js';
import { matchReceiptByHand, unmatchReceipt } from './matching-by-hand.service.js';
import { receiptMediaTypes } from './media-type.js';
import { listMissingReceipts, missingReceiptsByPerson } from './missing-receipts.service.js';
import { myForwardingAddress } from './receipt-forwarding.service.js';
import { mismatchNoteLengthMax } from './receipt-checks.js';
import { fileNameLengthMax, uploadReceipt, type ReceiptsDeps } from './receipt-intake.service.js';
import { getReceiptSettingsView, updateReceiptSettings, type ReceiptSettingsView } from './receipt-settings.service.js';
import { ForwardingAddressSchema, MissingReceiptsOfPersonSchema, presentReceipt, presentSettings, ReceiptSchema, ReceiptSettingsSchema, storedMediaTypes } from './receipts.presenters.js';
import { discardReceipt, getReceipt, getReceiptFile, listReceipts } from './receipts.service.js';

const withTypeBox = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();
type ReceiptsApp = ReturnType<typeof withTypeBox>;

const tags = ['Receipts'];
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Content types an upload may declare; the content decides what it really is. */
const uploadContentTypes = [...receiptMediaTypes, 'application/octet-stream'];

function uploadRoute(app: FastifyInstance, deps: ReceiptsDeps): void {
  const scoped = app.withTypeProvider<TypeBoxTypeProvider>();
  // Raw bodies only on this route: every other route keeps refusing anything but JSON. Here
  // JSON and text are refused too (Fastify would hand the handler an object or a string), and
  // so is any other declared type, before its body is read.
  scoped.removeAllContentTypeParsers();
  scoped.addContentTypeParser(uploadContentTypes, { parseAs: 'buffer', bodyLimit: deps.fileBytesMax }, (_request, body, done) => done(null, body));
  scoped.addContentTypeParser('*', (request, _body, done) => {
    const declared = request.headers['content-type'] ?? 'no Content-Type';
    done(new DomainError('unsupported_media_type', `send the receipt file's bytes as ${uploadContentTypes.join(', ')}, not ${declared}`), undefined);
  });
  scoped.post('/api/v1/receipts', {
    config: { access: 'signed-in', swaggerTransform: fileRequestBody(uploadContentTypes, 'The receipt file as it is') },
    bodyLimit: deps.fileBytesMax,
    onError: sendRetryAfter,
    schema: {
      operationId: 'uploadReceipt',
      tags,
      summary: 'Send a receipt: the file\'s bytes as the body (JPEG, PNG, WebP or PDF, told by content), optionally for a card transaction',
      description: `At most ${deps.fileBytesMax} bytes. Location and other metadata are removed from photos before they are stored. Reading (OCR) happens in the background: poll the receipt until reading.state is read or failed. Limited per sender and per company an hour: past that, 429 rate_limited with Retry-After.`,
      querystring: Type.Object(
        {
          transactionId: Type.Optional(Type.String({ maxLength: 40, description: 'The card transaction the receipt is for; without it Outlay finds it' })),
          userId: Type.Optional(Type.String({ maxLength: 40, description: 'Whose receipt (receipts:write); defaults to the cardholder or the caller' })),
          fileName: Type.Optional(Type.String({ maxLength: fileNameLengthMax })),
        },
        { additionalProperties: false },
      ),
      response: { 201: Type.Ref('Receipt'), 413: Type.Ref('Problem'), 415: Type.Ref('Problem'), 429: Type.Ref('Problem'), ...problemResponses },
    },
  }, async (request, reply) => {
    const row = await uploadReceipt(deps, principalOf(request), {
      bytes: request.body as Buffer,
      fileName: request.query.fileName,
      transactionId: request.query.transactionId,
      userId: request.query.userId,
    }, request.now);
    return reply.status(201).send(presentReceipt(row, new Map()));
  });
}


function receiptListRoute(app: ReceiptsApp, { db }: ReceiptsDeps): void {
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
    const page = readPageQuery(request.query);
    const { receipts, transactions } = await listReceipts(db, principalOf(request), { ...request.query, before: page.before, limit: page.limit + 1 });
    return toPage(receipts, page, (row) => presentReceipt(row, transactions));
  });
}

function missingReceiptRoutes(app: ReceiptsApp, { db }: ReceiptsDeps): void {
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
    const rows = await listMissingReceipts(db, principalOf(request), { userId: request.query.userId, before: page.before, limit: page.limit + 1 });
    return toPage(rows, page, (row) => presentCardTransaction({ ...row, receipt_state: 'missing', receipt_id: null, lost_note: null, receipt_mismatches: [], receipt_note: null }));
  });

  app.get('/api/v1/receipts/missing/by-person', {
    config: { access: 'receipts:read' },
    schema: {
      operationId: 'countMissingReceiptsByPerson',
      tags,
      summary: 'How many receipts each person is missing, and since when',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('MissingReceiptsOfPerson')) }), ...problemResponses },
    },
  }, async (request) => {
    const rows = await missingReceiptsByPerson(db, principalOf(request));
    return { items: rows.map((row) => ({ userId: row.user_id, missing: row.missing, oldestAt: iso(new Date(row.oldest)) })) };
  });
}

function forwardingAddressRoute(app: ReceiptsApp, { db }: ReceiptsDeps, { config }: AppContext): void {
  app.get('/api/v1/receipts/forwarding-address', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getForwardingAddress',
      tags,
      summary: 'Your personal address for forwarding receipts by e-mail',
      response: { 200: Type.Ref('ForwardingAddress'), ...problemResponses },
    },
  }, async (request) => {
    // Read per request: on an ephemeral port the public URL is known only once listening.
    const domain = config.smtp?.domain ?? new URL(config.publicUrl).hostname;
    return { address: await myForwardingAddress(db, principalOf(request), domain), enabled: config.smtp !== null };
  });
}

function receiptReadRoutes(app: ReceiptsApp, deps: ReceiptsDeps): void {
  app.get('/api/v1/receipts/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getReceipt', tags, summary: 'One receipt, with the text read from it', params: IdParams, response: { 200: Type.Ref('Receipt'), ...problemResponses } },
  }, async (request) => {
    const { receipts: [receipt], transactions } = await getReceipt(deps.db, principalOf(request), request.params.id);
    return presentReceipt(receipt!, transactions, { text: true });
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
      const found = await getReceiptFile(deps, principalOf(request), request.params.id, which);
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
}

function receiptChangeRoutes(app: ReceiptsApp, deps: ReceiptsDeps): void {
  app.post('/api/v1/receipts/:id/match', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'matchReceipt',
      tags,
      summary: 'Attach the receipt to a card transaction (moving it if it was attached elsewhere), or set the note of the one it is attached to',
      description: 'A receipt whose reading disagrees with the transaction (amount, date or merchant) is refused with receipt_mismatch, naming each disagreement, unless a note says why it belongs to it.',
      params: IdParams,
      body: Type.Object(
        {
          transactionId: Type.String({ maxLength: 40 }),
          note: Type.Optional(Type.String({ maxLength: mismatchNoteLengthMax, description: 'Why the receipt belongs to the transaction although it disagrees' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Ref('Receipt'), ...problemResponses },
    },
  }, async (request) => presentReceipt(await matchReceiptByHand(deps.db, principalOf(request), request.params.id, request.body.transactionId, request.body.note, request.now), new Map()));

  app.post('/api/v1/receipts/:id/unmatch', {
    config: { access: 'signed-in' },
    schema: { operationId: 'unmatchReceipt', tags, summary: 'Detach the receipt from its transaction; Outlay will not attach it again by itself', params: IdParams, response: { 200: Type.Ref('Receipt'), ...problemResponses } },
  }, async (request) => presentReceipt(await unmatchReceipt(deps.db, principalOf(request), request.params.id), new Map()));

  app.delete('/api/v1/receipts/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'discardReceipt', tags, summary: 'Discard an unmatched receipt sent by mistake', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await discardReceipt(deps, principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });
}

function lostReceiptRoute(app: ReceiptsApp, { db }: ReceiptsDeps): void {
  app.post('/api/v1/card-transactions/:id/lost-receipt', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'declareReceiptLost',
      tags,
      summary: 'Declare the receipt of a card transaction lost, with a note; a receipt sent later withdraws it',
      params: IdParams,
      body: Type.Object({ note: Type.String({ maxLength: lostNoteLengthMax }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ transactionId: Type.String(), note: Type.String(), declaredBy: Type.String(), createdAt: Type.String({ format: 'date-time' }) }), ...problemResponses },
    },
  }, async (request, reply) => {
    const lost = await declareReceiptLost(db, principalOf(request), request.params.id, request.body.note, request.now);
    return reply.status(201).send({ transactionId: lost.transaction_id, note: lost.note, declaredBy: lost.declared_by, createdAt: iso(lost.created_at) });
  });
}

const presentSettingsView = ({ settings, currency }: ReceiptSettingsView) => presentSettings(settings, currency);

function receiptSettingsRoutes(app: ReceiptsApp, { db }: ReceiptsDeps): void {
  app.get('/api/v1/receipt-settings', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getReceiptSettings', tags, summary: 'The company\'s receipt rules', response: { 200: Type.Ref('ReceiptSettings'), ...problemResponses } },
  }, async (request) => presentSettingsView(await getReceiptSettingsView(db, principalOf(request).companyId)));

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
        amountTolerance: Type.Optional(Type.Object({
          percent: Type.Optional(Type.String({ maxLength: 6, description: 'Share of the amount claimed, 0 to 25, e.g. "5"' })),
          fixed: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal in the company\'s currency, at most 1000.00 in a currency of two decimals' })),
        }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('ReceiptSettings'), ...problemResponses },
    },
  }, async (request) => presentSettingsView(await updateReceiptSettings(db, principalOf(request).companyId, request.body)));
}

export function receiptsRoutes(context: AppContext): void {
  const app = withTypeBox(context.app);
  app.addSchema(ReceiptSchema);
  app.addSchema(ReceiptSettingsSchema);
  app.addSchema(MissingReceiptsOfPersonSchema);
  app.addSchema(ForwardingAddressSchema);
  const deps: ReceiptsDeps = { db: context.database.db, blobs: context.blobs, jobs: context.jobs, fileBytesMax: context.config.receipts.fileBytesMax };

  void app.register(async (scope) => uploadRoute(scope, deps));
  receiptListRoute(app, deps);
  missingReceiptRoutes(app, deps);
  forwardingAddressRoute(app, deps, context);
  receiptReadRoutes(app, deps);
  receiptChangeRoutes(app, deps);
  lostReceiptRoute(app, deps);
  receiptSettingsRoutes(app, deps);
}
