// The wallet's figures: its posted balance, what card holds reserve of it, and what is left
// to spend. On the admin's dashboard it leads to the wallet page.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { Loaded } from '../components/loaded';
import { formatMoney } from '../format';
import { Link } from '../router';
import { t } from '../i18n/i18n';

export function WalletCard({ linkToPage = false }: { linkToPage?: boolean }) {
  const wallet = useQuery(getQuery('/api/v1/wallet'));
  return (
    <section className="card wallet-card" aria-labelledby="wallet-heading">
      <div className="card-title-row">
        <h2 id="wallet-heading">{t('wallet.card.heading')}</h2>
        <button type="button" className="link-button" onClick={() => void wallet.refetch()} disabled={wallet.isFetching}>
          {t('wallet.card.refresh')}
        </button>
      </div>
      <Loaded query={wallet} what="the wallet">
        {(figures) => (
          <dl className="wallet-figures">
            <div className="wallet-balance">
              <dt>{t('wallet.card.balance')}</dt>
              <dd>{formatMoney(figures.balance)}</dd>
            </div>
            <div>
              <dt>{t('wallet.card.available')}</dt>
              <dd>{formatMoney(figures.available)}</dd>
            </div>
            <div>
              <dt>{t('wallet.card.reserved')}</dt>
              <dd>{formatMoney(figures.reserved)}</dd>
            </div>
          </dl>
        )}
      </Loaded>
      {linkToPage && (
        <p className="wallet-link small-text">
          <Link href="/wallet">{t('wallet.card.link')}</Link>
        </p>
      )}
    </section>
  );
}
