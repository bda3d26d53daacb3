import { Link } from '../router';

export function NotFoundPage() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Go to your home page</Link>
      </p>
    </section>
  );
}
