// HTTP for funding a company's wallet: where to send money (top-up instructions, wallet:read)
// and the low-balance alert that says when (wallet:read, wallet:write).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/database.js';
import { principalOf } from '../http/authenticate.js';
import { iso, problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { nullable } from './bank.presenters.js';
import { getLowBalanceAlert, setLowBalanceAlert, type LowBalanceAlert } from './low-balance-alerts.service.js';
import type { TopUpAccount } from './top-up-account.js';
import { topUpInstructions } from './top-up-instructions.service.js';


const presentAlert = (alert: LowBalanceAlert) => ({ lowBalanceBelow: alert.below === null ? null : toMoneyJson(alert.below, alert.currency), alertedAt: alert.alertedAt ? iso(alert.alertedAt) : null });

export function topUpInstructionsRoutes(base: FastifyInstance, db: Db, account: TopUpAccount, tags: string[]): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/wallet/top-up-instructions', {
    config: { access: 'wallet:read' },
    schema: {
      operationId: 'getTopUpInstructions',
      tags,
      summary: 'Where to send money to fund the wallet, and the reference that finds it',
      response: { 200: Type.Ref('TopUpInstructions'), ...problemResponses },
    },
  }, async (request) => topUpInstructions(db, principalOf(request).companyId, account));
}

export function lowBalanceAlertRoutes(base: FastifyInstance, db: Db, tags: string[]): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/wallet/low-balance-alert', {
    config: { access: 'wallet:read' },
    schema: { operationId: 'getLowBalanceAlert', tags, summary: 'Below which available balance the admins are alerted', response: { 200: Type.Ref('LowBalanceAlert'), ...problemResponses } },
  }, async (request) => presentAlert(await getLowBalanceAlert(db, principalOf(request).companyId)));

  app.put('/api/v1/wallet/low-balance-alert', {
    config: { access: 'wallet:write' },
    schema: {
      operationId: 'setLowBalanceAlert',
      tags,
      summary: 'Set (or, with null, remove) the low-balance alert',
      body: Type.Object({ lowBalanceBelow: nullable(Type.String({ maxLength: 32 })) }, { additionalProperties: false }),
      response: { 200: Type.Ref('LowBalanceAlert'), ...problemResponses },
    },
  }, async (request) => presentAlert(await setLowBalanceAlert(db, principalOf(request).companyId, request.body.lowBalanceBelow)));
}
