// How the ledger reads to a person: an account of what the company owes someone by that
// person's name as it is today, system accounts and entry kinds in words, and descriptions
// without the internal ids the server writes into them.
import type { Person } from '../api/types';
import type { Pages } from '../components/use-pages';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

/** The account of what the company owes one person: `payable:<their id>`. */
const payablePrefix = 'payable:';

export const accountTypeLabels: Record<string, string> = labelsOf('ledger.accountTypes', en.ledger.accountTypes);

/** Journal entries by the event that wrote them (src: the services that post entries). */
const entryKindLabels: Record<string, string> = labelsOf('ledger.entryKinds', en.ledger.entryKinds);

/** An unknown kind still reads as words: "card_chargeback" as "Card chargeback". */
export function entryKindLabel(kind: string): string {
  const words = kind.replaceAll('_', ' ');
  return entryKindLabels[kind] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** An internal id the server writes into some descriptions ("exp_01HZ…", "pay_01M9…"). */
const internalId = '[a-z]+_[0-9A-Za-z]{20,}';

/** An entry's description without the internal ids the server writes into it: "Café
 * Central: expense exp_01…" reads "Café Central", "batch pay_01…" reads "a payout batch". */
export function readableDescription(description: string): string {
  const text = description
    .replace(new RegExp(`: expense ${internalId}$`), '')
    .replace(new RegExp(`\\bexpense ${internalId}`, 'g'), 'an expense')
    .replace(new RegExp(`\\bbatch ${internalId}`, 'g'), 'a payout batch')
    .replace(new RegExp(` ?\\b${internalId}`, 'g'), '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a person reads for an account: a payable account by its person's current name. */
export function accountNamer(people: Pages<Person>): (account: { code: string; name: string }) => string {
  return ({ code, name }) => {
    if (!code.startsWith(payablePrefix) || people.status !== 'ready') return name;
    const person = people.items.find((candidate) => candidate.id === code.slice(payablePrefix.length));
    return person ? t('ledger.owedTo', { name: person.name }) : name;
  };
}

/** The code, unless it is only an internal id (a payable account's holds the person's). */
export function readableCode(code: string): string | null {
  return code.startsWith(payablePrefix) ? null : code;
}
