// The company's side of receipts: who still owes receipts, and the rules that decide which
// purchases need one (admins change them).
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import type { Person } from '../api/types';
import type { Pages } from '../components/use-pages';
import { MissingByPerson } from './missing-by-person';
import { ReceiptRules } from './receipt-rules';
import { t } from '../i18n/i18n';

export function ReceiptsOverview({ people, canChangeRules }: { people: Pages<Person>; canChangeRules: boolean }) {
  const missing = useQuery(getQuery('/api/v1/receipts/missing/by-person'));
  return (
    <section className="card wide-card" aria-labelledby="receipts-overview-heading">
      <div className="card-title-row">
        <h2 id="receipts-overview-heading">{t('receipts.overview.heading')}</h2>
        <button type="button" className="link-button" onClick={() => void missing.refetch()} disabled={missing.isFetching}>
          {t('receipts.overview.refresh')}
        </button>
      </div>
      <div className="receipts-overview">
        <MissingByPerson missing={missing} people={people} />
        <ReceiptRules editable={canChangeRules} />
      </div>
    </section>
  );
}
