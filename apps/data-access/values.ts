/**
 * Pure: who may reach each platform data service. One ingress NetworkPolicy per used service, in
 * the service's namespace, admits on the service's ports only the pods of the apps that `use` it
 * (namespace + `app.kubernetes.io/name`) and the pods of the tenants that use it (their whole
 * namespace). The cluster layer no longer admits app namespaces to the data namespace wholesale.
 *
 * The policy selects every pod of the data namespace: the platform contract publishes an
 * endpoint's namespace and ports (the object store's, its URL), not its pods' labels, and each
 * data service listens on its own ports there, so the ports are what tell the services apart.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OBJECT_STORE_USE } from "../../config/apps/runtime";
import type { PlatformService } from "../../config/apps/service";
import { standardLabels } from "../../lib/labels";
import type { PolicyManifest } from "../tenants/values";

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

/** A client of a platform service: the pods of one app, or every pod of a (tenant) namespace. */
export interface Client {
  readonly namespace: string;
  /** `app.kubernetes.io/name` of the client pods; absent for every pod of the namespace. */
  readonly app?: string;
}

/** What the apps layer admits clients to: a data service's endpoint, or the in-cluster object store. */
export type DataService = PlatformService | typeof OBJECT_STORE_USE;

/** One platform service, where it listens and who uses it. */
export interface ServiceClients {
  readonly service: DataService;
  readonly namespace: string;
  /** Every port the service publishes for clients (`Endpoint.ports`). */
  readonly ports: readonly pulumi.Input<number>[];
  readonly clients: readonly Client[];
}

/** The policy name for a service's clients, e.g. `allow-postgres-clients`. */
export const clientsPolicyName = (service: string): string => `allow-${service.toLowerCase()}-clients`;

const sortKey = (c: Client) => `${c.namespace}/${c.app ?? ""}`;

/** One ingress policy per service with at least one client; clients deduplicated and sorted. */
export function dataAccessPolicies(services: readonly ServiceClients[]): PolicyManifest[] {
  return services
    .filter((s) => s.clients.length > 0)
    .map((s) => {
      // A namespace admitted whole covers its apps.
      const whole = new Set(s.clients.filter((c) => c.app === undefined).map((c) => c.namespace));
      const kept = s.clients.filter((c) => c.app === undefined || !whole.has(c.namespace));
      const clients = [...new Map(kept.map((c) => [sortKey(c), c])).values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      const name = clientsPolicyName(s.service);
      return {
        metadata: { name, namespace: s.namespace, labels: standardLabels({ name, component: "network-policy" }) },
        spec: {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: clients.map((c) => ({
                namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: c.namespace } },
                ...(c.app === undefined ? {} : { podSelector: { matchLabels: { "app.kubernetes.io/name": c.app } } }),
              })),
              ports: s.ports.map((port) => ({ protocol: "TCP", port })),
            },
          ],
        },
      };
    });
}
