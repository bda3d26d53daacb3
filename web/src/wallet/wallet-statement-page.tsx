// One statement of the company's own bank account, under the wallet: the payouts it shows
// leaving the account. Admins accept or discard it when it is held.
import { StatementPage } from '../banking/statement-page';
import { can } from '../permissions';
import { useSession } from '../session';
import { ownStatementsPath } from './wallet-page';

export function WalletStatementPage({ id }: { id: string }) {
  const { person } = useSession().session;
  return <StatementPage path={ownStatementsPath} id={id} back={{ href: '/wallet', label: '← Wallet' }} canDecide={can(person, 'wallet:write')} />;
}
