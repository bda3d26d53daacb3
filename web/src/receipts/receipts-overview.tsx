// The company's side of receipts: who still owes receipts, and the rules that decide which
// purchases need one (admins change them).
import type { Person } from '../api/types';
import type { Pages } from '../components/use-pages';
import { useResource } from '../components/use-resource';
import { loadMissingByPerson, MissingByPerson } from './missing-by-person';
import { ReceiptRules } from './receipt-rules';

export function ReceiptsOverview({ people, canChangeRules, onRulesSaved }: { people: Pages<Person>; canChangeRules: boolean; onRulesSaved?: () => void }) {
  const missing = useResource(loadMissingByPerson, 'missing-by-person');
  return (
    <section className="card wide-card" aria-labelledby="receipts-overview-heading">
      <div className="card-title-row">
        <h2 id="receipts-overview-heading">Receipts</h2>
        <button type="button" className="link-button" onClick={missing.reload} disabled={missing.resource.status === 'loading'}>
          Refresh
        </button>
      </div>
      <div className="receipts-overview">
        <MissingByPerson missing={missing} people={people} />
        <ReceiptRules
          editable={canChangeRules}
          onSaved={() => {
            // A new threshold changes which purchases are missing a receipt.
            missing.reload();
            onRulesSaved?.();
          }}
        />
      </div>
    </section>
  );
}
