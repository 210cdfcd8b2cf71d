/**
 * Pure: the value an environment variable gets from one field of the platform's object store
 * (`objectStore.<field>` in `connectionEnv`).
 */
import type { ObjectStoreField } from "../../config/apps/runtime";

/** The object store's values once resolved (inside the Secret's `apply`). */
export interface ResolvedObjectStore {
  /** S3 URL, e.g. `http://seaweedfs-s3.data.svc:8333`. */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** Static keys; absent where the app reaches the store through its cloud identity (EKS). */
  readonly accessKey?: string;
  readonly secretKey?: string;
}

/** `http://host:port/…` → `host:port` (the scheme's default port when the URL names none). */
export function hostPortOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === "" ? (parsed.protocol === "https:" ? "443" : "80") : parsed.port;
  return `${parsed.hostname}:${port}`;
}

export function objectStoreValue(store: ResolvedObjectStore, field: ObjectStoreField): string {
  switch (field) {
    case "endpoint":
      return store.endpoint;
    case "hostPort":
      return hostPortOf(store.endpoint);
    case "bucket":
      return store.bucket;
    case "region":
      return store.region;
    case "accessKey":
    case "secretKey": {
      const value = store[field];
      if (value === undefined) throw new Error(`objectStore.${field}: the object store has no static keys (it is reached through the app's cloud identity)`);
      return value;
    }
  }
}
