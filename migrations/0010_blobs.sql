-- Files (receipts and their thumbnails, export files, bank statement files) kept in the
-- database, so every process of a deployment reads what any other one stored, and the
-- embedded mode needs nothing beside its database. OUTLAY_BLOB_STORE=s3 or local keeps them
-- elsewhere and leaves this table empty.
--
-- The key is the blob store's key (slash-separated segments, see src/storage/blob-store.ts);
-- byte_size repeats the length so sizes can be summed without reading the bytes, and so a
-- read can refuse a file too large for it before it fetches the bytes. No file is larger
-- than blobBytesMax (100 MiB, src/storage/blob-store.ts).
--
-- outlay: expand
CREATE TABLE blobs (
  key         text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 1100),
  bytes       bytea NOT NULL,
  byte_size   bigint NOT NULL CHECK (byte_size = octet_length(bytes))
              CONSTRAINT blobs_byte_size_max CHECK (byte_size <= 104857600),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Photos, PDFs and exports hardly compress: kept out of line without trying to.
ALTER TABLE blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
