// Waiting in tests for what the server finishes after it answers (an export's file, a
// notification written beside a purchase): the check is asked again until it gives a value,
// a bounded number of times, and the test fails naming what never came.
import type { ApiClient } from './api-client.js';

const triesMax = 300;
const pauseMs = 100;

/** The first value `check` gives that is not undefined. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < triesMax; tries += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`${what} never came`);
}

/** The export batch once its file is written (or its writing failed). */
export async function finishedExport(client: ApiClient, id: string) {
  return eventually(`the file of export ${id}`, async () => {
    const batch = await client.get(`/api/v1/export-batches/${id}`);
    return batch.body.state === 'exporting' ? undefined : batch.body;
  });
}
