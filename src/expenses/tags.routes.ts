// HTTP for tag groups and their tags: everyone reads them, expenses:manage adds and retires them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, problemResponses } from '../http/schemas.js';
import { booksTags as tags, list, Name } from './books.schemas.js';
import { createTag, createTagGroup, listTagGroupsWithTags, setTagActive, type TagGroupRow, type TagRow } from './tags.service.js';

export const TagGroupSchema = Type.Object(
  { id: Type.String(), name: Type.String(), tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() })) },
  { $id: 'TagGroup' },
);

const Tag = Type.Object({ id: Type.String(), groupId: Type.String(), name: Type.String(), active: Type.Boolean() });
const NewName = Type.Object({ name: Name(60) }, { additionalProperties: false });

const presentTag = (tag: TagRow) => ({ id: tag.id, groupId: tag.group_id, name: tag.name, active: tag.active });
const presentTagGroup = (group: TagGroupRow, groupTags: readonly TagRow[]) => ({ id: group.id, name: group.name, tags: groupTags.map((tag) => ({ id: tag.id, name: tag.name, active: tag.active })) });

export function tagsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/tag-groups', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTagGroups', tags, summary: 'Tag groups (project, cost centre, ...) with their tags', response: { 200: list(Type.Ref('TagGroup')), ...problemResponses } },
  }, async (request) => ({ items: (await listTagGroupsWithTags(db, principalOf(request).companyId)).map(({ group, tags: groupTags }) => presentTagGroup(group, groupTags)) }));

  app.post('/api/v1/tag-groups', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'createTagGroup', tags, summary: 'Add a tag group', body: NewName, response: { 201: Type.Ref('TagGroup'), ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentTagGroup(await createTagGroup(db, principalOf(request).companyId, request.body.name), [])));

  app.post('/api/v1/tag-groups/:id/tags', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'createTag', tags, summary: 'Add a tag to a group', params: IdParams, body: NewName, response: { 201: Tag, ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentTag(await createTag(db, principalOf(request).companyId, request.params.id, request.body.name))));

  app.patch('/api/v1/tags/:id', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'updateTag', tags, summary: 'Retire or restore a tag', params: IdParams, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: { 200: Tag, ...problemResponses } },
  }, async (request) => presentTag(await setTagActive(db, principalOf(request).companyId, request.params.id, request.body.active)));
}
