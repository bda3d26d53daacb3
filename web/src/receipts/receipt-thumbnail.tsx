// A receipt's picture, linked to the file itself (opened in a new tab: the server sends it
// inline, sandboxed). PDFs and e-mailed text have no thumbnail and show their kind instead.
import type { Receipt } from '../api/types';
import { t } from '../i18n/i18n';

const kindLabels = (): Record<Receipt['mediaType'], string> => ({
  'image/jpeg': t('receipts.thumbnail.photo'),
  'image/png': t('receipts.thumbnail.image'),
  'image/webp': t('receipts.thumbnail.image'),
  'application/pdf': 'PDF',
  'text/plain': t('receipts.thumbnail.text'),
});

/** Where GET /receipts/:id/file is, for a receipt the page has only the id of (a transaction's). */
const fileUrlOf = (receiptId: string) => `/api/v1/receipts/${encodeURIComponent(receiptId)}/file`;

interface ReceiptThumbnailProps {
  receiptId: string;
  receipt: Receipt | undefined;
  /** The link's accessible name, e.g. "Receipt for Café Nord". */
  name: string;
  small?: boolean;
}

export function ReceiptThumbnail({ receiptId, receipt, name, small = false }: ReceiptThumbnailProps) {
  const href = receipt?.fileUrl ?? fileUrlOf(receiptId);
  const size = small ? 'receipt-thumbnail small' : 'receipt-thumbnail';
  if (receipt?.thumbnailUrl) {
    return (
      <a className={size} href={href} target="_blank" rel="noopener" aria-label={name}>
        <img src={receipt.thumbnailUrl} alt="" loading="lazy" />
      </a>
    );
  }
  if (receipt) {
    return (
      <a className={`${size} receipt-file-tile`} href={href} target="_blank" rel="noopener" aria-label={`${kindLabels()[receipt.mediaType]}: ${name}`}>
        {kindLabels()[receipt.mediaType]}
      </a>
    );
  }
  return (
    <a className="small-text" href={href} target="_blank" rel="noopener" aria-label={t('receipts.thumbnail.viewNamed', { name })}>
      {t('receipts.thumbnail.view')}
    </a>
  );
}
