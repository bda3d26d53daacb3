// HTTP for wallet corrections (bank:operate): an operator proposes one, another approves it,
// and the approval books it. Companies have no route that creates money.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/database.js';
import { principalOf } from '../http/authenticate.js';
import { iso, IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import type { CorrectionRow } from '../wallet/wallet-corrections.service.js';
import { correctionReasonLengthMax } from '../wallet/wallet-corrections.service.js';
import { nullable } from './bank.presenters.js';
import { approveWalletCorrection, listWalletCorrections, proposeWalletCorrection } from './wallet-corrections.operator.js';

export const WalletCorrectionSchema = Type.Object(
  {
    id: Type.String(),
    companyId: Type.String(),
    amount: Type.Ref('Money', { description: 'Signed: positive credits the wallet, negative debits it' }),
    reason: Type.String(),
    state: Type.Union([Type.Literal('proposed'), Type.Literal('approved')]),
    proposedBy: Type.String({ description: 'The operator who proposed it' }),
    proposedAt: Type.String({ format: 'date-time' }),
    approvedBy: nullable(Type.String({ description: 'Another operator, who approved it' })),
    approvedAt: nullable(Type.String({ format: 'date-time' })),
    entryId: nullable(Type.String({ description: 'The journal entry the approval booked' })),
  },
  { $id: 'WalletCorrection' },
);

function presentCorrection(row: CorrectionRow) {
  return {
    id: row.id,
    companyId: row.company_id,
    amount: toMoneyJson(row.amount, row.currency),
    reason: row.reason,
    state: row.state,
    proposedBy: row.proposed_by,
    proposedAt: iso(row.proposed_at),
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? iso(row.approved_at) : null,
    entryId: row.entry_id,
  };
}

export function walletCorrectionRoutes(base: FastifyInstance, db: Db, tags: string[]): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(WalletCorrectionSchema);

  app.get('/api/v1/bank/wallet-corrections', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'listWalletCorrections',
      tags,
      summary: 'Corrections of companies\' wallets, newest first: those waiting for a second operator, and those booked',
      querystring: Type.Object({ ...PageQuery.properties, state: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('approved')])) }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('WalletCorrection')), ...problemResponses },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await listWalletCorrections(db, principalOf(request), { state: request.query.state, before: page.before, limit: page.limit + 1 });
    return toPage(rows, page, presentCorrection);
  });

  app.post('/api/v1/bank/wallet-corrections', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'proposeWalletCorrection',
      tags,
      summary: 'Propose a correction of a company\'s wallet; nothing moves until another operator approves it',
      body: Type.Object({
        companyId: Type.String({ maxLength: 40 }),
        amount: Type.String({ maxLength: 33, description: 'Signed decimal string in the wallet\'s currency: "250.00" credits the wallet, "-250.00" debits it' }),
        reason: Type.String({ maxLength: correctionReasonLengthMax, description: 'What went wrong, and where the evidence is' }),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('WalletCorrection'), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(presentCorrection(await proposeWalletCorrection(db, principalOf(request), request.body, request.now))));

  app.post('/api/v1/bank/wallet-corrections/:id/approve', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'approveWalletCorrection',
      tags,
      summary: 'Approve a correction another operator proposed, booking it as a balanced journal entry (403 for its proposer)',
      params: IdParams,
      response: { 200: Type.Ref('WalletCorrection'), ...problemResponses },
    },
  }, async (request) => presentCorrection(await approveWalletCorrection(db, principalOf(request), request.params.id, request.now)));
}
