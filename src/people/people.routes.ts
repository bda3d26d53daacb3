// HTTP for people and teams: validate, authorise, call one service function, present.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { operatorRole, roles } from '../auth/permissions.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import * as people from './people.service.js';

/** Roles a company gives its people (input); a person read back may also be a platform operator. */
const RoleSchema = Type.Union(roles.map((role) => Type.Literal(role)));
const HeldRoleSchema = Type.Union([...roles, operatorRole].map((role) => Type.Literal(role)));

export const PersonSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    roles: Type.Array(HeldRoleSchema),
    teamId: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('deactivated')]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Person' },
);

const InvitationCreatedSchema = Type.Object(
  {
    person: Type.Ref('Person'),
    invitation: Type.Object({ id: Type.String(), url: Type.Union([Type.String(), Type.Null()], { description: 'null when this is a replay of an earlier request' }), expiresAt: Type.String({ format: 'date-time' }) }),
  },
  { $id: 'InvitationCreated' },
);

const TeamSchema = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'Team' });

export function presentPerson(row: people.UserRow) {
  return { id: row.id, email: row.email, name: row.name, roles: row.roles, teamId: row.team_id, status: row.status, createdAt: iso(row.created_at) };
}

const presentTeam = (row: people.TeamRow) => ({ id: row.id, name: row.name });

export function peopleRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(PersonSchema);
  app.addSchema(TeamSchema);
  app.addSchema(InvitationCreatedSchema);
  const tags = ['People'];

  app.get('/api/v1/people', {
    config: { access: 'people:read' },
    schema: { operationId: 'listPeople', tags, summary: 'List the company\'s people, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('Person')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await people.listPeople(db, principalOf(request).companyId, page.before, page.limit + 1);
    return toPage(rows, page, presentPerson);
  });

  app.get('/api/v1/people/:id', {
    config: { access: 'people:read' },
    schema: { operationId: 'getPerson', tags, summary: 'One person', params: IdParams, response: { 200: Type.Ref('Person'), ...problemResponses } },
  }, async (request) => presentPerson(await people.getPerson(db, principalOf(request).companyId, request.params.id)));

  app.post('/api/v1/people/invitations', {
    // The link is a bearer secret: a replay of the request does not repeat it.
    config: { access: 'people:write', idempotentReplay: (body) => ({ ...body, invitation: { ...(body.invitation as object), url: null } }) },
    schema: {
      operationId: 'invitePerson',
      tags,
      summary: 'Invite a person; the response holds the invitation link (e-mail delivery comes later)',
      body: Type.Object({
        email: Type.String({ maxLength: 254 }),
        name: Type.String({ maxLength: 200 }),
        roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4 }),
        teamId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('InvitationCreated'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const created = await people.invitePerson(db, config, principal.companyId, request.body, actorOf(principal));
    request.log.info({ personId: created.person.id, invitationUrl: created.invitation.url }, 'invitation created (no e-mail is sent yet: share the link)');
    return reply.status(201).send({
      person: presentPerson(created.person),
      invitation: { id: created.invitation.id, url: created.invitation.url, expiresAt: iso(created.invitation.expiresAt) },
    });
  });

  app.patch('/api/v1/people/:id', {
    config: { access: 'people:write' },
    schema: {
      operationId: 'updatePerson',
      tags,
      summary: 'Change a person\'s name, roles or team',
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ maxLength: 200 })),
        roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 4 })),
        teamId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('Person'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentPerson(await people.updatePerson(db, principal.companyId, request.params.id, request.body, actorOf(principal)));
  });

  app.post('/api/v1/people/:id/deactivate', {
    config: { access: 'people:write' },
    schema: { operationId: 'deactivatePerson', tags, summary: 'Deactivate a person: their sessions end at once', params: IdParams, response: { 200: Type.Ref('Person'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentPerson(await people.deactivatePerson(db, principal.companyId, request.params.id, actorOf(principal)));
  });

  app.get('/api/v1/teams', {
    // Team names are no secret inside a company: everyone may see which teams exist.
    config: { access: 'company:read' },
    schema: { operationId: 'listTeams', tags, summary: 'List teams', querystring: PageQuery, response: { 200: Page(Type.Ref('Team')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await people.listTeams(db, principalOf(request).companyId, page.before, page.limit + 1), page, presentTeam);
  });

  app.post('/api/v1/teams', {
    config: { access: 'people:write' },
    schema: {
      operationId: 'createTeam',
      tags,
      summary: 'Create a team',
      body: Type.Object({ name: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
      response: { 201: Type.Ref('Team'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    return reply.status(201).send(presentTeam(await people.createTeam(db, principal.companyId, request.body.name, actorOf(principal))));
  });
}
