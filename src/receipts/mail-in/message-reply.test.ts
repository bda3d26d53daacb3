import { describe, expect, it } from 'vitest';
import { messageReply, replyReason, type DeliveryOutcome } from './message-reply.js';

const delivered: DeliveryOutcome = { kind: 'delivered' };
const failed: DeliveryOutcome = { kind: 'failed' };
const refused = (reason: string): DeliveryOutcome => ({ kind: 'refused', reason });

describe('messageReply', () => {
  it.each<[string, DeliveryOutcome[], number, string | RegExp]>([
    ['no recipients at all', [], 554, 'No valid recipients'],
    ['a temporary failure, whatever else happened', [delivered, refused('closed'), failed], 451, /try again/],
    ['every recipient refusing it', [refused('Card closed'), refused('other')], 554, 'Card closed'],
    ['some delivered while others refused it', [refused('Card closed'), delivered], 250, 'Receipt received'],
    ['all delivered', [delivered, delivered], 250, 'Receipt received'],
  ])('answers %s', (_case, outcomes, code, message) => {
    const reply = messageReply(outcomes);
    expect(reply.code).toBe(code);
    expect(reply.message).toMatch(message);
  });
});

describe('replyReason', () => {
  it('keeps one line of printable ASCII of bounded length', () => {
    expect(replyReason('Card\r\n250 OK closed\u0000 ü')).toBe('Card 250 OK closed');
    expect(replyReason('x'.repeat(500))).toHaveLength(200);
    expect(replyReason('\r\n')).toBe('Message refused');
  });
});
