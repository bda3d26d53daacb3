import { Link } from '../router';
import { usePageTitle } from './use-page-title';
import { t } from '../i18n/i18n';

export function NotFoundPage() {
  usePageTitle(t('pages.notFound.heading'));
  return (
    <section className="card">
      <h1>{t('pages.notFound.heading')}</h1>
      <p>{t('pages.notFound.text')}</p>
      <p>
        <Link href="/">{t('pages.goHome')}</Link>
      </p>
    </section>
  );
}
