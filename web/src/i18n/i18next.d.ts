// Typed keys: `t('expenses.new.title')` is checked against the English catalogue when the
// web app is type-checked, and the Danish one must have the same shape (da.ts).
import 'i18next';
import type { en } from './en';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
    returnNull: false;
  }
}
