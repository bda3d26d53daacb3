// The wallet's figures: its posted balance, what card holds reserve of it, and what is left
// to spend. On the admin's dashboard it leads to the wallet page.
import { useQuery } from '@tanstack/react-query';
import { getQuery } from '../api/queries';
import { Loaded } from '../components/loaded';
import { formatMoney } from '../format';
import { Link } from '../router';

export function WalletCard({ linkToPage = false }: { linkToPage?: boolean }) {
  const wallet = useQuery(getQuery('/api/v1/wallet'));
  return (
    <section className="card wallet-card" aria-labelledby="wallet-heading">
      <div className="card-title-row">
        <h2 id="wallet-heading">Company wallet</h2>
        <button type="button" className="link-button" onClick={() => void wallet.refetch()} disabled={wallet.isFetching}>
          Refresh
        </button>
      </div>
      <Loaded query={wallet} what="the wallet">
        {(figures) => (
          <dl className="wallet-figures">
            <div className="wallet-balance">
              <dt>Balance</dt>
              <dd>{formatMoney(figures.balance)}</dd>
            </div>
            <div>
              <dt>Available</dt>
              <dd>{formatMoney(figures.available)}</dd>
            </div>
            <div>
              <dt>Reserved by card holds</dt>
              <dd>{formatMoney(figures.reserved)}</dd>
            </div>
          </dl>
        )}
      </Loaded>
      {linkToPage && (
        <p className="wallet-link small-text">
          <Link href="/wallet">Top up, top-up history and low-balance alert</Link>
        </p>
      )}
    </section>
  );
}
