import type { Pages } from './use-pages';
import { ProblemMessage } from './status';
import { t } from '../i18n/i18n';

/** "Show more" under a paged list, while the API has more to give. */
export function MoreButton<T>({ pages, onMore, what }: { pages: Pages<T>; onMore: () => void; what: string }) {
  if (pages.status !== 'ready' || !pages.nextCursor) return null;
  return (
    <div className="more">
      <ProblemMessage problem={pages.moreProblem} />
      <button type="button" className="secondary" onClick={onMore} disabled={pages.loadingMore}>
        {pages.loadingMore ? t('status.loadingShort') : t('status.showMore', { what })}
      </button>
    </div>
  );
}
