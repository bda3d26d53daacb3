// Client-side routing on the History API. The server answers every non-API path with the
// app's index.html, so a reload or a pasted link lands here and the path decides the page.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const navigationEvent = 'outlay:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(navigationEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(navigationEvent, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The query string of the address ("?q=taxi&state=approved"), where list filters live. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Replaces the query string in place (no new history entry for each keystroke in a filter). */
export function replaceSearch(params: URLSearchParams): void {
  const search = params.toString();
  const next = `${window.location.pathname}${search ? `?${search}` : ''}`;
  if (next === `${window.location.pathname}${window.location.search}`) return;
  window.history.replaceState(null, '', next);
  window.dispatchEvent(new Event(navigationEvent));
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(navigationEvent));
}

/** The kinds of expense a person files themselves, as their paths spell them. */
export const newExpenseKinds = { 'out-of-pocket': 'out_of_pocket', mileage: 'mileage', 'per-diem': 'per_diem' } as const;
export type NewExpensePath = keyof typeof newExpenseKinds;

export type Route =
  | { page: 'login' }
  | { page: 'invite'; token: string }
  | { page: 'forgot-password' }
  | { page: 'reset-password'; token: string }
  | { page: 'home' }
  | { page: 'my-cards' }
  | { page: 'people' }
  | { page: 'cards' }
  | { page: 'transactions' }
  | { page: 'subscriptions' }
  | { page: 'receipts' }
  | { page: 'settings' }
  | { page: 'account' }
  | { page: 'audit' }
  | { page: 'developers' }
  | { page: 'simulator' }
  | { page: 'expenses' }
  | { page: 'my-expenses' }
  | { page: 'new-expense'; kind: NewExpensePath }
  | { page: 'expense'; id: string }
  | { page: 'reviews' }
  | { page: 'books' }
  | { page: 'analytics' }
  | { page: 'budgets' }
  | { page: 'exports' }
  | { page: 'reimbursements' }
  | { page: 'wallet' }
  | { page: 'wallet-statement'; id: string }
  | { page: 'bank-statements' }
  | { page: 'bank-suspense' }
  | { page: 'bank-statement'; id: string }
  | { page: 'feature-flags' }
  | { page: 'not-found' };

const fixedPages: Record<string, Route> = {
  '/': { page: 'home' },
  '': { page: 'home' },
  '/login': { page: 'login' },
  '/forgot-password': { page: 'forgot-password' },
  '/my-cards': { page: 'my-cards' },
  '/people': { page: 'people' },
  '/cards': { page: 'cards' },
  '/transactions': { page: 'transactions' },
  '/subscriptions': { page: 'subscriptions' },
  '/receipts': { page: 'receipts' },
  '/settings': { page: 'settings' },
  '/account': { page: 'account' },
  '/developers': { page: 'developers' },
  '/simulator': { page: 'simulator' },
  '/expenses': { page: 'expenses' },
  '/expenses/mine': { page: 'my-expenses' },
  '/settings/audit': { page: 'audit' },
  '/reviews': { page: 'reviews' },
  '/books': { page: 'books' },
  '/analytics': { page: 'analytics' },
  '/budgets': { page: 'budgets' },
  '/exports': { page: 'exports' },
  '/reimbursements': { page: 'reimbursements' },
  '/wallet': { page: 'wallet' },
  '/bank/statements': { page: 'bank-statements' },
  '/bank/suspense': { page: 'bank-suspense' },
  '/operator/flags': { page: 'feature-flags' },
};

export function matchRoute(path: string): Route {
  const trimmed = path.length > 1 ? path.replace(/\/$/, '') : path;
  const fixed = fixedPages[trimmed];
  if (fixed) return fixed;
  const invite = /^\/invite\/([^/]+)$/.exec(trimmed);
  if (invite) return { page: 'invite', token: decodeURIComponent(invite[1]!) };
  const resetPassword = /^\/reset-password\/([^/]+)$/.exec(trimmed);
  if (resetPassword) return { page: 'reset-password', token: decodeURIComponent(resetPassword[1]!) };
  const newExpense = /^\/expenses\/new\/([a-z-]+)$/.exec(trimmed);
  if (newExpense) return newExpense[1]! in newExpenseKinds ? { page: 'new-expense', kind: newExpense[1] as NewExpensePath } : { page: 'not-found' };
  const expense = /^\/expenses\/([^/]+)$/.exec(trimmed);
  if (expense && expense[1] !== 'new') return { page: 'expense', id: decodeURIComponent(expense[1]!) };
  const walletStatement = /^\/wallet\/statements\/([^/]+)$/.exec(trimmed);
  if (walletStatement) return { page: 'wallet-statement', id: decodeURIComponent(walletStatement[1]!) };
  const bankStatement = /^\/bank\/statements\/([^/]+)$/.exec(trimmed);
  if (bankStatement) return { page: 'bank-statement', id: decodeURIComponent(bankStatement[1]!) };
  return { page: 'not-found' };
}

/** The path of one expense's page. */
export const expensePath = (id: string) => `/expenses/${encodeURIComponent(id)}`;
/** The page of one statement of the top-up account (operators). */
export const bankStatementPath = (id: string) => `/bank/statements/${encodeURIComponent(id)}`;
/** The page of one statement of the company's own bank account. */
export const walletStatementPath = (id: string) => `/wallet/statements/${encodeURIComponent(id)}`;

/** An anchor that moves within the app without a page load (modified clicks still open tabs). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  function follow(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  }
  return <a href={href} onClick={follow} {...rest} />;
}
