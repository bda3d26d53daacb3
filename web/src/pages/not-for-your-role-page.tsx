import { Link } from '../router';

export function NotForYourRolePage() {
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
