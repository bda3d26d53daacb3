// `outlay simulate`: purchases and their lifecycle, sent to a running Outlay as a card
// network would send them. Authorizations it made are remembered in the data directory so
// that `clear`, `reverse`, `refund` and `expire` can name them by id.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { NetworkClient, networkId, type SignedResponse } from './network-client.js';

interface Remembered {
  cardId: string;
  currency: string;
  amount: string;
  merchant: { id: string | null; name: string; mcc: string; country: string };
}

/** Authorizations remembered at most; the oldest are forgotten first. */
export const rememberedMax = 1_000;

function memoryFile(config: Config): string {
  return path.join(config.dataDir, 'simulator.json');
}

function recall(config: Config): Record<string, Remembered> {
  const file = memoryFile(config);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Remembered>) : {};
}

function remember(config: Config, id: string, entry: Remembered): void {
  const all = Object.entries({ ...recall(config), [id]: entry }).slice(-rememberedMax);
  writeFileSync(memoryFile(config), JSON.stringify(Object.fromEntries(all), null, 2) + '\n');
}

export interface SimulatorIo {
  out: (text: string) => void;
  config: () => Config;
}

class SimulatorError extends Error {}

function client(config: Config, url: string | undefined): NetworkClient {
  return new NetworkClient({ baseUrl: url ?? config.publicUrl, secret: config.processorSecret });
}

async function resolveCard(network: NetworkClient, card: string): Promise<string> {
  if (!/^\d{4}$/.test(card)) return card;
  const found = await network.findCardsByLast4(card);
  const items = (found.body.items ?? []) as { id: string; status: string }[];
  if (found.status !== 200) throw new SimulatorError(`looking up the card failed: ${JSON.stringify(found.body)}`);
  if (items.length === 0) throw new SimulatorError(`no card ends in ${card}`);
  if (items.length > 1) throw new SimulatorError(`${items.length} cards end in ${card}; name one by id: ${items.map((item) => item.id).join(', ')}`);
  return items[0]!.id;
}

function report(io: SimulatorIo, response: SignedResponse, json: boolean): void {
  if (json) return io.out(JSON.stringify({ status: response.status, ...response.body }));
  const body = response.body;
  if (response.status !== 200) return io.out(`refused (${response.status}): ${String(body.detail ?? JSON.stringify(body))}`);
  const verdict = body.approved ? 'approved' : `declined: ${String(body.declineReason)}${body.declinePeriod ? ` (${String(body.declinePeriod)})` : ''}`;
  const held = body.heldAmount as { amount: string; currency: string } | null;
  const settled = body.settledAmount as { amount: string; currency: string } | null;
  io.out([verdict, `state ${String(body.state)}`, held ? `held ${held.amount} ${held.currency}` : '', settled ? `booked ${settled.amount} ${settled.currency}` : ''].filter(Boolean).join(', '));
}

interface Common {
  url?: string;
  json?: boolean;
}

export function registerSimulateCommands(root: Command, io: SimulatorIo): void {
  const simulate = root.command('simulate').description('play the card network against a running Outlay (signed processor requests)');
  const fail = (response: SignedResponse) => {
    if (response.status !== 200) process.exitCode = 1;
  };

  simulate
    .command('purchase')
    .description('send an authorization request')
    .requiredOption('--card <id or last four>', 'the card')
    .requiredOption('--amount <decimal>', 'amount in the merchant currency, e.g. 12.50')
    .requiredOption('--currency <code>', 'merchant currency, ISO 4217')
    .requiredOption('--merchant <name>', 'merchant name')
    .option('--mcc <code>', 'merchant category code', '5999')
    .option('--country <code>', 'merchant country, ISO 3166 alpha-2', 'DK')
    .option('--merchant-id <id>', 'merchant id at the network')
    .option('--channel <channel>', 'online, in_person, contactless or atm', 'in_person')
    .option('--url <url>', 'Outlay base URL (default: OUTLAY_PUBLIC_URL)')
    .option('--json', 'print the response as JSON')
    .action(async (options: Common & { card: string; amount: string; currency: string; merchant: string; mcc: string; country: string; merchantId?: string; channel: string }) => {
      const config = io.config();
      const network = client(config, options.url);
      const cardId = await resolveCard(network, options.card);
      const id = networkId('auth');
      const merchant = { id: options.merchantId ?? null, name: options.merchant, mcc: options.mcc, country: options.country };
      const response = await network.authorize({ id, cardId, amount: options.amount, currency: options.currency, merchant, channel: options.channel });
      if (response.status === 200) remember(config, id, { cardId, currency: options.currency, amount: options.amount, merchant });
      if (!options.json) io.out(`authorization ${id}`);
      report(io, response, Boolean(options.json));
      fail(response);
    });

  const lifecycle = (name: string, type: string, description: string, amountHelp: string | null) => {
    const command = simulate
      .command(name)
      .description(description)
      .requiredOption('--authorization <id>', 'the authorization id printed by `simulate purchase`')
      .option('--url <url>', 'Outlay base URL (default: OUTLAY_PUBLIC_URL)')
      .option('--json', 'print the response as JSON');
    if (amountHelp) command.option('--amount <decimal>', amountHelp);
    command.action(async (options: Common & { authorization: string; amount?: string }) => {
      const config = io.config();
      const earlier = recall(config)[options.authorization];
      if (!earlier) throw new SimulatorError(`this simulator did not send authorization ${options.authorization}`);
      const network = client(config, options.url);
      const refund = type === 'refund';
      const message = {
        id: networkId(type),
        type,
        cardId: earlier.cardId,
        // A refund names the purchase it refunds, as the network's message can.
        transactionId: options.authorization,
        ...(refund ? { merchant: earlier.merchant, currency: earlier.currency, amount: options.amount ?? earlier.amount } : {}),
        ...(!refund && options.amount ? { amount: options.amount, currency: earlier.currency } : {}),
        ...(type === 'clearing' && !options.amount ? { amount: earlier.amount, currency: earlier.currency } : {}),
      };
      const response = await network.event(message);
      report(io, response, Boolean(options.json));
      fail(response);
    });
  };
  lifecycle('clear', 'clearing', 'clear an authorization (the final amount may differ: tips, hotels)', 'final amount (default: the authorized amount)');
  lifecycle('reverse', 'reversal', 'reverse an authorization, fully or partly', 'amount to reverse (default: all)');
  lifecycle('refund', 'refund', 'refund (part of) a purchase to the card', 'amount to refund (default: the purchase amount; beyond what is left to refund, Outlay books a flagged merchant credit)');
  lifecycle('expire', 'expiry', 'expire an authorization\'s hold', null);
}

export { SimulatorError };
