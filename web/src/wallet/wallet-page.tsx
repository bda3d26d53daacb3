// The company's money: the wallet's figures, how to top it up (the account and the payment
// reference), the top-ups received, the low-balance alert, and the statements of the
// company's own bank account, imported to see reimbursements leave it.
import { useEffect } from 'react';
import { StatementsSection, useStatements } from '../banking/statements-section';
import { StatementUpload } from '../banking/statement-upload';
import { can } from '../permissions';
import { walletStatementPath } from '../router';
import { useSession } from '../session';
import { LowBalanceAlertSection } from './low-balance-alert';
import { TopUpInstructionsCard } from './top-up-instructions';
import { TopUpsSection } from './top-ups-section';
import { WalletCard } from './wallet-card';

/** The company's own account's statements (the top-up account's are the operators'). */
export const ownStatementsPath = '/wallet/bank-statements';

export function WalletPage() {
  const { person, company } = useSession().session;
  const canChange = can(person, 'wallet:write');
  const ownStatements = useStatements(ownStatementsPath);

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
          <StatementUpload path={ownStatementsPath} heading="Import your bank statement" statementPathOf={walletStatementPath} onImported={ownStatements.reload}>
            <p>The statement of the company’s own bank account, the one reimbursements are paid from: a payout batch it shows leaving the account is marked executed.</p>
          </StatementUpload>
        )}
        <StatementsSection path={ownStatementsPath} handle={ownStatements} heading="Your account’s statements" statementPathOf={walletStatementPath} canDecide={canChange} />
      </div>
    </>
  );
}
