// An amount input in the company's locale: a Dane types "1.234,50" or pastes "15,00 kr.",
// and the form gets the API's decimal string "1234.50". What it cannot read is said in
// plain words once the person leaves the input, and is handed on as typed, so the form never
// sends an earlier amount and the API refuses it too.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseAmountInput, writeAmountInput, type AmountReading, type AmountRules } from '../amount-input';
import { formatLocale } from '../i18n/locale';
import { TextField } from './fields';

interface AmountFieldProps extends AmountRules {
  label: string;
  /** The amount as the API writes it ("1234.50"), or what was typed when it is no amount. */
  value: string;
  onChange: (value: string) => void;
  /** A problem the API reported for this input. */
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  disabled?: boolean;
}

/** The form's value for what was typed: the decimal string, or the text as typed. */
function valueOf(typed: string, reading: AmountReading): string {
  return reading.readable ? reading.amount : typed.trim();
}

export function AmountField({ label, value, onChange, error, hint, required, disabled, ...rules }: AmountFieldProps) {
  const { t } = useTranslation();
  const locale = formatLocale();
  const shown = (amount: string) => (amount === '' ? '' : writeAmountInput(amount, locale));
  const [typed, setTyped] = useState(() => shown(value));
  const [handedOn, setHandedOn] = useState(value);
  const [left, setLeft] = useState(false);
  if (value !== handedOn) {
    // Set from outside (a receipt's reading, a reset): show the new amount as the locale writes it.
    setHandedOn(value);
    setTyped(shown(value));
  }
  const reading = typed.trim() === '' ? null : parseAmountInput(typed, locale, rules);
  const example = writeAmountInput(rules.decimals === 3 ? '12.3' : '15.00', locale);
  let ownError: string | undefined;
  if (left && reading && !reading.readable) {
    if (reading.reason === 'unreadable') ownError = t('amount.unreadable', { example });
    else if (reading.reason === 'negative') ownError = t('amount.negative');
    else if (reading.decimals === 0 && rules.currency) ownError = t('amount.wholeOnly', { currency: rules.currency });
    else ownError = t('amount.tooPrecise', { count: reading.decimals });
  }

  function change(next: string) {
    setTyped(next);
    setLeft(false);
    const nextValue = next.trim() === '' ? '' : valueOf(next, parseAmountInput(next, locale, rules));
    setHandedOn(nextValue);
    onChange(nextValue);
  }

  return (
    <TextField
      label={label}
      inputMode="decimal"
      autoComplete="off"
      required={required}
      disabled={disabled}
      value={typed}
      onChange={change}
      onBlur={() => setLeft(true)}
      error={ownError ?? error}
      {...(hint ? { hint } : {})}
    />
  );
}
