// HTTP for accounting exports (expenses:manage): create a batch for a period and format,
// follow it, download its file. What a period holds: export-batches.service.ts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileResponse } from '../http/file-schemas.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { getExportBatch, getExportFile, listExportBatches, requestExport, type ExportBatchRow, type ExportInput } from './export-batches.service.js';
import { exportFileOf } from './export-files.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const ExportBatchSchema = Type.Object(
  {
    id: Type.String(),
    format: Type.String({ enum: ['csv', 'sie', 'datev', 'hledger'] }),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    state: Type.String({ enum: ['exporting', 'exported', 'failed'] }),
    expenseCount: Type.Integer(),
    fileName: Type.String(),
    byteSize: nullable(Type.Integer()),
    sha256: nullable(Type.String()),
    error: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: nullable(Type.String({ format: 'date-time' })),
    fileUrl: nullable(Type.String()),
  },
  { $id: 'ExportBatch' },
);

function presentBatch(row: ExportBatchRow) {
  return {
    id: row.id,
    format: row.format,
    from: row.period_from,
    to: row.period_to,
    state: row.state,
    expenseCount: row.expense_count,
    fileName: exportFileOf(row).name,
    byteSize: row.byte_size,
    sha256: row.sha256,
    error: row.error,
    createdAt: iso(row.created_at),
    finishedAt: row.finished_at ? iso(row.finished_at) : null,
    fileUrl: row.state === 'exported' ? `/api/v1/export-batches/${row.id}/file` : null,
  };
}

/** The files' media types (export-files.ts): CSV and DATEV are text/csv, SIE and hledger text/plain. */
const exportMediaTypes = ['text/csv', 'text/plain'];

export function exportsRoutes({ app: base, database: { db }, blobs, jobs }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ExportBatchSchema);
  const tags = ['Accounting export'];

  app.post('/api/v1/export-batches', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'createExportBatch',
      tags,
      summary: 'Export the approved expenses of a period, and refunds of expenses exported before; the file is written in the background',
      description: 'The period is days in the company\'s time zone and means the same in every format: the approved expenses whose day falls in it (a card purchase\'s local day; the day given for out-of-pocket, mileage and per diem) that were not exported yet, and the refunds whose own local day falls in it of card expenses exported before they came, each as a negative voucher naming its expense. A refund that came before its expense was exported is in the expense\'s amount. The hledger journal holds the same vouchers as CSV, SIE and DATEV, one entry each.',
      body: Type.Object({
        format: Type.Union(['csv', 'sie', 'datev', 'hledger'].map((format) => Type.Literal(format)), { description: 'csv: generic; sie: SIE 4 (Sweden); datev: DATEV Buchungsstapel (Germany); hledger: plain-text double-entry journal' }),
        from: Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD, in the company\'s time zone' }),
        to: Type.String({ maxLength: 10, description: 'Last day, YYYY-MM-DD, included, in the company\'s time zone' }),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('ExportBatch'), ...problemResponses },
    },
  }, async (request, reply) => {
    const batch = await requestExport({ db, jobs }, principalOf(request), request.body as ExportInput, request.now);
    return reply.status(201).send(presentBatch(batch));
  });

  app.get('/api/v1/export-batches', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'listExportBatches', tags, summary: 'Export batches, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('ExportBatch')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await listExportBatches(db, principalOf(request).companyId, page.before, page.limit + 1), page, presentBatch);
  });

  app.get('/api/v1/export-batches/:id', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'getExportBatch', tags, summary: 'One export batch', params: IdParams, response: { 200: Type.Ref('ExportBatch'), ...problemResponses } },
  }, async (request) => presentBatch(await getExportBatch(db, principalOf(request).companyId, request.params.id)));

  app.get('/api/v1/export-batches/:id/file', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'getExportFile', tags, summary: 'The exported file', params: IdParams, response: { 200: fileResponse(exportMediaTypes, 'The file in the format\'s encoding'), ...problemResponses } },
  }, async (request, reply) => {
    const file = await getExportFile({ db, blobs }, principalOf(request).companyId, request.params.id);
    return reply.type(file.mediaType).header('content-disposition', `attachment; filename="${file.name}"`).send(file.bytes);
  });
}
