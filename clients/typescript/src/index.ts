export { createOutlayClient, data, idempotencyHeader, OutlayProblem, problemOf } from './client.js';
export type { components, OutlayClient, OutlayClientOptions, paths, Problem } from './client.js';
