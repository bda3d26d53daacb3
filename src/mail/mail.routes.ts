// HTTP for the company's outgoing e-mail: a delivery log for admins, and in development
// without an SMTP server, the outbox itself (what each message says and links to).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { composeMail } from './mail-templates.js';
import * as mail from './mail.service.js';

const OutgoingMailSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: 'invitation, password_reset, or the kind of the notification it carries' }),
    to: Type.String(),
    subject: Type.String(),
    status: Type.String({ enum: ['queued', 'sending', 'sent', 'failed'] }),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    content: Type.Union([Type.Object({ text: Type.String(), html: Type.String() }), Type.Null()], {
      description: 'What the message says, with its link: only in development without an SMTP server (the outbox stands in for the mailbox there)',
    }),
  },
  { $id: 'OutgoingMail' },
);

export function mailRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(OutgoingMailSchema);
  // The outbox is the mailbox only where nothing delivers it and no real person reads it.
  const showsContent = config.mail.smtpUrl === null && !config.production;

  app.get('/api/v1/mail', {
    config: { access: 'company:manage' },
    schema: {
      operationId: 'listOutgoingMail',
      tags: ['Company'],
      summary: 'The company\'s e-mails, newest first: to whom, what about, and whether they were delivered',
      querystring: PageQuery,
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('OutgoingMail')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...problemResponses },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await mail.listCompanyMail(db, principalOf(request), { before: page.before, limit: page.limit + 1 });
    return toPage(rows, page, (row) => ({
      id: row.id,
      kind: row.kind,
      to: row.to_address,
      subject: row.subject,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: iso(row.created_at),
      sentAt: row.sent_at ? iso(row.sent_at) : null,
      content: showsContent ? composeMail({ subject: row.subject, text: row.text_body, html: row.html_body, locale: row.locale, linkPath: row.link_path }, config.publicUrl) : null,
    }));
  });
}
