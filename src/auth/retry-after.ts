// The Retry-After header (RFC 9110 section 10.2.3) of a request refused for too many
// attempts: a route that may throw RateLimitedError lists this as its onError hook, and the
// problem the error handler sends goes out with the header.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../shared/errors.js';

export async function sendRetryAfter(_request: FastifyRequest, reply: FastifyReply, error: Error): Promise<void> {
  if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
}
