/**
 * The calls Loki's and Tempo's S3 clients make on their buckets on EKS, in order, from the
 * clients' source as strata configures them (logs-values.ts, traces-values.ts: the regional
 * endpoint over HTTPS, the region set, no SSE settings, so the bucket's default SSE-KMS applies).
 * connections.ts declares them on each store's S3 connection; the IAM simulator tests run them
 * against the roles (tests/infra/eks/iam/telemetry-stores.integration.test.ts).
 */
import { deleteObject, getObject, listObjects, multipartUpload, putObject, s3Call, type S3Target } from "../../lib/aws-calls";
import type { AwsCall } from "../../lib/connections";
import { LOKI_TENANT } from "./logs-values";

/** A day's index table (schema v13, `index_` prefix, 24 h periods) and a chunk of strata's tenant. */
const TABLE = "index_20420";
const CHUNK = `${LOKI_TENANT}/6d2f1a0b3c4e5f60/18c1a2b3c4d:18c1a2b3c4e:1a2b3c4d`;

/**
 * Loki 3.7 with its default S3 client (`use_thanos_objstore: false`): aws-sdk-go-v2
 * (`pkg/storage/chunk/client/aws/s3_storage_client.go`: ListObjectsV2, GetObject, HeadObject,
 * PutObject without multipart, DeleteObject), no bucket check at start. Index tables under
 * `index/` (`pkg/storage/stores/shipper/indexshipper/storage/`), rule groups under `rules/`
 * (`pkg/ruler/rulestore/objectclient/rule_store.go`; the chart's ruler is on and keeps rules in
 * the bucket), delete requests in `index/delete_requests/` (`pkg/compactor/deletion/`, BoltDB),
 * chunks under the tenant.
 */
export function lokiS3Calls(target: S3Target): AwsCall[] {
  const index = `index/${TABLE}/`;
  const tsdb = `${index}${LOKI_TENANT}/1764201600-loki-0-1764201900.tsdb.gz`;
  return [
    listObjects(target, "index shipper and compactor: list index tables", "index/", "/"),
    listObjects(target, "index shipper: list a table's files", index, ""),
    listObjects(target, "ruler: list rule groups", "rules/", ""),
    ...putObject(target, "ingester: flush a chunk", CHUNK),
    ...putObject(target, "ingester: upload a TSDB index file", tsdb),
    ...getObject(target, "querier: download an index file", tsdb),
    ...getObject(target, "querier: read a chunk", CHUNK),
    ...getObject(target, "compactor: read the delete requests", "index/delete_requests/delete_requests.gz"),
    ...putObject(target, "compactor: record the delete requests", "index/delete_requests/delete_requests.gz"),
    ...putObject(target, "compactor: upload a compacted index", `${index}${LOKI_TENANT}/1764201600-compactor-1764201600-1764287999.tsdb.gz`),
    ...getObject(target, "compactor: check a chunk still exists", CHUNK, true),
    deleteObject(target, "compactor: delete a chunk past retention", CHUNK),
    deleteObject(target, "compactor: delete a compacted index file", tsdb),
  ];
}

/** A Tempo block of the single tenant (multitenancy off, no `prefix` in the storage block). */
const TENANT = "single-tenant";
const BLOCK = `${TENANT}/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190`;

/**
 * Tempo 2.10's S3 backend: minio-go (`tempodb/backend/s3/s3.go`, `compactor.go`). minio-go asks
 * for the bucket's region (GetBucketLocation) unless the client is given one
 * (minio-go `bucket-cache.go`, `getBucketLocation`); strata sets it. Writes of known size go up
 * in one PutObject or, above the part size, a multipart upload minio-go aborts when it fails
 * (`api-put-object-streaming.go`); blocks are appended through multipart uploads Tempo completes
 * itself (`Append`, `CloseAppend`, not aborted); a compacted block's meta is copied
 * (CopyObject: read the source and its tags, write the destination) and the original removed.
 */
export function tempoS3Calls(target: S3Target, s3: { readonly region: string }): AwsCall[] {
  return [
    ...(s3.region === "" ? [s3Call(target, "minio-go: find the bucket's region (GetBucketLocation)", "s3:GetBucketLocation")] : []),
    // internalNew: "try listing objects" with max-keys 1 before anything else.
    s3Call(target, "startup: list one object to confirm the bucket", "s3:ListBucket", undefined, { "s3:prefix": "", "s3:delimiter": "/", "s3:max-keys": "1" }),
    listObjects(target, "poller: list tenants", "", "/"),
    listObjects(target, "poller: list the tenant's blocks", `${TENANT}/`),
    ...getObject(target, "poller: read a block's meta", `${BLOCK}/meta.json`),
    ...getObject(target, "poller: read the tenant index", `${TENANT}/index.json.gz`),
    ...putObject(target, "poller: write the tenant index", `${TENANT}/index.json.gz`),
    ...multipartUpload(target, "flush: append a block's data", `${BLOCK}/data.parquet`, false),
    ...putObject(target, "flush: write a bloom filter", `${BLOCK}/bloom-0`),
    ...multipartUpload(target, "a write above minio-go's part size goes up in parts", `${BLOCK}/bloom-0`, true),
    ...putObject(target, "flush: write the block's meta", `${BLOCK}/meta.json`),
    ...getObject(target, "querier: read a page of a block", `${BLOCK}/data.parquet`),
    ...getObject(target, "compactor: copy meta.json (source)", `${BLOCK}/meta.json`),
    s3Call(target, "compactor: copy meta.json (the source's tags, COPY directive)", "s3:GetObjectTagging", `${BLOCK}/meta.json`),
    ...putObject(target, "compactor: copy meta.json (destination)", `${BLOCK}/meta.compacted.json`),
    deleteObject(target, "compactor: mark the block compacted", `${BLOCK}/meta.json`),
    listObjects(target, "retention: list a block's objects", `${BLOCK}/`, "/"),
    deleteObject(target, "retention: delete a block's object", `${BLOCK}/data.parquet`),
  ];
}
