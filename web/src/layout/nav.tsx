// The app's sections, as the person's roles open them, one page each. A person with several
// roles gets every section of each, in one order: their overview, their own cards, the
// company's people, cards and transactions (admins), expenses and receipts (everyone), the
// review queue (reviewers), the books and exports (bookkeepers), reimbursements, the wallet,
// then the admin's settings, developers' page and the simulator (a test tool, absent where
// the server has it off). The platform's operators have the top-up account's statements
// (their home), its suspense queue and the feature flags. On a phone the list folds behind a
// Menu button.
import { useEffect, useState } from 'react';
import type { Session } from '../api/types';
import { t } from '../i18n/i18n';
import { can, worksForCompany } from '../permissions';
import { Link, usePath } from '../router';
import { useSession } from '../session';

export interface Section {
  href: string;
  label: string;
  /** Paths of pages under the section besides its own (a statement under Statements). */
  under?: string;
}

// Functions, not constants: a label is read from the catalogue in the current language.
const operatorSections = (): Section[] => [
  { href: '/bank/statements', label: t('layout.sections.statements'), under: '/bank/statements' },
  { href: '/bank/suspense', label: t('layout.sections.suspense') },
];

/** The platform's feature flags, for the operators who may change them. */
const flagSections = (session: Session): Section[] => (can(session, 'flags:operate') ? [{ href: '/operator/flags', label: t('layout.sections.flags') }] : []);

/** Admins and bookkeepers have a company-wide overview; everyone else their own home. */
function overviewOf(session: Session): Section {
  const { roles } = session.person;
  return roles.includes('admin') || roles.includes('bookkeeper') ? { href: '/', label: t('layout.sections.overview') } : { href: '/', label: t('layout.sections.home') };
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
    ...when(hasOverview && roles.includes('employee'), { href: '/my-cards', label: t('layout.sections.myCards') }),
    ...when(can(session, 'people:write'), { href: '/people', label: t('layout.sections.people') }),
    ...when(can(session, 'cards:manage'), { href: '/cards', label: t('layout.sections.cards') }, { href: '/transactions', label: t('layout.sections.transactions') }),
    // Those who see every purchase and look after the money: admins and bookkeepers.
    ...when(can(session, 'transactions:read') && (can(session, 'cards:manage') || can(session, 'wallet:read')), { href: '/subscriptions', label: t('layout.sections.subscriptions') }),
    { href: '/expenses', label: t('layout.sections.expenses') },
    { href: '/receipts', label: t('layout.sections.receipts') },
    ...when(can(session, 'expenses:review'), { href: '/reviews', label: t('layout.sections.review') }),
    ...when(can(session, 'expenses:manage'), { href: '/books', label: t('layout.sections.books') }, { href: '/exports', label: t('layout.sections.export') }),
    ...when(can(session, 'payouts:manage'), { href: '/reimbursements', label: t('layout.sections.reimbursements') }),
    ...when(can(session, 'wallet:read'), { href: '/wallet', label: t('layout.sections.wallet') }),
    ...when(can(session, 'receipts:manage'), { href: '/settings', label: t('layout.sections.settings') }),
    ...when(can(session, 'api_keys:manage'), { href: '/developers', label: t('layout.sections.developers') }),
    ...when(session.features.simulator && can(session, 'cards:manage'), { href: '/simulator', label: t('layout.sections.simulator') }),
    // A platform person who also holds a company role still reaches the bank's work.
    ...when(can(session, 'bank:operate'), ...operatorSections()),
    ...flagSections(session),
  ];
}

export function sectionsOf(session: Session): Section[] {
  if (worksForCompany(session.person)) return companySections(session);
  const bank = can(session, 'bank:operate') ? [{ href: '/', label: t('layout.sections.statements'), under: '/bank/statements' }, operatorSections()[1]!] : [{ href: '/', label: t('layout.sections.home') }];
  return [...bank, ...flagSections(session)];
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
    <nav className={`app-nav${open ? ' app-nav-open' : ''}`} aria-label={t('layout.sectionsLabel')}>
      <button type="button" className="app-nav-toggle" aria-expanded={open} aria-controls="app-nav-sections" onClick={() => setOpen(!open)}>
        <span aria-hidden="true" className="app-nav-toggle-icon">
          ☰
        </span>
        <span>
          {t('layout.menu')}
          {current ? <span className="app-nav-current">: {current.label}</span> : null}
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
