// Tag groups (project, cost centre, ...) and their tags; an expense takes at most one tag of
// each group. Tags are retired, never deleted, as expenses keep the ones they have.
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { checkName } from './book-fields.js';
import * as repo from './books.repository.js';

export type { TagGroupRow, TagRow } from './books.repository.js';

export const tagGroupsMax = 20;
export const tagsPerGroupMax = 500;

export async function createTagGroup(db: Db, companyId: string, name: string): Promise<repo.TagGroupRow> {
  if ((await repo.listTagGroups(db, companyId)).length >= tagGroupsMax) throw new DomainError('validation_failed', `at most ${tagGroupsMax} tag groups`);
  try {
    return await repo.insertTagGroup(db, { company_id: companyId, id: newId('tagGroup'), name: checkName(name, 'name', 60) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `a tag group "${name}" exists already`, 'name');
    throw error;
  }
}

export async function createTag(db: Db, companyId: string, groupId: string, name: string): Promise<repo.TagRow> {
  const group = await repo.findTagGroup(db, companyId, groupId);
  if (!group) throw notFound('tag group');
  if ((await repo.listTags(db, companyId)).filter((tag) => tag.group_id === groupId).length >= tagsPerGroupMax) throw new DomainError('validation_failed', `at most ${tagsPerGroupMax} tags in a group`);
  try {
    return await repo.insertTag(db, { company_id: companyId, id: newId('tag'), group_id: groupId, name: checkName(name, 'name', 60) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `the group has a tag "${name}" already`, 'name');
    throw error;
  }
}

export async function setTagActive(db: Db, companyId: string, id: string, active: boolean): Promise<repo.TagRow> {
  const updated = await repo.updateTag(db, companyId, id, { active });
  if (!updated) throw notFound('tag');
  return updated;
}

export async function listTagGroups(db: Db, companyId: string): Promise<repo.TagGroupRow[]> {
  return repo.listTagGroups(db, companyId);
}

/** The tags with these ids (those of another company are not found). */
export async function findTags(db: Db, companyId: string, ids: readonly string[]): Promise<repo.TagRow[]> {
  return repo.findTags(db, companyId, ids);
}

export async function listTagGroupsWithTags(db: Db, companyId: string) {
  const [groups, tags] = await Promise.all([repo.listTagGroups(db, companyId), repo.listTags(db, companyId)]);
  return groups.map((group) => ({ group, tags: tags.filter((tag) => tag.group_id === group.id) }));
}
