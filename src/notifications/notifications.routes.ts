// HTTP for a person's own notifications.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import * as notifications from './notifications.service.js';

const NotificationSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ enum: ['receipt_wanted', 'receipt_missing', 'card_frozen_receipts', 'card_unfrozen_receipts', 'expense_to_review', 'expense_approved', 'expense_rejected', 'expense_changes_requested', 'expense_comment', 'wallet_low_balance', 'payout_executed', 'subscription_late', 'subscription_increased', 'budget_threshold'] }),
    subject: Type.Object(
      { type: Type.String(), id: Type.String() },
      { description: 'What it tells of, once (a review step, a purchase, a freeze): a second notification of its kind about the same subject is not sent' },
    ),
    link: Type.Union([
      Type.Object({ type: Type.String({ enum: ['expense', 'card_transaction', 'card', 'payout_batch', 'wallet', 'budget'] }), id: Type.String() }),
      Type.Null(),
    ], { description: 'The item a person opens from it (the app links to it); null when there is none' }),
    title: Type.String(),
    body: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Notification' },
);

function presentNotification(row: notifications.NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    subject: { type: row.subject_type, id: row.subject_id },
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
    title: row.title,
    body: row.body,
    createdAt: iso(row.created_at),
    readAt: row.read_at ? iso(row.read_at) : null,
  };
}

export function notificationsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(NotificationSchema);
  const tags = ['Notifications'];

  app.get('/api/v1/notifications', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listNotifications',
      tags,
      summary: 'Your notifications, newest first, and how many are unread',
      querystring: Type.Object({ ...PageQuery.properties, unread: Type.Optional(Type.String({ enum: ['true', 'false'] })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('Notification')), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }),
        ...problemResponses,
      },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const { items, unread } = await notifications.listMyNotifications(db, principalOf(request), { unreadOnly: request.query.unread === 'true', before: page.before, limit: page.limit + 1 });
    return { ...toPage(items, page, presentNotification), unread };
  });

  app.post('/api/v1/notifications/:id/read', {
    config: { access: 'signed-in' },
    schema: { operationId: 'markNotificationRead', tags, summary: 'Marks one of your notifications read', params: IdParams, response: { 200: Type.Ref('Notification'), ...problemResponses } },
  }, async (request) => presentNotification(await notifications.markNotificationRead(db, principalOf(request), request.params.id, request.now)));
}
