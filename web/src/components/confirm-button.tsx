// A button for an action that cannot be undone: the first press asks, in place, before the
// action runs.
import { useState } from 'react';
import { t } from '../i18n/i18n';

interface ConfirmButtonProps {
  /** The button's text, e.g. "Deactivate". */
  label: string;
  /** What a screen reader announces for the button, e.g. "Deactivate Ada Lovelace". */
  accessibleLabel: string;
  question: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  /** 'primary' for an action that books something rather than removes it (accepting). */
  tone?: 'danger' | 'primary';
}

export function ConfirmButton({ label, accessibleLabel, question, confirmLabel, busy, onConfirm, tone = 'danger' }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className={tone === 'danger' ? 'danger-outline small' : 'secondary small'} aria-label={accessibleLabel} disabled={busy} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={tone === 'danger' ? 'danger small' : 'primary small'}
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="secondary small" onClick={() => setAsking(false)}>
        {t('components.confirm.cancel')}
      </button>
    </span>
  );
}
