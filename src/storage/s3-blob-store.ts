// Files kept in an S3 bucket (AWS or any server that speaks its protocol).
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { blobBytesMax, BlobTooLargeError, checkBlob, checkKey, type BlobStoreOptions, type OwnedBlobStore } from './blob-store.js';
import type { S3Settings } from './storage-config.js';

/** How long to wait for a connection to the S3 server, and for a request's answer. */
const s3ConnectTimeoutMs = 5_000;
const s3RequestTimeoutMs = 60_000;

/** Reads a response body, giving up as soon as it passes bytesMax: the Content-Length is the
 * server's word, the count is ours. */
async function readBounded(body: AsyncIterable<Uint8Array>, key: string, bytesMax: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    // Leaving the loop by throwing destroys the stream, and with it the connection's request.
    if (total > bytesMax) throw new BlobTooLargeError(key, bytesMax);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  }
  return Buffer.concat(chunks, total);
}

export class S3BlobStore implements OwnedBlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string | null;
  readonly bytesMax: number;

  constructor(settings: S3Settings, { bytesMax = blobBytesMax }: BlobStoreOptions = {}) {
    this.#bucket = settings.bucket;
    this.#prefix = settings.prefix;
    this.bytesMax = bytesMax;
    this.#client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      requestHandler: { connectionTimeout: s3ConnectTimeoutMs, requestTimeout: s3RequestTimeoutMs },
    });
  }

  #objectKey(key: string): string {
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  /** S3 answers a PUT once the object is stored durably, and replaces an object whole. */
  async put(key: string, bytes: Buffer): Promise<void> {
    await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(checkBlob(key, bytes, this.bytesMax)), Body: bytes, ContentLength: bytes.length }));
  }

  async get(key: string): Promise<Buffer | null> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(checkKey(key)) }));
    } catch (error) {
      // Only a missing object is "no file"; a missing bucket or a refused key is an error.
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
    const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!body) return Buffer.alloc(0);
    if ((response.ContentLength ?? 0) > this.bytesMax) {
      body.destroy?.();
      throw new BlobTooLargeError(key, this.bytesMax);
    }
    return readBounded(body, key, this.bytesMax);
  }

  /** S3 answers a delete of a missing key with success too. */
  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#objectKey(checkKey(key)) }));
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}
