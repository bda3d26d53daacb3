// Every feature's HTTP routes, in the order they are registered, and what each needs from
// the others. This is the one place that sees all features at once.
import { analyticsRoutes } from '../analytics/analytics.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { bankRoutes } from '../banking/bank.routes.js';
import { cardTransactionsRoutes } from '../cards/card-transactions.routes.js';
import { cardsRoutes } from '../cards/cards.routes.js';
import { processorRoutes } from '../cards/processor.routes.js';
import { companiesRoutes } from '../companies/companies.routes.js';
import { companyDateRange } from '../companies/companies.service.js';
import { booksRoutes } from '../expenses/books.routes.js';
import { expenseReviewRoutes } from '../expenses/expense-review.routes.js';
import { expensesRoutes } from '../expenses/expenses.routes.js';
import { exportsRoutes } from '../exports/exports.routes.js';
import { flagsRoutes } from '../flag-management/flags.routes.js';
import type { RouteModule } from '../http/context.js';
import { ledgerRoutes } from '../ledger/ledger.routes.js';
import { mailRoutes } from '../mail/mail.routes.js';
import { notificationsRoutes } from '../notifications/notifications.routes.js';
import { payoutsRoutes } from '../payouts/payouts.routes.js';
import { mfaRoutes } from '../mfa/mfa.routes.js';
import { scimRoutes } from '../provisioning/scim.routes.js';
import { peopleRoutes } from '../people/people.routes.js';
import { namesOf, teamNamesOf } from '../people/people.service.js';
import { receiptsRoutes } from '../receipts/receipts.routes.js';
import { apiKeysRoutes } from '../sessions/api-keys.routes.js';
import { apiKeyNamesOf } from '../sessions/api-keys.service.js';
import { liveEventsRoutes } from '../sessions/live-events.routes.js';
import { passwordResetRoutes } from '../sessions/password-reset.routes.js';
import { endAccessOf } from '../sessions/sessions.service.js';
import { sessionsRoutes } from '../sessions/sessions.routes.js';
import { ssoRoutes } from '../sso/sso.routes.js';
import { simulatorRoutes } from '../simulator/simulator.routes.js';
import { budgetsRoutes } from '../budgets/budgets.routes.js';
import { subscriptionsRoutes } from '../subscriptions/subscriptions.routes.js';
import { walletRoutes } from '../wallet/wallet.routes.js';
import { webhooksRoutes } from '../webhooks/webhooks.routes.js';
import { demoWebhookReceiverRoutes } from '../webhooks/demo-receiver.routes.js';

export const featureRoutes: readonly RouteModule[] = [
  companiesRoutes,
  (context) => peopleRoutes(context, { endAccess: endAccessOf }),
  (context) => scimRoutes(context, { endAccess: endAccessOf }),
  sessionsRoutes,
  mfaRoutes,
  passwordResetRoutes,
  ssoRoutes,
  apiKeysRoutes,
  liveEventsRoutes,
  walletRoutes,
  ledgerRoutes,
  cardsRoutes,
  cardTransactionsRoutes,
  subscriptionsRoutes,
  budgetsRoutes,
  processorRoutes,
  simulatorRoutes,
  receiptsRoutes,
  notificationsRoutes,
  mailRoutes,
  booksRoutes,
  expensesRoutes,
  expenseReviewRoutes,
  analyticsRoutes,
  payoutsRoutes,
  exportsRoutes,
  bankRoutes,
  flagsRoutes,
  webhooksRoutes,
  demoWebhookReceiverRoutes,
  (context) => auditRoutes(context, { people: namesOf, apiKeys: apiKeyNamesOf, teams: teamNamesOf, dateRange: companyDateRange }),
];
