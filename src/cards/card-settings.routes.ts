// HTTP for the company's card settings: the default controls new cards start from, the FX
// markup and how long holds live.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { getCardSettings, updateCardSettings } from './card-settings.service.js';
import { presentSettings } from './cards.presenters.js';

/** Registered by cardsRoutes, after the schemas these routes refer to. */
export function cardSettingsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Cards'];

  app.get('/api/v1/card-settings', {
    config: { access: 'cards:read' },
    schema: { operationId: 'getCardSettings', tags, summary: 'The company\'s default card controls, FX markup and hold expiry', response: { 200: Type.Ref('CardSettings'), ...problemResponses } },
  }, async (request) => presentSettings(await getCardSettings(db, principalOf(request).companyId)));

  app.put('/api/v1/card-settings', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'setCardSettings',
      tags,
      summary: 'Replace the company\'s card settings; default controls apply to cards issued from now on',
      body: Type.Object({
        defaultControls: Type.Ref('CardControlsInput'),
        fxMarkupBasisPoints: Type.Integer({ description: '0 to 1000 (10 %) on purchases in another currency' }),
        holdExpiryHours: Type.Integer({ description: 'How long a hold lives without clearing, 1 to 2160' }),
        longHoldExpiryHours: Type.Integer({ description: 'The same for hotels and car rentals; at least holdExpiryHours' }),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CardSettings'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentSettings(await updateCardSettings(db, principal.companyId, request.body, actorOf(principal)));
  });
}
