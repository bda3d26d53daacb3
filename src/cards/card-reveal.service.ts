// Revealing a card's full number and CVV to its holder.
import { recordAudit } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { hasSecondFactor, proofOf, verifySecondFactor, type MfaSettings } from '../mfa/mfa.service.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { recheckPassword } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { findVisibleCard, lockVisibleCard } from './card-access.js';
import { decryptCardSecret } from './card-secrets.js';
import { statusOf } from './card-view.js';

export interface RevealedCard {
  number: string;
  cvv: string;
  expiryMonth: number;
  expiryYear: number;
}

/** The code or passkey's answer a reveal came with, and the relying party a passkey is for. */
export interface SecondFactorGiven {
  given: Parameters<typeof proofOf>[0];
  relyingParty: MfaSettings['relyingParty'];
}

/**
 * The full number and CVV, for the cardholder only, in a browser session, after they
 * type their password again (wrong ones limited per person: 429 rate_limited past the limit,
 * the right one too until the lockout ends) and, when they have two-step sign-in, a code of
 * it or a passkey's answer (limited the same way); every reveal is written to the audit trail.
 */
export async function revealCard(db: Db, encryptionKey: FieldKeys, principal: Principal, id: string, password: string, now: Date, secondFactor?: SecondFactorGiven): Promise<RevealedCard> {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'card numbers are shown to the cardholder in a browser session, never to API keys');
  const card = await findVisibleCard(db, principal, id, 'holder');
  const status = statusOf(card, now);
  if (status === 'cancelled' || status === 'expired') throw new DomainError('card_state_invalid', `the card is ${status}: its number is of no more use`);
  const proof = secondFactor ? proofOf(secondFactor.given) : null;
  await recheckPassword(db, principal.companyId, principal.userId, password, now);
  if (await hasSecondFactor(db, principal)) {
    if (!proof || ('code' in proof && !proof.code)) throw new DomainError('mfa_required', 'type a code of your authenticator too, or use a passkey', 'code');
    await verifySecondFactor(db, { keys: encryptionKey, relyingParty: secondFactor!.relyingParty }, principal, proof, now, { purpose: 'confirmation' });
  }
  return db.transaction().execute(async (trx) => {
    const locked = await lockVisibleCard(trx, principal, id, 'holder');
    await recordAudit(trx, { companyId: locked.company_id, ...actorOf(principal), action: 'card.revealed', subjectType: 'card', subjectId: locked.id, details: { last4: locked.last4 } });
    return {
      number: decryptCardSecret(encryptionKey, locked, 'pan', locked.pan_ciphertext),
      cvv: decryptCardSecret(encryptionKey, locked, 'cvv', locked.cvv_ciphertext),
      expiryMonth: locked.expiry_month,
      expiryYear: locked.expiry_year,
    };
  });
}
