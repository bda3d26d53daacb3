// An admin's overview: the wallet's figures, what needs their attention (expenses waiting
// for review, receipts people still owe, a wallet below its alert), and the way to each
// section. The work itself is on the sections' pages.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { getQuery } from '../api/queries';
import { usePages } from '../components/use-pages';
import { formatMoney } from '../format';
import { can } from '../permissions';
import { Link } from '../router';
import { useSession } from '../session';
import { WalletCard } from '../wallet/wallet-card';

/** Enough to say "50+" to review; the queue's page shows them all. */
const reviewsCountMax = 50;

export function AdminOverview() {
  return (
    <>
      <div className="overview-grid">
        <WalletCard linkToPage />
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
    const count = `${reviews.pages.items.length}${reviews.pages.nextCursor ? '+' : ''}`;
    items.push({ key: 'reviews', text: `${count} ${reviews.pages.items.length === 1 ? 'expense waits' : 'expenses wait'} for your review`, href: '/reviews', link: 'Review' });
  }
  const owed = missing.data?.items ?? [];
  if (owed.length > 0) {
    const receipts = owed.reduce((sum, row) => sum + row.missing, 0);
    const people = owed.length === 1 ? '1 person' : `${owed.length} people`;
    items.push({ key: 'receipts', text: `${receipts} ${receipts === 1 ? 'receipt is' : 'receipts are'} missing, from ${people}`, href: '/receipts', link: 'See who owes which' });
  }
  if (alert.data?.alertedAt && alert.data.lowBalanceBelow) {
    items.push({ key: 'balance', text: `The wallet is below ${formatMoney(alert.data.lowBalanceBelow)}`, href: '/wallet', link: 'Top up' });
  }
  const loading = missing.isPending || alert.isPending || (reviewer && reviews.pages.status === 'loading');
  return { items, loading };
}

function NeedsAttention() {
  const { items, loading } = useAttention();
  return (
    <section className="card" aria-labelledby="attention-heading">
      <h2 id="attention-heading">Needs your attention</h2>
      {loading ? (
        <p className="muted">Looking…</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing waits for you: no expenses to review, no receipts missing, and the wallet is above its alert.</p>
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

const sectionSummaries: { href: string; label: string; summary: string }[] = [
  { href: '/people', label: 'People', summary: 'Everyone, their roles and teams; invitations' },
  { href: '/cards', label: 'Cards', summary: 'Issue, freeze and limit cards' },
  { href: '/transactions', label: 'Transactions', summary: 'Every card purchase, refund and decline' },
  { href: '/expenses', label: 'Expenses', summary: 'Expenses and what you paid yourself' },
  { href: '/receipts', label: 'Receipts', summary: 'Who owes which, every receipt' },
  { href: '/wallet', label: 'Wallet', summary: 'Top-ups, statements and the low-balance alert' },
  { href: '/settings', label: 'Settings', summary: 'Receipt rules, card defaults, review rules' },
  { href: '/developers', label: 'Developers', summary: 'API keys for your own systems' },
];

function SectionLinks() {
  return (
    <section className="card section-links" aria-labelledby="section-links-heading">
      <h2 id="section-links-heading">Your company</h2>
      <ul>
        {sectionSummaries.map((section) => (
          <li key={section.href}>
            <Link href={section.href}>{section.label}</Link>
            <span className="muted small-text">{section.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
