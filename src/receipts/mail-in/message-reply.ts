/**
 * The one SMTP reply to a message delivered to several recipients. After DATA, SMTP (unlike
 * LMTP) has a single reply for all of them (RFC 5321 4.2.5), so the outcomes are folded into
 * one, in this order:
 * 1. any temporary failure: 451, so that the sending server tries again; recipients that did
 *    get it then get it again, which is why deliveries are idempotent on the Message-ID;
 * 2. every recipient refused it for good: 554, with the first refusal's reason;
 * 3. otherwise 250, also when some refused it for good: their refusal is only logged, since
 *    a retry would not change it and a bounce would also reach the others' sender.
 */

export type DeliveryOutcome = { kind: 'delivered' } | { kind: 'failed' } | { kind: 'refused'; reason: string };

export interface MessageReply {
  code: 250 | 451 | 554;
  message: string;
}

/** Longest reason put into a reply line, in characters. */
export const replyReasonCharsMax = 200;

export function messageReply(outcomes: readonly DeliveryOutcome[]): MessageReply {
  if (outcomes.length === 0) return { code: 554, message: 'No valid recipients' };
  if (outcomes.some((outcome) => outcome.kind === 'failed')) return { code: 451, message: 'Temporary failure, try again later' };
  const refusal = outcomes.find((outcome) => outcome.kind === 'refused');
  if (refusal && outcomes.every((outcome) => outcome.kind === 'refused')) return { code: 554, message: replyReason(refusal.reason) };
  return { code: 250, message: 'Receipt received' };
}

/** One line of printable ASCII: reply text is 7-bit (RFC 5321 4.2) and must not split the reply. */
export function replyReason(reason: string): string {
  const line = reason.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, replyReasonCharsMax);
  return line === '' ? 'Message refused' : line;
}
