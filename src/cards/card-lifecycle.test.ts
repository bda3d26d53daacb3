import { describe, expect, it } from 'vitest';
import {
  cardActions,
  cardKinds,
  cardStatuses,
  effectiveStatus,
  initialState,
  transition,
  type CardAction,
  type CardKind,
  type CardState,
  type ShippingStatus,
} from './card-lifecycle.js';

const physical = (status: CardState['status'], shippingStatus: ShippingStatus): CardState => ({ kind: 'physical', status, shippingStatus });
const virtual = (status: CardState['status']): CardState => ({ kind: 'virtual', status, shippingStatus: null });

// Every legal move, one row each: from, action, to (status and shipping).
const legal: [CardState, CardAction, CardState['status'], ShippingStatus | null][] = [
  [virtual('active'), 'freeze', 'frozen', null],
  [virtual('frozen'), 'unfreeze', 'active', null],
  [virtual('active'), 'change_controls', 'active', null],
  [virtual('frozen'), 'change_controls', 'frozen', null],
  [virtual('active'), 'cancel', 'cancelled', null],
  [virtual('frozen'), 'cancel', 'cancelled', null],
  [virtual('expired'), 'cancel', 'cancelled', null],
  [virtual('active'), 'replace', 'cancelled', null],
  [virtual('expired'), 'replace', 'cancelled', null],
  [physical('inactive', 'ordered'), 'ship', 'inactive', 'shipped'],
  [physical('inactive', 'ordered'), 'deliver', 'inactive', 'delivered'],
  [physical('inactive', 'shipped'), 'deliver', 'inactive', 'delivered'],
  [physical('inactive', 'shipped'), 'activate', 'active', 'delivered'],
  [physical('inactive', 'delivered'), 'activate', 'active', 'delivered'],
  [physical('inactive', 'ordered'), 'change_controls', 'inactive', 'ordered'],
  [physical('inactive', 'ordered'), 'cancel', 'cancelled', 'ordered'],
  [physical('inactive', 'shipped'), 'replace', 'cancelled', 'shipped'],
  [physical('active', 'delivered'), 'freeze', 'frozen', 'delivered'],
];

const key = (card: CardState, action: CardAction) => `${card.kind}/${card.status}/${card.shippingStatus}/${action}`;
const legalKeys = new Set(legal.map(([card, action]) => key(card, action)));

function everyState(): CardState[] {
  return cardKinds.flatMap((kind: CardKind) =>
    cardStatuses.flatMap((status) => (kind === 'physical' ? (['ordered', 'shipped', 'delivered'] as const).map((s) => physical(status, s)) : [{ kind, status, shippingStatus: null }])),
  );
}

describe('card lifecycle', () => {
  it.each(legal)('allows %j to %s', (card, action, status, shippingStatus) => {
    expect(transition(card, action)).toEqual({ allowed: true, status, shippingStatus });
  });

  it('refuses everything on a cancelled card, saying it is cancelled', () => {
    for (const card of everyState().filter((c) => c.status === 'cancelled')) {
      for (const action of cardActions) {
        const result = transition(card, action);
        expect(result.allowed, key(card, action)).toBe(false);
        if (!result.allowed) expect(result.reason).toMatch(/the card is cancelled/);
      }
    }
  });

  it('refuses every other move, naming the current status', () => {
    const checked: string[] = [];
    for (const card of everyState()) {
      for (const action of cardActions) {
        const result = transition(card, action);
        // Kinds other than physical behave alike; the table lists virtual cards for them.
        const asListed = card.kind === 'physical' ? card : virtual(card.status);
        if (legalKeys.has(key(asListed, action))) continue;
        // Moves the table lists for one shipping state hold for the others where they ignore it.
        if (result.allowed && ['cancel', 'replace', 'change_controls', 'freeze', 'unfreeze'].includes(action)) continue;
        expect(result.allowed, key(card, action)).toBe(false);
        if (!result.allowed) expect(result.reason, key(card, action)).toContain(`the card is ${card.status}`);
        checked.push(key(card, action));
      }
    }
    expect(checked).toContain('virtual/active/null/unfreeze');
    expect(checked).toContain('virtual/active/null/activate');
    expect(checked).toContain('physical/inactive/ordered/activate');
    expect(checked).toContain('physical/inactive/ordered/freeze');
    expect(checked).toContain('physical/active/delivered/activate');
    expect(checked).toContain('physical/inactive/delivered/deliver');
    expect(checked).toContain('single_use/expired/null/freeze');
    expect(checked).toContain('vendor/active/null/ship');
  });

  it('freezes and unfreezes only active and frozen cards', () => {
    for (const card of everyState()) {
      expect(transition(card, 'freeze').allowed, key(card, 'freeze')).toBe(card.status === 'active');
      expect(transition(card, 'unfreeze').allowed, key(card, 'unfreeze')).toBe(card.status === 'frozen');
    }
  });

  it('issues physical cards inactive and ordered, the rest active', () => {
    expect(initialState('physical')).toEqual({ status: 'inactive', shippingStatus: 'ordered' });
    for (const kind of ['virtual', 'single_use', 'vendor'] as const) expect(initialState(kind)).toEqual({ status: 'active', shippingStatus: null });
  });
});

describe('expiry on read', () => {
  const expiry = { month: 3, year: 2029 };

  it('keeps the status through the last moment of the expiry month', () => {
    expect(effectiveStatus('active', expiry, new Date('2029-03-31T23:59:59.999Z'))).toBe('active');
    expect(effectiveStatus('frozen', expiry, new Date('2029-03-31T23:59:59.999Z'))).toBe('frozen');
  });

  it('reads as expired from the first moment after it', () => {
    for (const status of ['active', 'frozen', 'inactive'] as const) {
      expect(effectiveStatus(status, expiry, new Date('2029-04-01T00:00:00Z'))).toBe('expired');
    }
  });

  it('leaves a cancelled card cancelled', () => {
    expect(effectiveStatus('cancelled', expiry, new Date('2030-01-01T00:00:00Z'))).toBe('cancelled');
  });
});
