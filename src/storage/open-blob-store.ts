// The blob store the configuration names (OUTLAY_BLOB_STORE), opened once per process.
import type { QueryExecutorProvider } from 'kysely';
import { LocalBlobStore, type OwnedBlobStore } from './blob-store.js';
import { DatabaseBlobStore } from './database-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';
import type { StorageConfig } from './storage-config.js';

/** db: Outlay's database, where the database store keeps its files. */
export function openBlobStore(config: StorageConfig, db: QueryExecutorProvider): OwnedBlobStore {
  if (config.kind === 'database') return new DatabaseBlobStore(db);
  if (config.kind === 's3') return new S3BlobStore(config);
  return new LocalBlobStore(config.root);
}

/** How the store names itself in messages: "the database", "the S3 bucket b", "the folder f". */
export function describeBlobStore(config: StorageConfig): string {
  if (config.kind === 'database') return 'the database';
  if (config.kind === 's3') return `the S3 bucket ${config.bucket}${config.prefix ? ` under ${config.prefix}/` : ''}`;
  return `the folder ${config.root}`;
}
