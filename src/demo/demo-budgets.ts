// The demo company's budgets: Design's quarter, enforced, so a simulated purchase beyond what is
// left is declined for the budget; Sales' quarter, watched at three thresholds; and a year for
// the Aurora project's tag. The admin owns them all.
import { createBudget } from '../budgets/budgets.service.js';
import type { Db } from '../db/database.js';
import { listTagGroupsWithTags } from '../expenses/tags.service.js';

const system = { actorType: 'system' as const, actorId: null };

export async function seedDemoBudgets(db: Db, companyId: string, teams: ReadonlyMap<string, string>, ownerId: string): Promise<void> {
  await createBudget(db, companyId, { name: 'Design this quarter', scope: 'team', subjectId: teams.get('Design')!, period: 'quarter', amount: '2500.00', enforced: true, ownerId }, system);
  await createBudget(db, companyId, { name: 'Sales travel', scope: 'team', subjectId: teams.get('Sales')!, period: 'quarter', amount: '6000.00', thresholds: [50, 80, 100], ownerId }, system);
  const aurora = (await listTagGroupsWithTags(db, companyId)).flatMap((group) => group.tags).find((tag) => tag.name === 'Aurora');
  if (aurora) await createBudget(db, companyId, { name: 'Project Aurora', scope: 'tag', subjectId: aurora.id, period: 'year', amount: '3000.00', ownerId }, system);
}
