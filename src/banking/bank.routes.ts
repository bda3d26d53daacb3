// HTTP for bank rails. Operators of the platform (bank:operate) import the top-up account's
// statements, keep its suspense queue and correct wallets, four eyes; each company sees its top-up instructions, sets its
// low-balance alert, and imports its own account's statements (which show its payouts).
import type { AppContext } from '../http/context.js';
import { BankCompanySchema, BankEntrySchema, ImportSummarySchema, LowBalanceAlertSchema, StatementSchema, StatementWarningsSchema, TopUpInstructionsSchema } from './bank.presenters.js';
import { statementRoutes } from './bank-statements.routes.js';
import { suspenseRoutes } from './suspense.routes.js';
import { walletCorrectionRoutes } from './wallet-corrections.routes.js';
import { lowBalanceAlertRoutes, topUpInstructionsRoutes } from './wallet-funding.routes.js';

const operatorTags = ['Bank (platform operators)'];
const walletTags = ['Wallet'];

export function bankRoutes(context: AppContext): void {
  const { app, database: { db }, config } = context;
  for (const schema of [StatementWarningsSchema, BankEntrySchema, StatementSchema, ImportSummarySchema, BankCompanySchema, TopUpInstructionsSchema, LowBalanceAlertSchema]) app.addSchema(schema);

  void app.register(async (scope) =>
    statementRoutes(scope, context, { prefix: '/api/v1/bank/statements', access: 'bank:operate', readAccess: 'bank:operate', tags: operatorTags, account: 'top_up',
      operationIds: { import: 'importBankStatement', list: 'listBankStatements', get: 'getBankStatement', accept: 'acceptBankStatement', discard: 'discardBankStatement' } }),
  );
  void app.register(async (scope) =>
    statementRoutes(scope, context, { prefix: '/api/v1/wallet/bank-statements', access: 'wallet:write', readAccess: 'wallet:read', tags: walletTags, account: 'own',
      operationIds: { import: 'importWalletBankStatement', list: 'listWalletBankStatements', get: 'getWalletBankStatement', accept: 'acceptWalletBankStatement', discard: 'discardWalletBankStatement' } }),
  );
  suspenseRoutes(app, db, operatorTags);
  walletCorrectionRoutes(app, db, operatorTags);
  topUpInstructionsRoutes(app, db, config.banking.topUpAccount, walletTags);
  lowBalanceAlertRoutes(app, db, walletTags);
}
