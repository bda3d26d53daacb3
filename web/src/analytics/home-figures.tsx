// The admin's home figures (GET /api/v1/analytics/home): how long the available balance lasts
// at the last 30 and 90 days' spend, the daily burn, this month's spend, what waits for review
// or a receipt, and whether the balance is under its alert. The server sums them exactly.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { Loaded } from '../components/loaded';
import { formatMoney } from '../format';
import { t } from '../i18n/i18n';

const runwayText = (days: number | null) => (days === null ? t('analytics.home.noBurn') : t('analytics.home.days', { count: days }));

export function HomeFigures() {
  const home = useQuery(getQuery('/api/v1/analytics/home'));
  return (
    <section className="card" aria-labelledby="home-figures-heading">
      <h2 id="home-figures-heading">{t('analytics.home.heading')}</h2>
      <Loaded query={home} what="the home figures">
        {(figures) => {
          const [month, quarter] = figures.burn;
          const alert = figures.lowBalance;
          const alertText = alert.below === null ? t('analytics.home.noAlert') : t(alert.isLow ? 'analytics.home.low' : 'analytics.home.fine', { amount: formatMoney(alert.below) });
          const rows: [string, string, string][] = [
            ['runway', t('analytics.home.runway'), runwayText(month?.runwayDays ?? null)],
            ['runway-90', t('analytics.home.runway90'), runwayText(quarter?.runwayDays ?? null)],
            ['burn', t('analytics.home.burn'), month ? formatMoney(month.dailyAverage) : ''],
            ['this-month', t('analytics.home.thisMonth'), `${formatMoney(figures.spentThisMonth.amount)} · ${t('analytics.home.expenses', { count: figures.spentThisMonth.count })}`],
            ['pending-reviews', t('analytics.home.pendingReviews'), String(figures.pendingReviews)],
            ['missing-receipts', t('analytics.home.missingReceipts'), String(figures.missingReceipts)],
            ['balance-alert', t('analytics.home.balanceState'), alertText],
          ];
          return (
            <dl className="wallet-figures">
              {rows.map(([key, label, value]) => (
                <div key={key} data-figure={key} className={key === 'balance-alert' && alert.isLow ? 'figure-low' : undefined}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          );
        }}
      </Loaded>
    </section>
  );
}
