// Receipts by e-mail: the SMTP listener's target. A person's forwarding address
// receipts+<token>@<domain> names them; every image or PDF attached becomes a receipt, and a
// mail without any (an online shop's receipt) becomes one of its own text.
import type { InboundMailTarget, MailRecipient } from './mail-in/inbound-mail.js';
import { PermanentDeliveryError } from './mail-in/inbound-mail.js';
import { parseReceiptAddress } from './mail-in/receipt-address.js';
import { DomainError } from '../shared/errors.js';
import { findForwardingOwner } from './receipt-forwarding.service.js';
import { hasMailedReceipt, receiveMailedReceipt, type ReceiptsDeps } from './receipt-intake.service.js';

/** Domain errors that mean the file itself is refused; the sender is told, not asked to retry. */
const refusals = new Set(['receipt_unsupported_type', 'receipt_too_large', 'receipt_image_too_large', 'validation_failed']);

export function receiptMailTarget(deps: ReceiptsDeps, domain: string): InboundMailTarget {
  return {
    async resolveRecipient(address) {
      const token = parseReceiptAddress(address.toLowerCase(), domain);
      if (!token) return null;
      const owner = await findForwardingOwner(deps.db, token);
      return owner ? { address, ...owner } : null;
    },
    async deliver(recipient: MailRecipient, mail) {
      const base = { companyId: recipient.companyId, userId: recipient.userId, messageId: mail.messageId, from: mail.from, subject: mail.subject };
      const contents = mail.files.length > 0
        ? mail.files.map((file) => ({ kind: 'file' as const, bytes: file.content, fileName: file.filename }))
        : mail.bodyText
          ? [{ kind: 'text' as const, text: mail.bodyText }]
          : [];
      if (contents.length === 0) throw new PermanentDeliveryError('the message holds no receipt: attach a photo or PDF, or forward the shop\'s receipt e-mail');
      const refused: string[] = [];
      for (const content of contents) {
        // The sending server delivers a message again after a temporary failure: each part once.
        if (mail.messageId && (await hasMailedReceipt(deps.db, recipient.companyId, recipient.userId, mail.messageId, content))) continue;
        try {
          await receiveMailedReceipt(deps, { ...base, content }, mail.receivedAt);
        } catch (error) {
          if (!(error instanceof DomainError) || !refusals.has(error.code)) throw error;
          refused.push(error.message);
        }
      }
      if (refused.length === contents.length) throw new PermanentDeliveryError(`no receipt could be taken: ${refused.join('; ')}`);
    },
  };
}
