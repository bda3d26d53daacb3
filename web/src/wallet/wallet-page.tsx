// The company's money: the wallet's figures, how to top it up (the account and the payment
// reference), the top-ups received, the low-balance alert, and the statements of the
// company's own bank account, imported to see reimbursements leave it.
import { useEffect } from 'react';
import { companyStatements } from '../banking/statement-collections';
import { StatementsSection } from '../banking/statements-section';
import { StatementUpload } from '../banking/statement-upload';
import { can } from '../permissions';
import { walletStatementPath } from '../router';
import { useSession } from '../session';
import { LowBalanceAlertSection } from './low-balance-alert';
import { TopUpInstructionsCard } from './top-up-instructions';
import { TopUpsSection } from './top-ups-section';
import { WalletCard } from './wallet-card';
import { t } from '../i18n/i18n';

export function WalletPage() {
  const { session } = useSession();
  const { company } = session;
  const canChange = can(session, 'wallet:write');

  useEffect(() => {
    document.title = t('wallet.page.title', { company: company.name });
  }, [company.name]);

  return (
    <>
      <h1 className="page-title">{t('wallet.page.heading')}</h1>
      <div className="dashboard">
        <WalletCard />
        <TopUpInstructionsCard />
        <TopUpsSection />
        <LowBalanceAlertSection canChange={canChange} />
        {canChange && (
          <StatementUpload collection={companyStatements} heading={t('wallet.page.import')} statementPathOf={walletStatementPath}>
            <p>{t('wallet.page.importExplain')}</p>
          </StatementUpload>
        )}
        {/* The company's own account's statements; the top-up account's are the operators'. */}
        <StatementsSection collection={companyStatements} heading={t('wallet.page.statements')} statementPathOf={walletStatementPath} canDecide={canChange} />
      </div>
    </>
  );
}
