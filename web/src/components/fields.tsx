// Labelled inputs. Every input has a visible label (or an aria-label where a table row
// names it), and an error message tied to it with aria-describedby.
import { useId, useState, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { t } from '../i18n/i18n';

/** The id of a control and the ARIA attributes that tie it to its hint and error. */
function useFieldControl(hint: string | undefined, error: string | undefined) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described || undefined } as const;
}

/** The hint and the error under a control, with the ids its aria-describedby names. */
function FieldNotes({ id, hint, error, hintClassName = 'hint' }: { id: string; hint?: string | undefined; error?: string | undefined; hintClassName?: string }) {
  return (
    <>
      {hint && (
        <small className={hintClassName} id={`${id}-hint`}>
          {hint}
        </small>
      )}
      {error && (
        <small className="field-error" id={`${id}-error`}>
          {error}
        </small>
      )}
    </>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
}

export function TextField({ label, value, onChange, error, hint, ...input }: TextFieldProps) {
  const control = useFieldControl(hint, error);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <input {...control} value={value} onChange={(event) => onChange(event.target.value)} {...input} />
      <FieldNotes id={control.id} hint={hint} error={error} />
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
}

export function TextAreaField({ label, value, onChange, error, hint, rows = 3, ...textarea }: TextAreaFieldProps) {
  const control = useFieldControl(hint, error);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <textarea {...control} rows={rows} value={value} onChange={(event) => onChange(event.target.value)} {...textarea} />
      <FieldNotes id={control.id} hint={hint} error={error} />
    </div>
  );
}

interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
  disabled?: boolean;
  required?: boolean;
}

export function SelectField({ label, value, onChange, options, error, disabled, required }: SelectFieldProps) {
  const control = useFieldControl(undefined, error);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <select {...control} value={value} disabled={disabled} required={required} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldNotes id={control.id} error={error} />
    </div>
  );
}

interface CheckboxGroupProps<T extends string> {
  legend: string;
  choices: readonly T[];
  labels?: Partial<Record<T, string>>;
  selected: readonly T[];
  onChange: (selected: T[]) => void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
}

export function CheckboxGroup<T extends string>({ legend, choices, labels, selected, onChange, error, hint, disabled }: CheckboxGroupProps<T>) {
  const { id, 'aria-describedby': described } = useFieldControl(hint, error);
  function toggle(choice: T, checked: boolean) {
    const next = checked ? [...selected, choice] : selected.filter((item) => item !== choice);
    // Keep the order of `choices`, whatever order the boxes were ticked in.
    onChange(choices.filter((item) => next.includes(item)));
  }
  return (
    <fieldset
      className="checkbox-group"
      aria-describedby={described}
      disabled={disabled}
    >
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice} className="checkbox">
          <input type="checkbox" checked={selected.includes(choice)} onChange={(event) => toggle(choice, event.target.checked)} />
          {labels?.[choice] ?? choice}
        </label>
      ))}
      <FieldNotes id={id} hint={hint} error={error} hintClassName="hint checkbox-group-hint" />
    </fieldset>
  );
}

interface CopyFieldProps {
  label: string;
  value: string;
  /** What the button copies when it differs from what is shown (a reference without its spaces). */
  copyValue?: string;
  className?: string;
  children?: ReactNode;
}

/** A read-only value with a Copy button, for invite links, API key secrets and payment references. */
export function CopyField({ label, value, copyValue, className, children }: CopyFieldProps) {
  const id = useId();
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  async function copy() {
    try {
      await navigator.clipboard.writeText(copyValue ?? value);
      setCopied('yes');
    } catch {
      // Without clipboard permission, select the text so the person can copy it by hand.
      const input = document.getElementById(id);
      if (input instanceof HTMLInputElement) input.select();
      setCopied('failed');
    }
  }
  return (
    <div className={`field copy-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(event) => event.target.select()} />
        <button type="button" className="secondary" onClick={copy}>
          {copied === 'yes' ? t('components.fields.copied') : t('components.fields.copy')}
        </button>
      </div>
      {copied === 'failed' && <small className="hint">{t('components.fields.copyByHand')}</small>}
      {children}
    </div>
  );
}
