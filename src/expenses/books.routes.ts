// HTTP for what the books are kept with: expense settings, chart of accounts, tax codes,
// tags, per diem rates, team reviewers, review rules, closed periods, and each person's payee
// account; one file of routes for each. Everyone in the company reads them (to fill in their
// expenses); expenses:manage changes them.
import type { AppContext } from '../http/context.js';
import { categoriesRoutes, CategorySchema } from './categories.routes.js';
import { ClosedPeriodSchema, closedPeriodsRoutes } from './closed-periods.routes.js';
import { expenseSettingsRoutes, ExpenseSettingsSchema } from './expense-settings.routes.js';
import { PayeeAccountSchema, payeeAccountsRoutes } from './payee-accounts.routes.js';
import { PerDiemRateSchema, perDiemRatesRoutes } from './per-diem-rates.routes.js';
import { reviewRulesRoutes, ReviewRulesSchema } from './review-rules.routes.js';
import { TagGroupSchema, tagsRoutes } from './tags.routes.js';
import { TaxCodeSchema, taxCodesRoutes } from './tax-codes.routes.js';
import { TeamReviewerSchema, teamReviewersRoutes } from './team-reviewers.routes.js';

export function booksRoutes(context: AppContext): void {
  // The shared schemas first, in the order the API document has always listed them.
  for (const schema of [CategorySchema, TaxCodeSchema, TagGroupSchema, ExpenseSettingsSchema, PerDiemRateSchema, TeamReviewerSchema, ClosedPeriodSchema, PayeeAccountSchema, ReviewRulesSchema]) context.app.addSchema(schema);
  expenseSettingsRoutes(context);
  categoriesRoutes(context);
  taxCodesRoutes(context);
  tagsRoutes(context);
  perDiemRatesRoutes(context);
  teamReviewersRoutes(context);
  reviewRulesRoutes(context);
  closedPeriodsRoutes(context);
  payeeAccountsRoutes(context);
}
