// Where the blob store keeps files, as src/config/config.ts reads it from the environment
// (OUTLAY_BLOB_STORE and the OUTLAY_S3_ variables).

export interface S3Settings {
  bucket: string;
  /** An S3-compatible server's URL (MinIO, Ceph, R2, ...); null: AWS's own for the region. */
  endpoint: string | null;
  region: string;
  /** Keys are prefixed with this and a slash; null: no prefix. */
  prefix: string | null;
  /** bucket in the path (http://host/bucket/key) instead of the host name (http://bucket.host/key). */
  forcePathStyle: boolean;
  /** null: the SDK's default chain (environment, shared files, instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

export type StorageConfig =
  /** The blobs table of Outlay's database: shared by every process, nothing else to run. */
  | { kind: 'database' }
  /** An S3 bucket. */
  | ({ kind: 's3' } & S3Settings)
  /** A folder of this machine: one process, or a folder every process mounts. */
  | { kind: 'local'; root: string };
