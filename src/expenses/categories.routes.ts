// HTTP for the chart of accounts: everyone reads it, expenses:manage changes it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, problemResponses } from '../http/schemas.js';
import { booksTags as tags, list, Name, nullable } from './books.schemas.js';
import { createCategory, listCategories, updateCategory, type CategoryRow } from './categories.service.js';

export const CategorySchema = Type.Object(
  { id: Type.String(), accountCode: Type.String(), name: Type.String(), allowedTeamIds: nullable(Type.Array(Type.String())), active: Type.Boolean() },
  { $id: 'ExpenseCategory' },
);

const TeamIds = Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 });

const presentCategory = (row: CategoryRow) => ({ id: row.id, accountCode: row.account_code, name: row.name, allowedTeamIds: row.allowed_team_ids, active: row.active });

export function categoriesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/expense-categories', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listExpenseCategories', tags, summary: 'The chart of accounts expenses are categorised with', response: { 200: list(Type.Ref('ExpenseCategory')), ...problemResponses } },
  }, async (request) => ({ items: (await listCategories(db, principalOf(request).companyId)).map(presentCategory) }));

  app.post('/api/v1/expense-categories', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'createExpenseCategory',
      tags,
      summary: 'Add an account to the chart',
      body: Type.Object({ accountCode: Name(10), name: Name(100), allowedTeamIds: Type.Optional(nullable(TeamIds)) }, { additionalProperties: false }),
      response: { 201: Type.Ref('ExpenseCategory'), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(presentCategory(await createCategory(db, principalOf(request).companyId, request.body))));

  app.patch('/api/v1/expense-categories/:id', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'updateExpenseCategory',
      tags,
      summary: 'Rename, limit to teams, or retire an account of the chart',
      params: IdParams,
      body: Type.Object({ name: Type.Optional(Name(100)), allowedTeamIds: Type.Optional(nullable(TeamIds)), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Ref('ExpenseCategory'), ...problemResponses },
    },
  }, async (request) => presentCategory(await updateCategory(db, principalOf(request).companyId, request.params.id, request.body)));
}
