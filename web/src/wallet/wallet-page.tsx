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

export function WalletPage() {
  const { session } = useSession();
  const { company } = session;
  const canChange = can(session, 'wallet:write');

  useEffect(() => {
    document.title = `Wallet · ${company.name} · Outlay`;
  }, [company.name]);

  return (
    <>
      <h1 className="page-title">Wallet</h1>
      <div className="dashboard">
        <WalletCard />
        <TopUpInstructionsCard />
        <TopUpsSection />
        <LowBalanceAlertSection canChange={canChange} />
        {canChange && (
          <StatementUpload collection={companyStatements} heading="Import your bank statement" statementPathOf={walletStatementPath}>
            <p>The statement of the company’s own bank account, the one reimbursements are paid from: a payout batch it shows leaving the account is marked executed.</p>
          </StatementUpload>
        )}
        {/* The company's own account's statements; the top-up account's are the operators'. */}
        <StatementsSection collection={companyStatements} heading="Your account’s statements" statementPathOf={walletStatementPath} canDecide={canChange} />
      </div>
    </>
  );
}
