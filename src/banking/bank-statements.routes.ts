// HTTP for bank statements, the same routes twice: the top-up account's for the platform's
// operators (bank:operate), and each company's own account's (wallet:read, wallet:write).
// Statement uploads are the file's raw bytes, the format told from the content.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sendRetryAfter } from '../auth/retry-after.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { fileRequestBody } from '../http/file-schemas.js';
import { IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { getStatement, listStatements } from './bank-statements.service.js';
import { presentStatement } from './bank.presenters.js';
import { acceptStatement, discardStatement } from './held-statements.service.js';
import { importUploadedStatementFile, type BankingDeps } from './statement-import.service.js';
import type { StatementAccount } from './statement-owner.js';
import { statementFileBytesMax } from './statements/limits.js';

const uploadTypes = ['application/xml', 'text/xml', 'text/plain', 'application/octet-stream'];
const FileQuery = Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const StateQuery = Type.Object({ ...PageQuery.properties, state: Type.Optional(Type.Union([Type.Literal('booked'), Type.Literal('held'), Type.Literal('discarded')])) }, { additionalProperties: false });

type StatementOperation = 'import' | 'list' | 'get' | 'accept' | 'discard';
interface StatementRouteOptions {
  prefix: string;
  access: 'bank:operate' | 'wallet:write';
  readAccess: 'bank:operate' | 'wallet:read';
  tags: string[];
  account: StatementAccount;
  operationIds: Record<StatementOperation, string>;
}

/** The import route, in a scope of its own: only it takes raw bytes; the other routes keep refusing anything but JSON. */
function importRoute(scope: FastifyInstance, deps: BankingDeps, options: StatementRouteOptions) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(uploadTypes, { parseAs: 'buffer', bodyLimit: statementFileBytesMax }, (_request, body, done) => done(null, body));
  app.post(`${options.prefix}`, {
    config: { access: options.access, swaggerTransform: fileRequestBody(uploadTypes, 'The statement file as the bank gave it') },
    bodyLimit: statementFileBytesMax,
    onError: sendRetryAfter,
    schema: {
      operationId: options.operationIds.import,
      tags: options.tags,
      summary: 'Import a bank statement file (CAMT.053 or MT940, told by content): the file\'s bytes as the body',
      description: 'Limited per importer and per company an hour: past that, 429 rate_limited with Retry-After.',
      querystring: FileQuery,
      response: { 201: Type.Ref('StatementImport'), 413: Type.Ref('Problem'), 429: Type.Ref('Problem'), ...problemResponses },
    },
  }, async (request, reply) => {
    const summary = await importUploadedStatementFile(deps, principalOf(request), options.account, { bytes: request.body as Buffer, fileName: request.query.fileName ?? null }, request.now);
    return reply.status(201).send(summary);
  });
}

function readRoutes(scope: FastifyInstance, context: AppContext, options: StatementRouteOptions) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = context.database;
  const { tags, prefix, operationIds, account } = options;

  app.get(`${prefix}`, {
    config: { access: options.readAccess },
    schema: { operationId: operationIds.list, tags, summary: 'Imported statements, newest first', querystring: StateQuery, response: { 200: Page(Type.Ref('BankStatement')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await listStatements(db, principalOf(request), account, { state: request.query.state, before: page.before, limit: page.limit + 1 }), page, (row) => presentStatement(row));
  });

  app.get(`${prefix}/:id`, {
    config: { access: options.readAccess },
    schema: { operationId: operationIds.get, tags, summary: 'One statement with its entries and what became of each', params: IdParams, response: { 200: Type.Ref('BankStatement'), ...problemResponses } },
  }, async (request) => {
    const { statement, entries, file } = await getStatement(db, principalOf(request), account, request.params.id);
    return presentStatement(statement, entries, file);
  });
}

/** Accepting or discarding a held statement. */
function decisionRoutes(scope: FastifyInstance, context: AppContext, options: StatementRouteOptions) {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = context.database;
  for (const action of ['accept', 'discard'] as const) {
    const decide = action === 'accept' ? acceptStatement : discardStatement;
    app.post(`${options.prefix}/:id/${action}`, {
      config: { access: options.access },
      schema: {
        operationId: options.operationIds[action],
        tags: options.tags,
        summary: action === 'accept' ? 'Accept a held statement as it is and reconcile its entries' : 'Discard a held statement: nothing of it is booked',
        params: IdParams,
        response: { 200: Type.Ref('BankStatement'), ...problemResponses },
      },
    }, async (request) => {
      const { statement, entries } = await decide(db, principalOf(request), options.account, request.params.id, request.now);
      return presentStatement(statement, entries);
    });
  }
}

/** The statement routes, for the platform's operators or for one company's own account. */
export function statementRoutes(scope: FastifyInstance, context: AppContext, options: StatementRouteOptions) {
  const deps: BankingDeps = { db: context.database.db, blobs: context.blobs, topUpAccount: context.config.banking.topUpAccount };
  void scope.register(async (uploadScope) => importRoute(uploadScope, deps, options));
  readRoutes(scope, context, options);
  decisionRoutes(scope, context, options);
}
