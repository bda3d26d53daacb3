// HTTP for people and teams: validate, authorise, call one service function, present.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { roles } from '../auth/permissions.js';
import { sendRetryAfter } from '../auth/retry-after.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { InvitationCreatedSchema, PersonSchema, presentPerson, presentTeam, TeamSchema } from './people.presenters.js';
import * as people from './people.service.js';

/** Roles a company gives its people. */
const RoleSchema = Type.Union(roles.map((role) => Type.Literal(role)));

/** What people's routes need from modules above them, handed in by the composition root. */
export interface PeopleRouteDeps {
  endAccess: people.EndAccess;
}

const tags = ['People'];

export function peopleRoutes(context: AppContext, deps: PeopleRouteDeps): void {
  context.app.addSchema(PersonSchema);
  context.app.addSchema(TeamSchema);
  context.app.addSchema(InvitationCreatedSchema);
  personReadRoutes(context);
  invitationRoutes(context);
  personChangeRoutes(context, deps);
  teamRoutes(context);
}

function personReadRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

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

}

function invitationRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/people/invitations', {
    // The link is a bearer secret: a replay of the request does not repeat it.
    config: { access: 'people:write', idempotentReplay: (body) => ({ ...body, invitation: { ...(body.invitation as object), url: null } }) },
    onError: sendRetryAfter,
    schema: {
      operationId: 'invitePerson',
      tags,
      summary: 'Invite a person with roles that give no more than the inviter holds; the invitee gets the link by e-mail; the response also holds it for a signed-in person to share, never for an API key',
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
    const created = await people.invitePerson(db, config, principal.companyId, request.body, actorOf(principal), request.now, principal.permissions);
    request.log.info({ personId: created.person.id }, 'invitation created and e-mailed');
    return reply.status(201).send({
      person: presentPerson(created.person),
      invitation: { id: created.invitation.id, url: created.invitation.url, expiresAt: iso(created.invitation.expiresAt) },
    });
  });

}

function personChangeRoutes({ app: base, database: { db } }: AppContext, { endAccess }: PeopleRouteDeps): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.patch('/api/v1/people/:id', {
    config: { access: 'people:write' },
    schema: {
      operationId: 'updatePerson',
      tags,
      summary: 'Change a person\'s name, roles or team; roles give no more than the caller holds',
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
    return presentPerson(await people.updatePerson(db, principal.companyId, request.params.id, request.body, actorOf(principal), principal.permissions));
  });

  app.post('/api/v1/people/:id/deactivate', {
    config: { access: 'people:write' },
    schema: { operationId: 'deactivatePerson', tags, summary: 'Deactivate a person: their sessions end and the API keys they made are suspended at once', params: IdParams, response: { 200: Type.Ref('Person'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return presentPerson(await people.deactivatePerson(db, principal.companyId, request.params.id, actorOf(principal), endAccess, request.now));
  });

}

function teamRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
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
