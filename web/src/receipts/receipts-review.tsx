// What bookkeepers and reviewers see of everyone's receipts (receipts:read): who owes
// which, the rules, and every receipt sent. They change nothing here.
import { usePages } from '../components/use-pages';
import { CompanyReceipts } from './company-receipts';
import { ReceiptsOverview } from './receipts-overview';

const peoplePageSize = 200;

export function ReceiptsReview() {
  const people = usePages('/api/v1/people', peoplePageSize);
  return (
    <div className="dashboard">
      <ReceiptsOverview people={people.pages} canChangeRules={false} />
      <CompanyReceipts people={people.pages} />
    </div>
  );
}
