import { Link } from '../router';
import { usePageTitle } from './use-page-title';
import { t } from '../i18n/i18n';

export function NotForYourRolePage() {
  usePageTitle(t('pages.notForYourRole.heading'));
  return (
    <section className="card">
      <h1>{t('pages.notForYourRole.heading')}</h1>
      <p>{t('pages.notForYourRole.text')}</p>
      <p>
        <Link href="/">{t('pages.goHome')}</Link>
      </p>
    </section>
  );
}
