// How the company works in Outlay, in one place for its admins: which purchases need a
// receipt, what new cards start with, and how expenses are reviewed. The company's own
// details (name, time zone, locale) and the audit trail get their sections here too.
import { ReviewRulesSection } from '../bookkeeper/review-rules-section';
import { SectionPage } from '../pages/section-page';
import { ReceiptRules } from '../receipts/receipt-rules';
import { useSession } from '../session';
import { CardDefaultsSection } from './card-defaults-section';

export function SettingsPage() {
  const { session } = useSession();
  const { company } = session;
  return (
    <SectionPage title="Settings">
      {/* The company's details become editable here once the server has company settings. */}
      <section className="card" aria-labelledby="company-settings-heading">
        <h2 id="company-settings-heading">Company</h2>
        <dl className="facts">
          <div>
            <dt>Name</dt>
            <dd>{company.name}</dd>
          </div>
          <div>
            <dt>Currency</dt>
            <dd>{company.currency}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{company.timeZone}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="receipt-settings-heading">
        <h2 id="receipt-settings-heading">Receipts</h2>
        <ReceiptRules editable />
      </section>
      <CardDefaultsSection />
      <ReviewRulesSection />
      {/* The audit trail (who changed what, when) goes here as its own section. */}
    </SectionPage>
  );
}
