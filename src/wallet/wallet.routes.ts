import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
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

  // Top-ups are read here and never written: money enters a wallet only from a reconciled
  // statement of the top-up account (src/banking) or an operator's approved correction.
  app.get('/api/v1/wallet/top-ups', {
    config: { access: 'wallet:read' },
    schema: { operationId: 'listTopUps', tags, summary: 'Top-ups, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('TopUp')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await wallet.listTopUps(db, principalOf(request).companyId, page.before, page.limit + 1), page, presentTopUp);
  });
}
