// The platform's operators correcting a company's wallet (bank:operate), four eyes: a person of
// the platform proposes, another approves, and only the approval books it (src/wallet).
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import * as corrections from '../wallet/wallet-corrections.service.js';
import { platformOwnerOf } from './statement-owner.js';

/** Only a person of the platform corrects a wallet: each side of four eyes is someone. */
async function operatorOf(db: Db, principal: Principal): Promise<corrections.Operator> {
  await platformOwnerOf(db, principal);
  const actor = actorOf(principal);
  if (actor.actorType !== 'user') throw new DomainError('forbidden', 'wallet corrections are proposed and approved by operators in person');
  return { actorType: 'user', actorId: actor.actorId };
}

export async function proposeWalletCorrection(db: Db, principal: Principal, proposal: corrections.CorrectionProposal, now: Date): Promise<corrections.CorrectionRow> {
  return corrections.proposeCorrection(db, await operatorOf(db, principal), proposal, now);
}

export async function approveWalletCorrection(db: Db, principal: Principal, id: string, now: Date): Promise<corrections.CorrectionRow> {
  return corrections.approveCorrection(db, await operatorOf(db, principal), id, now);
}

export async function listWalletCorrections(db: Db, principal: Principal, query: { state?: corrections.CorrectionRow['state']; before?: string; limit: number }): Promise<corrections.CorrectionRow[]> {
  await operatorOf(db, principal);
  return corrections.listCorrections(db, query.state, query.before, query.limit);
}
