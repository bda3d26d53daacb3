// The app's sections, as the person's roles open them, one page each. A person with several
// roles gets every section of each, in one order: their overview, their own cards, the
// company's people, cards and transactions (admins), expenses and receipts (everyone), the
// review queue (reviewers), the books and exports (bookkeepers), reimbursements, the wallet,
// then the admin's settings, developers' page and the simulator (a test tool, absent where
// the server has it off). The platform's operators have the top-up account's statements
// (their home) and its suspense queue. On a phone the list folds behind a Menu button.
import { useEffect, useState } from 'react';
import type { Session } from '../api/types';
import { can, worksForCompany } from '../permissions';
import { Link, usePath } from '../router';
import { useSession } from '../session';

export interface Section {
  href: string;
  label: string;
  /** Paths of pages under the section besides its own (a statement under Statements). */
  under?: string;
}

const operatorSections: Section[] = [
  { href: '/bank/statements', label: 'Statements', under: '/bank/statements' },
  { href: '/bank/suspense', label: 'Suspense' },
];

/** Admins and bookkeepers have a company-wide overview; everyone else their own home. */
function overviewOf(session: Session): Section {
  const { roles } = session.person;
  return roles.includes('admin') || roles.includes('bookkeeper') ? { href: '/', label: 'Overview' } : { href: '/', label: 'Home' };
}

/** The sections of a person who works for a company, each where their permissions allow. */
function companySections(session: Session): Section[] {
  const { roles } = session.person;
  const hasOverview = roles.includes('admin') || roles.includes('bookkeeper');
  const when = (condition: boolean, ...sections: Section[]) => (condition ? sections : []);
  return [
    overviewOf(session),
    // Their own cards and purchases: the home of an employee, a section of its own when the
    // home is the company's overview.
    ...when(hasOverview && roles.includes('employee'), { href: '/my-cards', label: 'My cards' }),
    ...when(can(session, 'people:write'), { href: '/people', label: 'People' }),
    ...when(can(session, 'cards:manage'), { href: '/cards', label: 'Cards' }, { href: '/transactions', label: 'Transactions' }),
    { href: '/expenses', label: 'Expenses' },
    { href: '/receipts', label: 'Receipts' },
    ...when(can(session, 'expenses:review'), { href: '/reviews', label: 'Review' }),
    ...when(can(session, 'expenses:manage'), { href: '/books', label: 'Books' }, { href: '/exports', label: 'Export' }),
    ...when(can(session, 'payouts:manage'), { href: '/reimbursements', label: 'Reimbursements' }),
    ...when(can(session, 'wallet:read'), { href: '/wallet', label: 'Wallet' }),
    ...when(can(session, 'receipts:manage'), { href: '/settings', label: 'Settings' }),
    ...when(can(session, 'api_keys:manage'), { href: '/developers', label: 'Developers' }),
    ...when(session.features.simulator && can(session, 'cards:manage'), { href: '/simulator', label: 'Simulator' }),
    // A platform person who also holds a company role still reaches the bank's work.
    ...when(can(session, 'bank:operate'), ...operatorSections),
  ];
}

export function sectionsOf(session: Session): Section[] {
  if (worksForCompany(session.person)) return companySections(session);
  return can(session, 'bank:operate') ? [{ href: '/', label: 'Statements', under: '/bank/statements' }, operatorSections[1]!] : [{ href: '/', label: 'Home' }];
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
  const sections = sectionsOf(session);
  const [open, setOpen] = useState(false);
  const current = sections.find((section) => isCurrent(section, path));
  // Following a link (or Back) closes the menu on a phone.
  useEffect(() => setOpen(false), [path]);
  return (
    <nav className={`app-nav${open ? ' app-nav-open' : ''}`} aria-label="Sections">
      <button type="button" className="app-nav-toggle" aria-expanded={open} aria-controls="app-nav-sections" onClick={() => setOpen(!open)}>
        <span aria-hidden="true" className="app-nav-toggle-icon">
          ☰
        </span>
        <span>
          Menu{current ? <span className="app-nav-current">: {current.label}</span> : null}
        </span>
      </button>
      <ul id="app-nav-sections">
        {sections.map((section) => (
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
