// A bookkeeper's books for expenses: the settings (review threshold, mileage rate, account
// codes, DATEV numbers), the chart of accounts, tax codes, tags, per diem rates, who reviews
// each team, the review rules, and which months are closed.
import { CategoriesSection } from './categories-section';
import { ClosedPeriodsSection } from './closed-periods-section';
import { ExpenseSettingsSection } from './expense-settings-section';
import { PerDiemRatesSection } from './per-diem-rates-section';
import { ReviewRulesSection } from './review-rules-section';
import { TagGroupsSection } from './tag-groups-section';
import { TaxCodesSection } from './tax-codes-section';
import { TeamReviewersSection } from './team-reviewers-section';
import { t } from '../i18n/i18n';

export function BooksPage() {
  return (
    <>
      <h1 className="page-title">{t('bookkeeper.books.heading')}</h1>
      <div className="dashboard">
        <ExpenseSettingsSection />
        <ClosedPeriodsSection />
        <CategoriesSection />
        <TaxCodesSection />
        <TagGroupsSection />
        <PerDiemRatesSection />
        <TeamReviewersSection />
        <ReviewRulesSection />
      </div>
    </>
  );
}
