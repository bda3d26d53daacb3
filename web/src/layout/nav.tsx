// The app's sections, as the person's roles open them: everyone in a company has their home
// and their expenses; reviewers the review queue; bookkeepers the books, the export and the
// wallet; admins reimbursements as well. The platform's operators have the top-up account's
// statements (their home) and its suspense queue. On a phone the row scrolls sideways.
import type { Session } from '../api/types';
import { can, worksForCompany } from '../permissions';
import { Link, usePath } from '../router';
import { useSession } from '../session';

interface Section {
  href: string;
  label: string;
  /** Paths of pages under the section besides its own (a statement under Statements). */
  under?: string;
}

export function sectionsOf(session: Session): Section[] {
  if (!worksForCompany(session.person)) {
    return can(session, 'bank:operate')
      ? [
          { href: '/', label: 'Statements', under: '/bank/statements' },
          { href: '/bank/suspense', label: 'Suspense' },
        ]
      : [{ href: '/', label: 'Home' }];
  }
  return [
    { href: '/', label: 'Home' },
    { href: '/expenses', label: 'Expenses' },
    ...(can(session, 'expenses:review') ? [{ href: '/reviews', label: 'Review' }] : []),
    ...(can(session, 'expenses:manage')
      ? [
          { href: '/books', label: 'Books' },
          { href: '/exports', label: 'Export' },
        ]
      : []),
    ...(can(session, 'payouts:manage') ? [{ href: '/reimbursements', label: 'Reimbursements' }] : []),
    ...(can(session, 'wallet:read') ? [{ href: '/wallet', label: 'Wallet' }] : []),
    // A platform person who also holds a company role still reaches the bank's work.
    ...(can(session, 'bank:operate')
      ? [
          { href: '/bank/statements', label: 'Statements', under: '/bank/statements' },
          { href: '/bank/suspense', label: 'Suspense' },
        ]
      : []),
  ];
}

/** The section a path belongs to: an expense's page is under Expenses. */
function isCurrent(section: Section, path: string): boolean {
  if (section.under && path.startsWith(`${section.under}/`)) return true;
  if (section.href === '/') return path === '/';
  return path === section.href || path.startsWith(`${section.href}/`);
}

export function AppNav() {
  const { session } = useSession();
  const path = usePath();
  return (
    <nav className="app-nav" aria-label="Sections">
      <ul>
        {sectionsOf(session).map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={isCurrent(section, path) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
