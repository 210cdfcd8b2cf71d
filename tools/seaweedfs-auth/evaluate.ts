/**
 * Pure: whether the SeaweedFS S3 gateway (4.44) lets an identity of its identities JSON make one
 * S3 request, decided the way the gateway decides it for static identities with legacy `actions`
 * and no bucket policy, so tests can prove what each strata consumer can and cannot do.
 *
 * Upstream, at tag 4.44 of seaweedfs/seaweedfs:
 * - weed/s3api/s3api_server.go registers each route with the action it is authorised as:
 *   GetObject, HeadObject, HeadBucket, GetBucketLocation, ListMultipartUploads, ListObjectParts →
 *   `Read`; PutObject, CopyObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 *   AbortMultipartUpload, DeleteObject, DeleteObjects → `Write`; ListObjects(V2),
 *   ListObjectVersions, ListBuckets → `List`; Put/DeleteObjectTagging → `Tagging`;
 *   CreateBucket (PUT bucket) → `Admin`; DeleteBucket → `DeleteBucket`.
 * - weed/s3api/auth_credentials.go `authRequestWithAuthType`: a List request's key is its
 *   `prefix` parameter; DeleteObjects (POST `?delete`) passes the bucket-level check and the
 *   handler authorises each key as a `Write` on that key (`AuthorizeObjectDelete`, called from
 *   s3api_object_handlers_delete.go); ListBuckets is filtered per bucket in its handler.
 * - `authorizationRoute`: an identity with actions, no attached policies and no session token is
 *   authorised by its actions alone (`authorizeViaLegacyActions` → `Identity.CanDo`).
 * - `Identity.CanDo`: `Admin` allows all; an action equal to the request's action allows it on
 *   every bucket; without wildcards `<action>:<bucket>` (or `Admin:<bucket>`) matches whatever
 *   the key; with `*`/`?` a glob against `<action>:<bucket>/<key>` (or `Admin:<bucket>/<key>`).
 * - weed/util/wildcard/wildcard_matcher.go `matchWildcardString`: `*` any run of characters
 *   (slashes included), `?` exactly one, everything else literal and case-sensitive.
 */

export type SeaweedAction = "Read" | "Write" | "List" | "Tagging" | "Admin" | "DeleteBucket";

/** The S3 operations strata's clients make, with the action the gateway authorises each as. */
export const OPERATION_ACTIONS = {
  HeadBucket: "Read",
  GetBucketLocation: "Read",
  ListMultipartUploads: "Read",
  GetObject: "Read",
  HeadObject: "Read",
  ListObjectParts: "Read",
  PutObject: "Write",
  CopyObject: "Write",
  CreateMultipartUpload: "Write",
  UploadPart: "Write",
  CompleteMultipartUpload: "Write",
  AbortMultipartUpload: "Write",
  DeleteObject: "Write",
  DeleteObjects: "Write",
  ListObjects: "List",
  ListObjectsV2: "List",
  ListObjectVersions: "List",
  PutObjectTagging: "Tagging",
  CreateBucket: "Admin",
  DeleteBucket: "DeleteBucket",
} as const satisfies Record<string, SeaweedAction>;

export type S3Operation = keyof typeof OPERATION_ACTIONS;

/** One request: the operation, its bucket, and its key (object calls) or `prefix` (list calls). */
export interface S3Request {
  readonly operation: S3Operation;
  readonly bucket: string;
  /** Object key; for DeleteObjects, each key of the body. @default - none (a bucket-level call) */
  readonly key?: string | readonly string[];
  /** `prefix` of a list call. @default - none */
  readonly prefix?: string;
}

/** The parts of an identity the evaluation reads. */
export interface EvaluatedIdentity {
  readonly name: string;
  readonly actions: readonly string[];
}

/** `matchWildcardString`: `*` any run, `?` one character. */
export function matchesWildcard(pattern: string, text: string): boolean {
  if (pattern === "*" || pattern === text) return true;
  let t = 0;
  let p = 0;
  let star = -1;
  let starMatch = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p;
      starMatch = t;
      p++;
    } else if (star !== -1) {
      p = star + 1;
      starMatch++;
      t = starMatch;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** `Identity.CanDo(action, bucket, objectKey)`. */
export function canDo(identity: EvaluatedIdentity, action: SeaweedAction, bucket: string, objectKey: string): boolean {
  if (identity.actions.includes("Admin")) return true;
  if (identity.actions.includes(action)) return true;
  if (bucket === "") return false;
  const fullPath = objectKey === "" ? bucket : `${bucket}/${objectKey.replace(/^\//, "")}`;
  for (const granted of identity.actions) {
    if (/[*?]/.test(granted)) {
      if (matchesWildcard(granted, `${action}:${fullPath}`) || matchesWildcard(granted, `Admin:${fullPath}`)) return true;
    } else if (granted === `${action}:${bucket}` || granted === `Admin:${bucket}`) {
      return true;
    }
  }
  return false;
}

/** Whether the gateway lets `identity` make `request`. */
export function authorize(identity: EvaluatedIdentity, request: S3Request): boolean {
  const action = OPERATION_ACTIONS[request.operation];
  if (request.operation === "DeleteObjects") {
    const keys = request.key === undefined ? [] : typeof request.key === "string" ? [request.key] : request.key;
    return keys.length > 0 && keys.every((key) => canDo(identity, "Write", request.bucket, key));
  }
  const key = typeof request.key === "string" ? request.key : "";
  const object = key === "" ? (request.prefix ?? "") : key;
  return canDo(identity, action, request.bucket, object);
}

/** The parts of a declared AWS call (lib/connections.ts `AwsCall`) a request is derived from. */
export interface DeclaredS3Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

const OPERATION_OF_IAM_ACTION: Readonly<Record<string, S3Operation>> = {
  "s3:GetObject": "GetObject",
  "s3:PutObject": "PutObject",
  "s3:AbortMultipartUpload": "AbortMultipartUpload",
  "s3:DeleteObject": "DeleteObject",
  "s3:GetBucketLocation": "GetBucketLocation",
};

/**
 * The same request against the gateway as a call the components declare for S3 (lib/aws-calls.ts):
 * `s3:ListBucket` is HeadBucket without `s3:prefix`, ListObjectsV2 with it. KMS calls have no
 * counterpart (undefined): SeaweedFS encrypts nothing with a caller's key.
 */
export function requestOfDeclaredCall(call: DeclaredS3Call): S3Request | undefined {
  if (!call.action.startsWith("s3:")) return undefined;
  const path = call.resource.replace(/^arn:aws:s3:::/, "");
  const slash = path.indexOf("/");
  const bucket = slash < 0 ? path : path.slice(0, slash);
  const key = slash < 0 ? undefined : path.slice(slash + 1);
  if (call.action === "s3:ListBucket") {
    const prefix = call.context?.["s3:prefix"];
    return prefix === undefined ? { operation: "HeadBucket", bucket } : { operation: "ListObjectsV2", bucket, prefix };
  }
  const operation = OPERATION_OF_IAM_ACTION[call.action];
  if (operation === undefined) throw new Error(`no SeaweedFS operation for ${call.action}`);
  return { operation, bucket, ...(key === undefined ? {} : { key }) };
}
