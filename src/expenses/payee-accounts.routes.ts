// HTTP for a person's own payee account: the bank account their reimbursements are paid to.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { booksTags as tags, Name, nullable } from './books.schemas.js';
import { getOwnPayeeAccount, setOwnPayeeAccount, type PayeeAccountRow } from './payee-accounts.service.js';

export const PayeeAccountSchema = Type.Object({ holderName: Type.String(), iban: Type.String(), bic: nullable(Type.String()), updatedAt: Type.String({ format: 'date-time' }) }, { $id: 'PayeeAccount' });

const presentPayee = (row: PayeeAccountRow) => ({ holderName: row.holder_name, iban: row.iban, bic: row.bic, updatedAt: iso(row.updated_at) });

export function payeeAccountsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/payee-account', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getPayeeAccount', tags, summary: 'The bank account your reimbursements are paid to', response: { 200: Type.Ref('PayeeAccount'), ...problemResponses } },
  }, async (request) => presentPayee(await getOwnPayeeAccount(db, principalOf(request))));

  app.put('/api/v1/payee-account', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'setPayeeAccount',
      tags,
      summary: 'Set the bank account your reimbursements are paid to (IBAN checked)',
      body: Type.Object({ holderName: Name(70), iban: Name(42), bic: Type.Optional(nullable(Name(11))) }, { additionalProperties: false }),
      response: { 200: Type.Ref('PayeeAccount'), ...problemResponses },
    },
  }, async (request) => presentPayee(await setOwnPayeeAccount(db, principalOf(request), request.body)));
}
