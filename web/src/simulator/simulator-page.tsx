// The card network simulator, a test tool: an admin plays a purchase on one of the company's
// cards, then what the network would send next for a transaction (clearing, reversal,
// expiry, refund). Everything runs through the real authorization engine and ledger, so a
// simulated purchase moves the wallet like a real one; the server has it off in production
// (OUTLAY_SIMULATOR), and then this page says so.
import { holderNameOf } from '../admin/cards-section';
import { TransactionsTable } from '../cards/transactions-table';
import { usePages } from '../components/use-pages';
import { SectionPage } from '../pages/section-page';
import { useSession } from '../session';
import { SimulatePurchase } from './simulate-purchase';
import { TransactionEvents } from './transaction-events';
import { t } from '../i18n/i18n';

const peoplePageSize = 50;
const cardsPageSize = 50;
const transactionsPageSize = 50;

export function SimulatorPage() {
  const { simulator } = useSession().session.features;
  return (
    <SectionPage title={t('layout.sections.simulator')}>
      {simulator ? (
        <Simulator />
      ) : (
        <section className="card wide-card">
          <p>{t('simulator.off')}</p>
        </section>
      )}
    </SectionPage>
  );
}

function Simulator() {
  const people = usePages('/api/v1/people', peoplePageSize);
  const cards = usePages('/api/v1/cards', cardsPageSize);
  const transactions = usePages('/api/v1/card-transactions', transactionsPageSize);
  const holderName = holderNameOf(people.pages);
  return (
    <>
      <div className="notice warning wide-card simulator-banner" role="note" aria-label={t('simulator.testTool')}>
        <p>
          <strong>{t('simulator.testToolStrong')}</strong> {t('simulator.testToolText')}
        </p>
      </div>
      <SimulatePurchase cards={cards.pages} holderName={holderName} />
      <TransactionsTable
        title={t('simulator.networkEvents')}
        transactions={transactions}
        holderName={holderName}
        rowActions={(transaction) => <TransactionEvents transaction={transaction} />}
      />
    </>
  );
}
