/**
 * What the two Percona operators share: a cluster custom resource whose `spec.backup` names the
 * storages and says whether point-in-time recovery (binlogs / oplog) is collected.
 */
import type { PlanDocument } from "../engine/plan-document";
import { at, list, objectsOf, record, text, type RenderedObject } from "./plan-objects";
import { RestoreRefused } from "./types";

export interface PerconaBackups {
  readonly cluster: RenderedObject;
  /** The storage the schedules write to, by name, as rendered. */
  readonly storageName: string;
  readonly storage: Readonly<Record<string, unknown>>;
  readonly pitr: boolean;
}

/** The cluster's backup settings; refuses where the stack has no such cluster or its backups are off. */
export function perconaBackups(plan: Pick<PlanDocument, "resources" | "stack">, service: "mysql" | "mongodb", apiVersion: string, kind: string, scheduleKey: "schedule" | "tasks"): PerconaBackups {
  const clusters = objectsOf(plan, apiVersion, kind);
  const [cluster, ...others] = clusters;
  if (cluster === undefined) {
    throw new RestoreRefused(`--service ${service}: stack ${plan.stack} runs no ${kind} (strata:platform.${service}.enabled is not true)`);
  }
  if (others.length > 0) throw new RestoreRefused(`--service ${service}: stack ${plan.stack} renders ${clusters.length} ${kind} clusters; restore handles one`);
  const backup = record(cluster.spec["backup"]);
  const storages = record(backup["storages"]);
  const scheduled = list(backup[scheduleKey]).map((entry) => text(record(entry)["storageName"])).find((name) => name !== undefined);
  const storageName = scheduled ?? Object.keys(storages)[0];
  if (backup["enabled"] !== true || storageName === undefined || storages[storageName] === undefined) {
    throw new RestoreRefused(
      `--service ${service}: backups are off for ${kind} ${cluster.metadata.namespace}/${cluster.metadata.name} in stack ${plan.stack} (spec.backup.enabled is ${backup["enabled"] === true ? "true" : "not true"}); ` +
        `nothing was backed up to restore from; strata:platform.${service}.backup and the stack's backup target decide whether it is`,
    );
  }
  return { cluster, storageName, storage: record(storages[storageName]), pitr: at(backup, "pitr", "enabled") === true };
}

/** `s3://bucket/prefix at endpoint (Secret …)` for the storage as rendered. */
export function describeStorage(namespace: string, storage: Readonly<Record<string, unknown>>): string {
  const type = text(storage["type"]) ?? "s3";
  const settings = record(storage[type]);
  const bucket = text(settings["bucket"]) ?? "(no bucket)";
  const prefix = text(settings["prefix"]);
  const endpoint = text(settings["endpointUrl"]);
  const secret = text(settings["credentialsSecret"]);
  return `${type}: s3://${bucket}/${prefix === undefined ? "" : `${prefix.replace(/\/$/, "")}/`}${endpoint === undefined || endpoint === "" ? "" : ` at ${endpoint}`}, credentials ${secret === undefined || secret === "" ? "from the pods' cloud identity" : `Secret ${namespace}/${secret}`}`;
}

export function refusePitr(backups: PerconaBackups, stack: string, toText: string, collector: string): never {
  const { namespace, name } = backups.cluster.metadata;
  throw new RestoreRefused(
    `--to ${toText}: point-in-time recovery is off for ${backups.cluster.kind} ${namespace}/${name} in stack ${stack} (spec.backup.pitr.enabled is not true: no ${collector} are collected); ` +
      `drop --to to restore the newest complete backup, or pick an older one with --backup <name>`,
  );
}

/** The bucket of the storage as rendered, which a `--from` location must be in. */
export function storageBucket(storage: Readonly<Record<string, unknown>>): string | undefined {
  return text(record(storage[text(storage["type"]) ?? "s3"])["bucket"]);
}

/** `--from` must point into the bucket the cluster's storage reads, whose credentials the restore uses. */
export function checkFrom(backups: PerconaBackups, from: string): void {
  const bucket = storageBucket(backups.storage);
  if (bucket !== undefined && !from.startsWith(`s3://${bucket}/`)) {
    throw new RestoreRefused(`--from: not in the bucket ${backups.cluster.kind} ${backups.cluster.metadata.namespace}/${backups.cluster.metadata.name} backs up to (got "${from}"); a location under s3://${bucket}/`);
  }
}

/**
 * How to list the backups in the object store itself, for a cluster that has no backup objects.
 * An in-cluster endpoint (`<service>.<namespace>.svc`) is reached through a port-forward.
 */
export function listStoreCommands(namespace: string, storage: Readonly<Record<string, unknown>>): string[] {
  const type = text(storage["type"]) ?? "s3";
  const settings = record(storage[type]);
  const prefix = (text(settings["prefix"]) ?? "").replace(/\/$/, "");
  const endpoint = text(settings["endpointUrl"]) ?? "";
  const url = endpoint === "" || /^https?:\/\//.test(endpoint) ? endpoint : `${settings["secure"] === true ? "https" : "http"}://${endpoint}`;
  const inCluster = /^(https?):\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?/.exec(url);
  const commands: string[] = [];
  let endpointFlag = url === "" ? "" : ` --endpoint-url ${url}`;
  if (inCluster !== null) {
    const [, scheme, service, serviceNamespace, port] = inCluster;
    const servicePort = port ?? (scheme === "https" ? "443" : "80");
    commands.push(`kubectl -n ${serviceNamespace} port-forward svc/${service} 18333:${servicePort} >/dev/null & sleep 2`);
    endpointFlag = ` --endpoint-url ${scheme}://127.0.0.1:18333`;
  }
  const secret = text(settings["credentialsSecret"]);
  const keys =
    secret === undefined || secret === ""
      ? ""
      : `AWS_ACCESS_KEY_ID=$(kubectl -n ${namespace} get secret ${secret} -o jsonpath='{.data.AWS_ACCESS_KEY_ID}' | base64 -d) AWS_SECRET_ACCESS_KEY=$(kubectl -n ${namespace} get secret ${secret} -o jsonpath='{.data.AWS_SECRET_ACCESS_KEY}' | base64 -d) `;
  commands.push(`${keys}aws s3 ls s3://${text(settings["bucket"]) ?? ""}/${prefix === "" ? "" : `${prefix}/`}${endpointFlag}`);
  return commands;
}
