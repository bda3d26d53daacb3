// An admin's home: the wallet, the people and their teams, cards and card transactions,
// the purchase simulator, receipts (who owes which, the rules, every receipt), and API keys.
import { TransactionsTable } from '../cards/transactions-table';
import { SimulatePurchase } from '../simulator/simulate-purchase';
import { TransactionEvents } from '../simulator/transaction-events';
import { usePages } from '../components/use-pages';
import { CompanyReceipts } from '../receipts/company-receipts';
import { ReceiptsOverview } from '../receipts/receipts-overview';
import { useSession } from '../session';
import { ApiKeysSection } from './api-keys-section';
import { CardsSection, holderNameOf } from './cards-section';
import { InviteForm } from './invite-form';
import { IssueCardForm } from './issue-card-form';
import { PeopleTable } from './people-table';
import { TeamsBox } from './teams-box';
import { WalletCard } from '../wallet/wallet-card';

const peoplePageSize = 50;
const teamsPageSize = 100;
const cardsPageSize = 50;
const transactionsPageSize = 50;

export function AdminDashboard() {
  const people = usePages('/api/v1/people', peoplePageSize);
  const teams = usePages('/api/v1/teams', teamsPageSize);
  const cards = usePages('/api/v1/cards', cardsPageSize);
  const transactions = usePages('/api/v1/card-transactions', transactionsPageSize);
  const { simulator } = useSession().session.features;
  return (
    <div className="dashboard">
      <WalletCard linkToPage />
      <TeamsBox teams={teams} />
      <PeopleTable people={people} teams={teams.pages} />
      <InviteForm teams={teams.pages} />
      <CardsSection cards={cards} people={people.pages} />
      <IssueCardForm people={people.pages} />
      {simulator && <SimulatePurchase cards={cards.pages} holderName={holderNameOf(people.pages)} />}
      <TransactionsTable
        title="All transactions"
        transactions={transactions}
        holderName={holderNameOf(people.pages)}
        rowActions={simulator ? (transaction) => <TransactionEvents transaction={transaction} /> : undefined}
      />
      <ReceiptsOverview people={people.pages} canChangeRules />
      <CompanyReceipts people={people.pages} />
      <ApiKeysSection />
    </div>
  );
}
