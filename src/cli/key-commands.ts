// `outlay keys`: what the encryption keys of card secrets and webhook signing secrets protect,
// and rotating them.
import type { Command } from 'commander';
import { cardKeyStatus, rotateCardSecrets } from '../cards/card-key-rotation.service.js';
import { fieldKeysOf } from '../config/config.js';
import { rewriteSecretsUnderCurrentKey } from '../webhooks/webhooks.service.js';
import { ExitCode, type CommandContext } from './command-context.js';

export function registerKeyCommands(root: Command, { io, config, withDatabase }: CommandContext): void {
  const keys = root.command('keys').description('encryption keys of card numbers, CVVs and webhook signing secrets');
  keys
    .command('status')
    .description('how many cards are under each key: the current one (OUTLAY_ENCRYPTION_KEY) and those rotated out')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const settings = config();
      const status = await withDatabase(settings, ({ db }) => cardKeyStatus(db, fieldKeysOf(settings)));
      if (options.json) io.out(JSON.stringify(status));
      else {
        io.out(`current key ${status.currentKeyId}`);
        for (const row of status.cardsByKey) io.out(`${row.keyId === status.currentKeyId ? '*' : ' '} ${row.keyId.padEnd(11)} ${row.cards} cards`);
      }
    });
  keys
    .command('rotate')
    .description('rewrite every card secret and webhook signing secret under the current key; afterwards the keys in OUTLAY_ENCRYPTION_KEYS_PREVIOUS can be removed')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const settings = config();
      const fieldKeys = fieldKeysOf(settings);
      const [result, webhooks] = await withDatabase(settings, async ({ db }) => [await rotateCardSecrets(db, fieldKeys), await rewriteSecretsUnderCurrentKey(db, fieldKeys)] as const);
      if (options.json) io.out(JSON.stringify({ ...result, webhookEndpoints: { rewritten: webhooks.rewritten, undecryptable: webhooks.undecryptable } }));
      else io.out(`rewrote ${result.rewritten} cards and ${webhooks.rewritten} webhook endpoints under key ${result.keyId}`);
      const named = (ids: string[]) => `${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`;
      if (result.undecryptable.length > 0) io.err(`outlay: ${result.undecryptable.length} cards decrypt under no configured key and were left as they are: ${named(result.undecryptable)}`);
      if (webhooks.undecryptable.length > 0) io.err(`outlay: ${webhooks.undecryptable.length} webhook endpoints have a secret no configured key decrypts and were left as they are: ${named(webhooks.undecryptable)}`);
      if (result.undecryptable.length + webhooks.undecryptable.length > 0) throw new ExitCode(1);
    });
}
