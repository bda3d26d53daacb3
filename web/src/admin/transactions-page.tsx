// Every card transaction of the company, newest first, with whose card it was. Only what
// happened: the simulator's network events are on the simulator's own page.
import { TransactionsTable } from '../cards/transactions-table';
import { usePages } from '../components/use-pages';
import { SectionPage } from '../pages/section-page';
import { holderNameOf } from './cards-section';

const peoplePageSize = 50;
const transactionsPageSize = 50;

export function TransactionsPage() {
  const people = usePages('/api/v1/people', peoplePageSize);
  const transactions = usePages('/api/v1/card-transactions', transactionsPageSize);
  return (
    <SectionPage title="Transactions">
      <TransactionsTable title="All transactions" transactions={transactions} holderName={holderNameOf(people.pages)} />
    </SectionPage>
  );
}
