// Receipts for the demo company's purchases, so every receipt flow can be seen at once:
// photos and a PDF attached to their purchases, a shop's e-mail receipt, a receipt waiting
// for its purchase, one with a close call to confirm, one declared lost, and purchases still
// missing theirs (with the reminders the sweep sends). They are read in the background
// after start, like any other receipt.
import type { Db } from '../db/database.js';
import { addReceiptForPerson, type ReceiptsDeps } from '../receipts/receipt-intake.service.js';
import { declareReceiptLost } from '../receipts/lost-receipts.service.js';
import { updateReceiptSettings } from '../receipts/receipt-settings.service.js';
import { sweepReceipts } from '../receipts/receipt-sweep.js';
import type { Principal } from '../auth/principal.js';
import type { DemoTransaction } from './demo-cards.js';
import { renderReceiptPdf, renderReceiptPicture } from './receipt-pictures.js';

const day = 24 * 3600_000;
const dateOf = (today: Date, daysAgo: number) => new Date(today.getTime() - daysAgo * day).toISOString().slice(0, 10);

const figmaMail = (date: string) => `Figma, Inc.
Receipt #2291-5570

Date paid: ${date}
Payment method: Visa ending 4242

Professional plan, 1 editor        $29.00
Subtotal                           $29.00
Tax                                 $0.00
Total                              $29.00 USD

Questions? billing@figma.example`;

export async function seedDemoReceipts(db: Db, deps: ReceiptsDeps, companyId: string, people: ReadonlyMap<string, string>, transactions: readonly DemoTransaction[], today: Date): Promise<void> {
  const find = (merchant: string, daysAgo: number) => transactions.find((t) => t.merchant === merchant && t.daysAgo === daysAgo);
  const person = (holder: string) => people.get(holder)!;
  const add = async (holder: string, transactionId: string | null, fileName: string | null, content: Parameters<typeof addReceiptForPerson>[1]['content']) =>
    addReceiptForPerson(deps, { companyId, userId: person(holder), transactionId, fileName, content }, today);

  await updateReceiptSettings(db, companyId, { reminderAfterDays: 3, freezeAfterDays: null });

  const cafe = find('Café Nord', 20);
  if (cafe) {
    const photo = await renderReceiptPicture({ merchant: 'Café Nord', address: 'Nørrebrogade 12', date: dateOf(today, 20), items: [{ name: 'Lunch for 3', amount: '42.80' }, { name: 'Tip', amount: '5.20' }], total: '48.00', currency: 'EUR', vat: { rate: '25', amount: '9.60' } });
    await add('emma', cafe.transactionId, 'IMG_2041.jpg', { kind: 'file', bytes: photo, fileName: 'IMG_2041.jpg' });
  }
  const train = find('DSB Rejsebureau', 18);
  if (train) {
    const pdf = renderReceiptPdf({ merchant: 'DSB Rejsebureau', date: dateOf(today, 18), items: [{ name: 'Kobenhavn H - Aarhus H', amount: '189.00' }], total: '189.00', currency: 'EUR', vat: { rate: '25', amount: '37.80' } });
    await add('felix', train.transactionId, 'dsb-billet.pdf', { kind: 'file', bytes: pdf, fileName: 'dsb-billet.pdf' });
  }
  const figma = find('FIGMA.COM', 15);
  if (figma) await add('emma', figma.transactionId, null, { kind: 'text', text: figmaMail(dateOf(today, 15)) });

  // A printed total a little under the card amount: offered as a suggestion to confirm.
  const office = find('Office Depot', 6);
  if (office) {
    const photo = await renderReceiptPicture({ merchant: 'Office Depot', date: dateOf(today, 6), items: [{ name: 'Printer paper', amount: '60.00' }, { name: 'Toner', amount: '52.00' }], total: '112.00', currency: 'EUR' });
    await add('emma', null, 'office.jpg', { kind: 'file', bytes: photo, fileName: 'office.jpg' });
  }
  // A taxi the card has not been charged for yet: the receipt waits for its purchase.
  const taxi = await renderReceiptPicture({ merchant: 'Taxa 4x35', date: dateOf(today, 0), items: [{ name: 'Ride to airport', amount: '31.00' }], total: '31.00', currency: 'EUR' });
  await add('felix', null, 'taxi.jpg', { kind: 'file', bytes: taxi, fileName: 'taxi.jpg' });

  const pret = find('Pret A Manger', 8);
  if (pret) {
    const felix: Principal = { kind: 'user', companyId, userId: person('felix'), sessionId: 'demo', roles: ['employee'], permissions: new Set() };
    await declareReceiptLost(db, felix, pret.transactionId, 'Paper receipt left on the train to London', today);
  }
  // Scandic, Uber and today's coffee stay missing; the sweep reminds of the older ones.
  await sweepReceipts(db, today);
}
