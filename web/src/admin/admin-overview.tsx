// An admin's overview: the wallet's figures, its runway and this month's spend, what needs their attention (expenses waiting
// for review, receipts people still owe, a wallet below its alert), and the way to each
// section. The work itself is on the sections' pages.
import { useQuery } from '@tanstack/react-query';
import { HomeFigures } from '../analytics/home-figures';
import type { ReactNode } from 'react';
import { getQuery } from '../api/queries';
import { usePages } from '../components/use-pages';
import { formatMoney } from '../format';
import { can } from '../permissions';
import { Link } from '../router';
import { useSession } from '../session';
import { WalletCard } from '../wallet/wallet-card';
import { t } from '../i18n/i18n';

/** Enough to say "50+" to review; the queue's page shows them all. */
const reviewsCountMax = 50;

export function AdminOverview() {
  return (
    <>
      <div className="overview-grid">
        <WalletCard linkToPage />
        <HomeFigures />
        <NeedsAttention />
      </div>
      <SectionLinks />
    </>
  );
}

interface Attention {
  key: string;
  text: ReactNode;
  href: string;
  link: string;
}

function useAttention(): { items: Attention[]; loading: boolean } {
  const { session } = useSession();
  const reviewer = can(session, 'expenses:review');
  const reviews = usePages('/api/v1/expense-reviews', reviewsCountMax);
  const missing = useQuery(getQuery('/api/v1/receipts/missing/by-person'));
  const alert = useQuery(getQuery('/api/v1/wallet/low-balance-alert'));
  const items: Attention[] = [];
  if (reviewer && reviews.pages.status === 'ready' && reviews.pages.items.length > 0) {
    const shown = `${reviews.pages.items.length}${reviews.pages.nextCursor ? '+' : ''}`;
    items.push({ key: 'reviews', text: t('admin.overview.reviews', { count: reviews.pages.items.length, shown }), href: '/reviews', link: t('admin.overview.review') });
  }
  const owed = missing.data?.items ?? [];
  if (owed.length > 0) {
    const receipts = owed.reduce((sum, row) => sum + row.missing, 0);
    const people = t('admin.overview.people', { count: owed.length });
    items.push({ key: 'receipts', text: t('admin.overview.receipts', { count: receipts, people }), href: '/receipts', link: t('admin.overview.seeWhoOwes') });
  }
  if (alert.data?.alertedAt && alert.data.lowBalanceBelow) {
    items.push({ key: 'balance', text: t('admin.overview.walletBelow', { amount: formatMoney(alert.data.lowBalanceBelow) }), href: '/wallet', link: t('admin.overview.topUp') });
  }
  const loading = missing.isPending || alert.isPending || (reviewer && reviews.pages.status === 'loading');
  return { items, loading };
}

function NeedsAttention() {
  const { items, loading } = useAttention();
  return (
    <section className="card" aria-labelledby="attention-heading">
      <h2 id="attention-heading">{t('admin.overview.attention')}</h2>
      {loading ? (
        <p className="muted">{t('admin.overview.looking')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('admin.overview.nothingWaits')}</p>
      ) : (
        <ul className="attention-list">
          {items.map((item) => (
            <li key={item.key}>
              <span>{item.text}</span> <Link href={item.href}>{item.link}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// A function, not a constant: the words are read in the current language.
const sectionSummaries = (): { href: string; label: string; summary: string }[] => [
  { href: '/people', label: t('layout.sections.people'), summary: t('admin.overview.summaries.people') },
  { href: '/cards', label: t('layout.sections.cards'), summary: t('admin.overview.summaries.cards') },
  { href: '/transactions', label: t('layout.sections.transactions'), summary: t('admin.overview.summaries.transactions') },
  { href: '/expenses', label: t('layout.sections.expenses'), summary: t('admin.overview.summaries.expenses') },
  { href: '/receipts', label: t('layout.sections.receipts'), summary: t('admin.overview.summaries.receipts') },
  { href: '/analytics', label: t('analytics.openOverview'), summary: t('analytics.summary') },
  { href: '/wallet', label: t('layout.sections.wallet'), summary: t('admin.overview.summaries.wallet') },
  { href: '/settings', label: t('layout.sections.settings'), summary: t('admin.overview.summaries.settings') },
  { href: '/developers', label: t('layout.sections.developers'), summary: t('admin.overview.summaries.developers') },
];

function SectionLinks() {
  return (
    <section className="card section-links" aria-labelledby="section-links-heading">
      <h2 id="section-links-heading">{t('admin.overview.yourCompany')}</h2>
      <ul>
        {sectionSummaries().map((section) => (
          <li key={section.href}>
            <Link href={section.href}>{section.label}</Link>
            <span className="muted small-text">{section.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
