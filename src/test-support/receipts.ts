// Receipt helpers for tests: sending a file as the web app does, and waiting for the
// background reading to finish.
import type { ApiClient, ApiResponse } from './api-client.js';

/** Uploads raw bytes to POST /api/v1/receipts with the query given. */
export function uploadReceipt(client: ApiClient, bytes: Buffer, query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const search = new URLSearchParams(query).toString();
  return client.request('POST', `/api/v1/receipts${search ? `?${search}` : ''}`, undefined, {
    rawBody: bytes,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });
}

/** How long a test waits for a receipt to be read: OCR takes seconds, on a loaded machine more. */
export const readingWaitMs = 90_000;
const pollMs = 200;

/** Polls the receipt until its reading has finished (read or failed) and returns it. */
export async function waitUntilRead(client: ApiClient, receiptId: string): Promise<ApiResponse> {
  const deadline = Date.now() + readingWaitMs;
  for (;;) {
    const response = await client.get(`/api/v1/receipts/${receiptId}`);
    if (response.status !== 200) return response;
    const state = response.body.reading.state as string;
    if (state === 'read' || state === 'failed') return response;
    if (Date.now() > deadline) throw new Error(`receipt ${receiptId} was still ${state} after ${readingWaitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
