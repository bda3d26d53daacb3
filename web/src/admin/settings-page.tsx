// How the company works in Outlay, in one place for its admins: which purchases need a
// receipt, what new cards start with, and how expenses are reviewed. The company's own
// details (name, time zone, locale), and the way to the audit trail (its own page).
import { useTranslation } from 'react-i18next';
import { can } from '../permissions';
import { Link } from '../router';
import { CompanySettingsSection } from './company-settings-section';
import { ReviewRulesSection } from '../bookkeeper/review-rules-section';
import { SectionPage } from '../pages/section-page';
import { ReceiptRules } from '../receipts/receipt-rules';
import { useSession } from '../session';
import { CardDefaultsSection } from './card-defaults-section';
import { SsoSection } from './sso-section';

export function SettingsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  return (
    <SectionPage title={t('lists.settings.title')}>
      <CompanySettingsSection />
      <section className="card" aria-labelledby="receipt-settings-heading">
        <h2 id="receipt-settings-heading">{t('lists.settings.receipts')}</h2>
        <ReceiptRules editable />
      </section>
      <CardDefaultsSection />
      <ReviewRulesSection />
      {can(session, 'company:manage') && <SsoSection />}
      {can(session, 'audit:read') && (
        <section className="card" aria-labelledby="audit-link-heading">
          <h2 id="audit-link-heading">{t('lists.audit.title')}</h2>
          <p className="muted">{t('lists.audit.lead')}</p>
          <Link href="/settings/audit">{t('lists.audit.open')}</Link>
        </section>
      )}
    </SectionPage>
  );
}
