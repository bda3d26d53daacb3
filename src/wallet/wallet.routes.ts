import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import * as wallet from './wallet.service.js';

const TopUpSchema = Type.Object(
  {
    id: Type.String(),
    amount: Type.Ref('Money'),
    bankReference: Type.String(),
    receivedOn: Type.String({ format: 'date' }),
    entryId: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'TopUp' },
);

const WalletSchema = Type.Object({ balance: Type.Ref('Money'), available: Type.Ref('Money'), reserved: Type.Ref('Money') }, { $id: 'Wallet' });

function presentTopUp(row: wallet.TopUpRow) {
  return {
    id: row.id,
    amount: toMoneyJson(row.amount, row.currency),
    bankReference: row.bank_reference,
    receivedOn: row.received_on,
    entryId: row.entry_id,
    createdAt: iso(row.created_at),
  };
}

export function walletRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(TopUpSchema);
  app.addSchema(WalletSchema);
  const tags = ['Wallet'];

  app.get('/api/v1/wallet', {
    config: { access: 'wallet:read' },
    schema: {
      operationId: 'getWallet',
      tags,
      summary: 'The company wallet: posted balance, what card holds reserve of it, and what is available',
      response: { 200: Type.Ref('Wallet'), ...problemResponses },
    },
  }, async (request) => {
    const balances = await wallet.getWallet(db, principalOf(request).companyId);
    return {
      balance: toMoneyJson(balances.balance, balances.currency),
      available: toMoneyJson(balances.available, balances.currency),
      reserved: toMoneyJson(balances.reserved, balances.currency),
    };
  });

  app.get('/api/v1/wallet/top-ups', {
    config: { access: 'wallet:read' },
    schema: { operationId: 'listTopUps', tags, summary: 'Top-ups, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('TopUp')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await wallet.listTopUps(db, principalOf(request).companyId, page.before, page.limit + 1), page, presentTopUp);
  });

  app.post('/api/v1/wallet/top-ups', {
    config: { access: 'wallet:write' },
    schema: {
      operationId: 'recordTopUp',
      tags,
      summary: 'Record a bank transfer received into the wallet (books a ledger entry)',
      body: Type.Object({
        amount: Type.String({ maxLength: 32, description: 'Decimal string, e.g. "2500.00"; numbers are refused' }),
        currency: Type.String({ maxLength: 3 }),
        bankReference: Type.String({ maxLength: 140, description: 'The bank\'s reference of the transfer; recorded once per company' }),
        receivedOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('TopUp'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const topUp = await wallet.recordTopUp(db, principal.companyId, request.body, actorOf(principal), request.now);
    return reply.status(201).send(presentTopUp(topUp));
  });
}
