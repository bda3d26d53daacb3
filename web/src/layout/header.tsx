import { useAction } from '../api/queries';
import { ProblemMessage } from '../components/status';
import { NotificationsBell } from '../notifications/notifications-bell';
import { Link } from '../router';
import { t } from '../i18n/i18n';
import { AppNav } from './nav';
import { useSession } from '../session';

export function Header() {
  const { session, logOut } = useSession();
  const leave = useAction(logOut);

  return (
    <header className="app-header">
      <div className="app-header-inner">
        <div className="identity">
          <Link href="/" className="brand-mark" aria-label={t('layout.home')}>
            O
          </Link>
          <div className="identity-text">
            <span className="brand-company">{session.company.name}</span>
            <span className="person-name">{session.person.name}</span>
          </div>
        </div>
        <div className="app-header-actions">
          <NotificationsBell />
          <Link href="/account" className="button-link secondary small">
            {t('layout.account')}
          </Link>
          <button type="button" className="secondary small" onClick={() => leave.mutate()} disabled={leave.isPending}>
            {leave.isPending ? t('layout.loggingOut') : t('layout.logOut')}
          </button>
        </div>
      </div>
      <AppNav />
      <ProblemMessage problem={leave.error} />
    </header>
  );
}
