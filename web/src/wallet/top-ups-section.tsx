// The money that came into the wallet, newest first: the day the bank received it, how much,
// and the bank's reference of the transfer.
import { MoreButton } from '../components/more-button';
import { Empty, LoadError, Loading } from '../components/status';
import { usePages } from '../components/use-pages';
import { formatDate, formatMoney } from '../format';
import { t } from '../i18n/i18n';

const topUpsPageSize = 20;

export function TopUpsSection() {
  const topUps = usePages('/api/v1/wallet/top-ups', topUpsPageSize);
  const { pages } = topUps;
  return (
    <section className="card" aria-labelledby="top-ups-heading">
      <div className="card-title-row">
        <h2 id="top-ups-heading">{t('wallet.topUps.heading')}</h2>
        <button type="button" className="link-button" onClick={topUps.reload} disabled={topUps.fetching}>
          {t('wallet.topUps.refresh')}
        </button>
      </div>
      {pages.status === 'loading' && <Loading what="the top-ups" />}
      {pages.status === 'error' && <LoadError problem={pages.problem} onRetry={topUps.reload} />}
      {pages.status === 'ready' &&
        (pages.items.length === 0 ? (
          <Empty>{t('wallet.topUps.empty')}</Empty>
        ) : (
          <table className="responsive-table" aria-label={t('wallet.topUps.heading')}>
            <thead>
              <tr>
                <th scope="col">{t('wallet.topUps.received')}</th>
                <th scope="col" className="number">
                  {t('wallet.topUps.amount')}
                </th>
                <th scope="col">{t('wallet.topUps.bankReference')}</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((topUp) => (
                <tr key={topUp.id}>
                  <td data-label={t('wallet.topUps.received')}>{formatDate(topUp.receivedOn)}</td>
                  <td data-label={t('wallet.topUps.amount')} className="number money-in">
                    {formatMoney(topUp.amount)}
                  </td>
                  <td data-label={t('wallet.topUps.bankReference')}>
                    <code className="break">{topUp.bankReference}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <MoreButton pages={pages} onMore={topUps.loadMore} what="top-ups" />
    </section>
  );
}
