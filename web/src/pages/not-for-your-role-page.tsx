import { Link } from '../router';
import { usePageTitle } from './use-page-title';

export function NotForYourRolePage() {
  usePageTitle('Not part of your role');
  return (
    <section className="card">
      <h1>Not part of your role</h1>
      <p>This section is for other roles in your company. Ask an admin if you need it.</p>
      <p>
        <Link href="/">Go to your home page</Link>
      </p>
    </section>
  );
}
