import { useState } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';
import { ProblemMessage } from '../components/status';
import { NotificationsBell } from '../notifications/notifications-bell';
import { Link } from '../router';
import { AppNav } from './nav';
import { useSession } from '../session';

export function Header() {
  const { session, logOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function logOutClicked() {
    setBusy(true);
    setProblem(null);
    try {
      await logOut();
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  }

  return (
    <header className="app-header">
      <div className="app-header-inner">
        <div className="identity">
          <Link href="/" className="brand-mark" aria-label="Outlay home">
            O
          </Link>
          <div className="identity-text">
            <span className="brand-company">{session.company.name}</span>
            <span className="person-name">{session.person.name}</span>
          </div>
        </div>
        <div className="app-header-actions">
          <NotificationsBell />
          <button type="button" className="secondary small" onClick={logOutClicked} disabled={busy}>
            {busy ? 'Logging out…' : 'Log out'}
          </button>
        </div>
      </div>
      <AppNav />
      <ProblemMessage problem={problem} />
    </header>
  );
}
