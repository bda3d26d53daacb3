// Lists the expenses spent in one period, every page of them, with an API key holding
// expenses:read:
//
//   OUTLAY_URL=https://outlay.example.com OUTLAY_API_KEY=olk.… \
//     npx tsx clients/typescript/examples/expenses-of-a-period.ts 2026-11-01 2026-11-30
import { createOutlayClient, data, OutlayProblem } from '../src/index.js';

const [from = '2026-11-01', to = '2026-11-30'] = process.argv.slice(2);
const outlay = createOutlayClient({ baseUrl: process.env.OUTLAY_URL ?? 'http://localhost:3000', apiKey: process.env.OUTLAY_API_KEY ?? '' });

try {
  let cursor: string | undefined;
  do {
    const page = await data(outlay.GET('/api/v1/expenses', { params: { query: { from, to, sort: 'spentOn', order: 'asc', limit: '200', ...(cursor ? { cursor } : {}) } } }));
    for (const expense of page.items) {
      console.log([expense.spentOn, expense.person.name, expense.merchant ?? '', `${expense.amount.amount} ${expense.amount.currency}`, expense.state].join('\t'));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  // TODO: subscribe a webhook endpoint once POST /api/v1/webhooks/endpoints is in the API
  // (and so in schema.gen.ts); its body below is a sketch until then:
  // await data(outlay.POST('/api/v1/webhooks/endpoints', { body: { url: 'https://example.com/outlay', events: ['expense.approved'] } }));
} catch (error) {
  if (!(error instanceof OutlayProblem)) throw error;
  console.error(`Outlay refused (${error.status} ${error.code}): ${error.detail}`);
  process.exitCode = 1;
}
