// The button that takes a receipt: on a phone it opens the camera (capture="environment"),
// on a computer the file chooser. It is a label around a hidden file input, so the input
// keeps its native behaviour and its accessible name.
import type { ChangeEvent } from 'react';
import { ProblemMessage } from '../components/status';
import { receiptAccept } from './send-receipt';
import type { ReceiptSender } from './use-receipt-sender';
import { t } from '../i18n/i18n';

interface ReceiptFileInputProps {
  /** The button's text, e.g. "Snap receipt". */
  label: string;
  /** What a screen reader announces, e.g. "Snap receipt for Café Nord". */
  accessibleLabel?: string;
  sender: ReceiptSender;
  /** Open the camera on phones; without it the phone offers its files and gallery. */
  camera?: boolean;
  multiple?: boolean;
  className?: string;
  /** False where one place shows the problems of several inputs sharing a sender. */
  showProblems?: boolean;
}

export function ReceiptFileInput({ label, accessibleLabel, sender, camera = true, multiple = false, className = 'secondary small', showProblems = true }: ReceiptFileInputProps) {
  function picked(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    // Cleared, so that picking the same file again after a refusal sends it again.
    event.target.value = '';
    void sender.send(files);
  }
  return (
    <>
      <label className={`file-button ${className}`} aria-disabled={sender.sending || undefined}>
        <span aria-hidden={accessibleLabel ? true : undefined}>{sender.sending ? t('expenses.history.sending') : label}</span>
        <input
          type="file"
          className="visually-hidden"
          accept={receiptAccept}
          capture={camera ? 'environment' : undefined}
          multiple={multiple}
          aria-label={accessibleLabel ?? label}
          disabled={sender.sending}
          onChange={picked}
        />
      </label>
      {showProblems && <SendProblems sender={sender} />}
    </>
  );
}

/** Each refused file with the server's reason; shown where the file was given. */
export function SendProblems({ sender }: { sender: ReceiptSender }) {
  return (
    <>
      {sender.refused.map((refused, index) => (
        <ProblemMessage key={`${refused.fileName}-${index}`} problem={refused.problem} prefix={refused.fileName || undefined} />
      ))}
      {sender.leftOut > 0 && (
        <p className="problem" role="alert">
          {sender.leftOut} more {sender.leftOut === 1 ? 'file was' : 'files were'} left out: send them again in a second go.
        </p>
      )}
    </>
  );
}
