// A real S3-protocol server for a test: s3rver on an ephemeral port, keeping its objects in a
// temporary folder, with one fresh bucket; close stops it and removes the folder.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../storage/storage-config.js';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** Settings of a store on the bucket, with a key prefix or none. */
  settings(prefix?: string | null): S3Settings;
  close(): Promise<void>;
}

// s3rver checks request signatures against this fixed pair.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3Server(): Promise<TestS3Server> {
  const directory = mkdtempSync(path.join(tmpdir(), 'outlay-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = `outlay-test-${randomBytes(4).toString('hex')}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  const close = async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, bucket, settings: (prefix = null) => ({ bucket, endpoint, region: 'us-east-1', prefix, forcePathStyle: true, credentials }), close };
}
