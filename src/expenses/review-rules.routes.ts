// HTTP for a company's review rules: whether policy approves an expense without flags, the
// ordered approval steps, and each team's budget owner. Everyone reads them (to know who will
// approve their expense); expenses:manage replaces them whole.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { booksTags as tags, Name, nullable } from './books.schemas.js';
import { approverKinds } from './review-rules.js';
import { replaceReviewRules, reviewRulesOf, reviewStepsMax, stepNameLengthMax, teamsPerStepMax, type ReviewRulesView } from './review-rules.service.js';

/** Budget owners one request names, at most: one a team. */
const budgetOwnersMax = 500;

const approverDescription = 'team_reviewer: a reviewer of the person\'s team (admins may step in); any_reviewer: anyone who reviews; budget_owner: the team\'s budget owner (none: an admin); admin: an admin';
const Approver = Type.String({ enum: [...approverKinds], description: approverDescription });
const ApproverInput = Type.Union(approverKinds.map((kind) => Type.Literal(kind)), { description: approverDescription });

export const ReviewRulesSchema = Type.Object(
  {
    policyApproves: Type.Boolean({ description: 'An expense without flags is approved when submitted, unless a step above an amount applies to it' }),
    steps: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        amountAbove: nullable(Type.Ref('Money', { description: 'The step applies to expenses above this; null: to any amount' })),
        teamIds: nullable(Type.Array(Type.String(), { description: 'The step applies to expenses of people in these teams; null: of anyone' })),
        approver: Approver,
      }),
      { description: 'In order: an expense in review waits for each step that applies to it in turn; when none applies, for a reviewer of the person\'s team' },
    ),
    budgetOwners: Type.Array(Type.Object({ teamId: Type.String(), userId: Type.String() })),
    updatedAt: nullable(Type.String({ format: 'date-time', description: 'Null: the company has the defaults' })),
  },
  { $id: 'ReviewRules' },
);

const ReviewRulesInput = Type.Object(
  {
    policyApproves: Type.Boolean(),
    steps: Type.Array(
      Type.Object(
        {
          id: Type.Optional(nullable(Type.String({ maxLength: 40, description: 'Of a step kept from the rules read; a new step has none' }))),
          name: Name(stepNameLengthMax),
          amountAbove: Type.Optional(nullable(Name(32))),
          teamIds: Type.Optional(nullable(Type.Array(Type.String({ maxLength: 40 }), { maxItems: teamsPerStepMax }))),
          approver: ApproverInput,
        },
        { additionalProperties: false },
      ),
      { maxItems: reviewStepsMax },
    ),
    budgetOwners: Type.Array(Type.Object({ teamId: Type.String({ maxLength: 40 }), userId: Type.String({ maxLength: 40 }) }, { additionalProperties: false }), { maxItems: budgetOwnersMax }),
  },
  { additionalProperties: false },
);

function presentRules({ rules, budgetOwners, currency, updatedAt }: ReviewRulesView) {
  return {
    policyApproves: rules.policyApproves,
    steps: rules.steps.map((step) => ({
      id: step.key,
      name: step.name,
      amountAbove: step.amountAbove === null ? null : toMoneyJson(step.amountAbove, currency),
      teamIds: step.teamIds ? [...step.teamIds] : null,
      approver: step.approver,
    })),
    budgetOwners,
    updatedAt: updatedAt ? iso(updatedAt) : null,
  };
}

export function reviewRulesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/review-rules', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getReviewRules', tags, summary: 'The company\'s review rules: whether policy approves expenses without flags, the approval steps, and the teams\' budget owners', response: { 200: Type.Ref('ReviewRules'), ...problemResponses } },
  }, async (request) => presentRules(await reviewRulesOf(db, principalOf(request).companyId)));

  app.put('/api/v1/review-rules', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'replaceReviewRules',
      tags,
      summary: 'Replace the review rules; expenses already in review keep the steps they took',
      body: ReviewRulesInput,
      response: { 200: Type.Ref('ReviewRules'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentRules(await replaceReviewRules(db, principal.companyId, request.body, actorOf(principal)));
  });
}
