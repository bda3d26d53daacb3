// Who reviews each team's expenses. A team without named reviewers is reviewed by anyone
// who may review (expense-access.ts decides who may).
import type { Db } from '../db/database.js';
import { findTeams, getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './books.repository.js';

export const reviewersPerTeamMax = 20;

/** Sets who reviews a team's expenses; each must be able to review (reviewer or admin). */
export async function setTeamReviewers(db: Db, companyId: string, teamId: string, userIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length > reviewersPerTeamMax) throw new DomainError('validation_failed', `at most ${reviewersPerTeamMax} reviewers per team`, 'userIds');
  if ((await findTeams(db, companyId, [teamId])).length === 0) throw notFound('team');
  for (const userId of unique) {
    const person = await getPerson(db, companyId, userId);
    if (!person.roles.some((role) => role === 'reviewer' || role === 'admin')) {
      throw new DomainError('validation_failed', `${person.name} is neither a reviewer nor an admin`, 'userIds');
    }
  }
  await db.transaction().execute((trx) => repo.replaceTeamReviewers(trx, companyId, teamId, unique));
  return unique;
}

export async function listTeamReviewers(db: Db, companyId: string): Promise<{ team_id: string; user_id: string }[]> {
  return repo.listTeamReviewers(db, companyId);
}
