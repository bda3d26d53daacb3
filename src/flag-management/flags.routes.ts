// HTTP for the platform's feature flags: platform operators (flags:operate) list them, read
// one, and change whether it is on, its variants, default and targeting rules.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { TargetingRule } from '../flags/flag-targeting.js';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { changeFeatureFlag, getFeatureFlag, listFeatureFlags } from './flag-management.service.js';
import { FeatureFlagSchema, FlagPatch, FlagRuleSchema, presentFlag } from './flags.presenters.js';

const tags = ['Feature flags'];
const KeyParams = Type.Object({ key: Type.String({ maxLength: 63 }) });

export function flagsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(FlagRuleSchema);
  app.addSchema(FeatureFlagSchema);

  app.get('/api/v1/feature-flags', {
    config: { access: 'flags:operate' },
    schema: {
      operationId: 'listFeatureFlags',
      tags,
      summary: 'Every feature flag of the platform (operators)',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('FeatureFlag')) }), ...problemResponses },
    },
  }, async () => ({ items: (await listFeatureFlags(db)).map(presentFlag) }));

  app.get('/api/v1/feature-flags/:key', {
    config: { access: 'flags:operate' },
    schema: { operationId: 'getFeatureFlag', tags, summary: 'One feature flag (operators)', params: KeyParams, response: { 200: Type.Ref('FeatureFlag'), ...problemResponses } },
  }, async (request) => presentFlag(await getFeatureFlag(db, request.params.key)));

  app.patch('/api/v1/feature-flags/:key', {
    config: { access: 'flags:operate' },
    schema: {
      operationId: 'updateFeatureFlag',
      tags,
      summary: 'Switch a feature flag, or change its variants, default or rules (audited as feature_flag.updated in the platform\'s trail; every server sees it within seconds)',
      params: KeyParams,
      body: FlagPatch,
      response: { 200: Type.Ref('FeatureFlag'), ...problemResponses },
    },
  }, async (request) => {
    const { rules, ...rest } = request.body;
    const change = { ...rest, ...(rules ? { rules: rules as TargetingRule[] } : {}) };
    return presentFlag(await changeFeatureFlag(db, actorOf(principalOf(request)), request.params.key, change, request.now));
  });
}
