// One statement of the company's own bank account, under the wallet: the payouts it shows
// leaving the account. Admins accept or discard it when it is held.
import { companyStatements } from '../banking/statement-collections';
import { StatementPage } from '../banking/statement-page';
import { can } from '../permissions';
import { useSession } from '../session';

export function WalletStatementPage({ id }: { id: string }) {
  const { session } = useSession();
  return <StatementPage collection={companyStatements} id={id} back={{ href: '/wallet', label: '← Wallet' }} canDecide={can(session, 'wallet:write')} />;
}
