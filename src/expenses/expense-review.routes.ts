// HTTP for the review of expenses: the steps (submit, approve, reject, send back, reopen),
// comments, and the queue of what waits for a reviewer.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { commentOnExpense } from './expense-comments.service.js';
import { commentLengthMax } from './expense-fields.js';
import * as review from './expense-review.service.js';
import type { ExpenseRow } from './expenses.service.js';
import { expensePresenter, nullable, presentEvent } from './expenses.presenters.js';

const Comment = (required: boolean) =>
  Type.Object({ comment: required ? Type.String({ maxLength: commentLengthMax }) : Type.Optional(nullable(Type.String({ maxLength: commentLengthMax }))) }, { additionalProperties: false });

const Approval = Type.Object(
  {
    comment: Type.Optional(nullable(Type.String({ maxLength: commentLengthMax }))),
    stepKey: Type.Optional(Type.String({ maxLength: 40, description: 'The step being approved (review.step.key): refused if the expense moved on meanwhile, so that one approval never counts for a step its approver did not see' })),
  },
  { additionalProperties: false },
);

interface StepBody {
  comment?: string | null;
  stepKey?: string;
}

type Step = (principal: Principal, id: string, body: StepBody, now: Date) => Promise<ExpenseRow>;

export function expenseReviewRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Expenses'];

  const steps: { path: string; operationId: string; summary: string; body: ReturnType<typeof Comment> | typeof Approval | null; run: Step }[] = [
    { path: 'submit', operationId: 'submitExpense', summary: 'Submit: approved at once by policy unless flagged or the review rules ask for a reviewer; else sent to review (a sent-back expense to the reviewer who sent it back)', body: null, run: (principal, id, _body, now) => review.submitExpense(db, principal, id, now) },
    { path: 'approve', operationId: 'approveExpense', summary: 'Approve the step an expense in review waits for; the last step approves the expense (and books it)', body: Approval, run: (principal, id, body, now) => review.approveExpense(db, principal, id, body.comment, now, body.stepKey) },
    { path: 'reject', operationId: 'rejectExpense', summary: 'Reject an expense in review, saying why', body: Comment(true), run: (principal, id, body, now) => review.rejectExpense(db, principal, id, body.comment!, now) },
    { path: 'request-changes', operationId: 'requestExpenseChanges', summary: 'Send an expense back to its owner with what to change', body: Comment(true), run: (principal, id, body, now) => review.requestChanges(db, principal, id, body.comment!, now) },
    { path: 'reopen', operationId: 'reopenExpense', summary: 'Reopen a rejected expense as a draft', body: null, run: (principal, id, _body, now) => review.reopenExpense(db, principal, id, now) },
  ];
  for (const step of steps) {
    app.post(`/api/v1/expenses/:id/${step.path}`, {
      config: { access: 'signed-in' },
      schema: { operationId: step.operationId, tags, summary: step.summary, params: IdParams, ...(step.body ? { body: step.body } : {}), response: { 200: Type.Ref('Expense'), ...problemResponses } },
    }, async (request) => {
      const principal = principalOf(request);
      const moved = await step.run(principal, (request.params as { id: string }).id, (request.body as StepBody | undefined) ?? {}, request.now);
      return (await expensePresenter(db, principal, [moved]))(moved);
    });
  }

  app.post('/api/v1/expenses/:id/comments', {
    config: { access: 'signed-in' },
    schema: { operationId: 'commentOnExpense', tags, summary: 'Comment on an expense (the owner answering a reviewer, or the other way round)', params: IdParams, body: Comment(true), response: { 201: Type.Ref('ExpenseEvent'), ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentEvent(await commentOnExpense(db, principalOf(request), request.params.id, (request.body as { comment: string }).comment, request.now))));

  app.get('/api/v1/expense-reviews', {
    config: { access: 'expenses:review' },
    schema: { operationId: 'listExpenseReviews', tags, summary: 'Expenses in review you take part in, newest first; each one\'s review says which step it waits for, whom it waits for, and whether you may decide it now', querystring: PageQuery, response: { 200: Page(Type.Ref('Expense')), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const page = readPageQuery(request.query);
    const rows = await review.reviewQueue(db, principal, page.before, page.limit + 1);
    return toPage(rows, page, await expensePresenter(db, principal, rows));
  });
}
