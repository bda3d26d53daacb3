// The wallet's figures: its posted balance, what card holds reserve of it, and what is left
// to spend. On the admin's dashboard it leads to the wallet page.
import { api } from '../api/client';
import type { Wallet } from '../api/types';
import { useResource } from '../components/use-resource';
import { LoadError, Loading } from '../components/status';
import { formatMoney } from '../format';
import { Link } from '../router';

export function WalletCard({ linkToPage = false }: { linkToPage?: boolean }) {
  const { resource, reload } = useResource(() => api.get<Wallet>('/wallet'), 'wallet');
  return (
    <section className="card wallet-card" aria-labelledby="wallet-heading">
      <div className="card-title-row">
        <h2 id="wallet-heading">Company wallet</h2>
        <button type="button" className="link-button" onClick={reload} disabled={resource.status === 'loading'}>
          Refresh
        </button>
      </div>
      {resource.status === 'loading' && <Loading what="the wallet" />}
      {resource.status === 'error' && <LoadError problem={resource.problem} onRetry={reload} />}
      {resource.status === 'ready' && (
        <dl className="wallet-figures">
          <div className="wallet-balance">
            <dt>Balance</dt>
            <dd>{formatMoney(resource.data.balance)}</dd>
          </div>
          <div>
            <dt>Available</dt>
            <dd>{formatMoney(resource.data.available)}</dd>
          </div>
          <div>
            <dt>Reserved by card holds</dt>
            <dd>{formatMoney(resource.data.reserved)}</dd>
          </div>
        </dl>
      )}
      {linkToPage && (
        <p className="wallet-link small-text">
          <Link href="/wallet">Top up, top-up history and low-balance alert</Link>
        </p>
      )}
    </section>
  );
}
