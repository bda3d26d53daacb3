// Which of Outlay's channels a purchase came through, from field 22 (point of service entry
// mode; its first two digits say how the PAN was read) and field 3 (processing code; 01 is a
// cash withdrawal). The table is in README.md as well.
import type { Channel } from '../cards/spend-controls.js';

export const panEntryChannels: Readonly<Record<string, Channel>> = {
  // Keyed in: e-commerce or mail and telephone order, the card not present.
  '01': 'online',
  // Magnetic stripe read (02 partial, 90 full track) and chip fallback to the stripe (80).
  '02': 'in_person',
  '90': 'in_person',
  '80': 'in_person',
  // Chip read by contact (05; 95 with unreliable CVV data).
  '05': 'in_person',
  '95': 'in_person',
  // Contactless chip (07) and contactless magnetic stripe (91).
  '07': 'contactless',
  '91': 'contactless',
  // Credential on file (10) and e-commerce (81).
  '10': 'online',
  '81': 'online',
  // Unknown: as any code not here.
  '00': 'online',
};

/**
 * The channel of an authorization. An unknown or missing entry mode (00) counts as online:
 * card not present is the stricter reading, so a card allowed only in shops is not used
 * where nobody saw it.
 */
export function channelOf(posEntryMode: string | undefined, processingCode: string): Channel {
  if (processingCode.startsWith('01')) return 'atm';
  return panEntryChannels[posEntryMode?.slice(0, 2) ?? ''] ?? 'online';
}
