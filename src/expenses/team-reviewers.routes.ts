// HTTP for team reviewers: everyone reads who reviews whom, expenses:manage sets it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, problemResponses } from '../http/schemas.js';
import { booksTags as tags, list } from './books.schemas.js';
import { listTeamReviewers, reviewersPerTeamMax, setTeamReviewers } from './team-reviewers.service.js';

export const TeamReviewerSchema = Type.Object({ teamId: Type.String(), userId: Type.String() }, { $id: 'TeamReviewer' });

export function teamReviewersRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/team-reviewers', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTeamReviewers', tags, summary: 'Who reviews each team\'s expenses (a team without: any reviewer)', response: { 200: list(Type.Ref('TeamReviewer')), ...problemResponses } },
  }, async (request) => ({ items: (await listTeamReviewers(db, principalOf(request).companyId)).map((row) => ({ teamId: row.team_id, userId: row.user_id })) }));

  app.put('/api/v1/team-reviewers/:id', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'setTeamReviewers',
      tags,
      summary: 'Set the reviewers of a team (the id is the team\'s)',
      params: IdParams,
      body: Type.Object({ userIds: Type.Array(Type.String({ maxLength: 40 }), { maxItems: reviewersPerTeamMax }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ teamId: Type.String(), userIds: Type.Array(Type.String()) }), ...problemResponses },
    },
  }, async (request) => ({ teamId: request.params.id, userIds: await setTeamReviewers(db, principalOf(request).companyId, request.params.id, request.body.userIds) }));
}
