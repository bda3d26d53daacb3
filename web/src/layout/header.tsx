import { useState } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';
import { ProblemMessage } from '../components/status';
import { Link } from '../router';
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
        <Link href="/" className="brand" aria-label={`Outlay home for ${session.company.name}`}>
          <span className="brand-mark" aria-hidden="true">
            O
          </span>
          <span className="brand-company">{session.company.name}</span>
        </Link>
        <div className="app-header-person">
          <span className="person-name">{session.person.name}</span>
          <button type="button" className="secondary small" onClick={logOutClicked} disabled={busy}>
            {busy ? 'Logging out…' : 'Log out'}
          </button>
        </div>
      </div>
      <ProblemMessage problem={problem} />
    </header>
  );
}
