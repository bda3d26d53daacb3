// Label tables ("draft" → "Draft") that read their words from the catalogue each time one is
// looked up, so a table kept in a module (expenseStateLabels[state]) speaks the current
// language like a component does. The English section gives the keys, and the table's type
// (Record<ExpenseState, string>) says that section names every value of the API.
import { t } from './i18n';

export function labelsOf<Key extends string>(prefix: string, englishSection: Readonly<Record<Key, string>>): Record<Key, string> {
  const labels = {} as Record<Key, string>;
  for (const key of Object.keys(englishSection) as Key[]) {
    Object.defineProperty(labels, key, { enumerable: true, get: () => t(`${prefix}.${key}` as never) });
  }
  return labels;
}
