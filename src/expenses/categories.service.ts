// The chart of accounts expenses are categorised with: each category is an account of the
// company's books, optionally limited to some teams (a policy check flags its use by others).
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { findTeams } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { checkAccountCode, checkName } from './book-fields.js';
import * as repo from './books.repository.js';

export type { CategoryRow } from './books.repository.js';

export const categoriesMax = 500;

export interface CategoryInput {
  accountCode: string;
  name: string;
  allowedTeamIds?: string[] | null;
}

async function checkTeams(db: Db, companyId: string, teamIds: readonly string[] | null | undefined): Promise<string[] | null> {
  if (teamIds === null || teamIds === undefined) return null;
  const unique = [...new Set(teamIds)];
  const known = await findTeams(db, companyId, unique);
  const missing = unique.find((id) => !known.some((team) => team.id === id));
  if (missing) throw new DomainError('not_found', 'team was not found', 'allowedTeamIds');
  return unique;
}

export async function createCategory(db: Db, companyId: string, input: CategoryInput): Promise<repo.CategoryRow> {
  if ((await repo.listCategories(db, companyId)).length >= categoriesMax) throw new DomainError('validation_failed', `a chart of accounts holds at most ${categoriesMax} categories`);
  try {
    return await repo.insertCategory(db, {
      company_id: companyId,
      id: newId('category'),
      account_code: checkAccountCode(input.accountCode, 'accountCode'),
      name: checkName(input.name, 'name', 100),
      allowed_team_ids: await checkTeams(db, companyId, input.allowedTeamIds),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `account ${input.accountCode} is in the chart already`, 'accountCode');
    throw error;
  }
}

export async function updateCategory(db: Db, companyId: string, id: string, patch: Partial<CategoryInput> & { active?: boolean }): Promise<repo.CategoryRow> {
  const changes = {
    ...(patch.name !== undefined ? { name: checkName(patch.name, 'name', 100) } : {}),
    ...(patch.allowedTeamIds !== undefined ? { allowed_team_ids: await checkTeams(db, companyId, patch.allowedTeamIds) } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  };
  // An UPDATE with nothing to SET is no SQL at all (the HTTP layer refuses empty PATCH bodies too).
  if (Object.keys(changes).length === 0) throw new DomainError('validation_failed', 'name at least one of name, allowedTeamIds and active to change');
  const updated = await repo.updateCategory(db, companyId, id, changes);
  if (!updated) throw notFound('category');
  return updated;
}

export const listCategories = repo.listCategories;
