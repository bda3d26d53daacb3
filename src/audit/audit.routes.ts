// HTTP for the audit trail: who changed what, newest first, for admins (audit:read).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { csvRowsMax, sendCsv, writeCsv, type CsvColumn } from '../http/csv-download.js';
import { FormatQuery } from '../http/list-query.js';
import { DomainError } from '../shared/errors.js';
import { iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { listAuditTrail, type AuditEntry, type AuditReaders } from './audit-trail.js';

const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    action: Type.String({ description: 'What happened, e.g. company.updated, card.revealed, review_rules.replaced' }),
    actor: Type.Object({
      type: Type.String({ enum: ['user', 'api_key', 'system'] }),
      id: Type.Union([Type.String(), Type.Null()]),
      name: Type.String({ description: 'The person\'s name, "API key <its name>", or "Outlay" for the system' }),
    }),
    subject: Type.Object({ type: Type.String(), id: Type.String(), label: Type.String({ description: 'e.g. "Person Emma Seller", "The company", "Card card_01…"' }) }),
    details: Type.Object({}, { additionalProperties: true, description: 'What changed; company.updated gives each field as { from, to }' }),
    origin: Type.Union([Type.Object({ ip: Type.String(), userAgent: Type.Union([Type.String(), Type.Null()]) }), Type.Null()], {
      description: 'Where the change came from: the client\'s address (behind a trusted proxy, the address it names) and user agent; null for Outlay\'s own work',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AuditEvent' },
);

const AuditQuery = Type.Object({
  ...PageQuery.properties,
  actorId: Type.Optional(Type.String({ maxLength: 40, description: 'A person\'s or an API key\'s id' })),
  action: Type.Optional(Type.String({ maxLength: 100 })),
  subjectType: Type.Optional(Type.String({ maxLength: 40 })),
  subjectId: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'On or after this calendar date in the company\'s time zone' })),
  to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'On or before this calendar date in the company\'s time zone' })),
  format: FormatQuery,
}, { additionalProperties: false });

function presentAuditEvent({ row, actorName, subjectLabel }: AuditEntry) {
  return {
    id: row.id,
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id, name: actorName },
    subject: { type: row.subject_type, id: row.subject_id, label: subjectLabel },
    details: row.details as Record<string, unknown>,
    origin: row.ip === null ? null : { ip: row.ip, userAgent: row.user_agent },
    createdAt: iso(row.created_at),
  };
}

const auditCsvColumns: CsvColumn<AuditEntry>[] = [
  { header: 'event_id', cell: (entry) => entry.row.id },
  { header: 'at', cell: (entry) => iso(entry.row.created_at) },
  { header: 'action', cell: (entry) => entry.row.action },
  { header: 'actor', cell: (entry) => entry.actorName },
  { header: 'actor_id', cell: (entry) => entry.row.actor_id },
  { header: 'subject', cell: (entry) => entry.subjectLabel },
  { header: 'subject_type', cell: (entry) => entry.row.subject_type },
  { header: 'subject_id', cell: (entry) => entry.row.subject_id },
  { header: 'details', cell: (entry) => JSON.stringify(entry.row.details) },
  { header: 'ip', cell: (entry) => entry.row.ip },
  { header: 'user_agent', cell: (entry) => entry.row.user_agent },
];

export function auditRoutes({ app: base, database: { db } }: AppContext, readers: AuditReaders): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(AuditEventSchema);
  app.get('/api/v1/audit-events', {
    config: { access: 'audit:read' },
    schema: {
      operationId: 'listAuditEvents',
      tags: ['Audit'],
      summary: 'The audit trail, newest first, with the actor\'s name and a readable subject; format=csv downloads the whole filtered trail (refused beyond the CSV maximum)',
      querystring: AuditQuery,
      response: { 200: Page(Type.Ref('AuditEvent')), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { format, ...query } = request.query;
    if (format === 'csv') {
      // Like the other lists: a trail longer than one download is refused, never cut short.
      const entries = await listAuditTrail(db, principal, readers, { ...query, before: undefined, limit: csvRowsMax + 1 });
      if (entries.length > csvRowsMax) throw new DomainError('validation_failed', `the trail has more than ${csvRowsMax} events; narrow it (dates, action, actor) to download it`, 'format');
      return sendCsv(reply, 'audit-events.csv', writeCsv(auditCsvColumns, entries));
    }
    const page = readPageQuery(query);
    const entries = await listAuditTrail(db, principal, readers, { ...query, before: page.before, limit: page.limit + 1 });
    return toPage(entries.map((entry) => ({ ...entry, id: entry.row.id })), page, presentAuditEvent);
  });
}
