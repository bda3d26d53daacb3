// How the OpenAPI document describes bodies that are a file's raw bytes rather than JSON:
// uploads (receipts, bank statements) and downloads (receipt files, exports, pain.001).
import type { SwaggerTransform } from '@fastify/swagger';
import { Type } from 'typebox';

/** OpenAPI's way of saying "any bytes" (RFC 9110 content, not JSON). */
const binary = () => Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary' });

/**
 * Documents a request body of raw bytes in the given content types. Fastify validates a body
 * schema against the parsed body, and a Buffer is no JSON string, so such a route has no
 * `body` schema; it passes this as `config.swaggerTransform` to add one to the document only.
 */
export function fileRequestBody(contentTypes: readonly string[], description: string): SwaggerTransform {
  return ({ schema, url }) => ({ schema: { ...schema, consumes: contentTypes, body: { ...binary(), description } }, url });
}

/** A response whose body is a file in one of the given content types. */
export function fileResponse(contentTypes: readonly string[], description: string) {
  return { description, content: Object.fromEntries(contentTypes.map((type) => [type, { schema: binary() }])) };
}
