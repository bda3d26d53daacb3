// The app's sections, as the person's roles open them: everyone has their home and their
// expenses; reviewers the review queue; bookkeepers the books and the export; admins
// reimbursements as well. On a phone the row scrolls sideways.
import type { Person } from '../api/types';
import { can } from '../permissions';
import { Link, usePath } from '../router';
import { useSession } from '../session';

interface Section {
  href: string;
  label: string;
}

export function sectionsOf(person: Person): Section[] {
  return [
    { href: '/', label: 'Home' },
    { href: '/expenses', label: 'Expenses' },
    ...(can(person, 'expenses:review') ? [{ href: '/reviews', label: 'Review' }] : []),
    ...(can(person, 'expenses:manage')
      ? [
          { href: '/books', label: 'Books' },
          { href: '/exports', label: 'Export' },
        ]
      : []),
    ...(can(person, 'payouts:manage') ? [{ href: '/reimbursements', label: 'Reimbursements' }] : []),
  ];
}

/** The section a path belongs to: an expense's page is under Expenses. */
function isCurrent(href: string, path: string): boolean {
  if (href === '/') return path === '/';
  return path === href || path.startsWith(`${href}/`);
}

export function AppNav() {
  const { session } = useSession();
  const path = usePath();
  return (
    <nav className="app-nav" aria-label="Sections">
      <ul>
        {sectionsOf(session.person).map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={isCurrent(section.href, path) ? 'page' : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
