/**
 * The connections an app declares (lib/connections.ts) to the platform services it uses: its pods
 * to each service's Service on every port the service publishes, and to the in-cluster object
 * store's S3 Service, with the keys of the app's Secret that carry their credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { OBJECT_STORE_USE } from "../../config/apps-runtime";
import type { AppServiceSpec, PlatformService } from "../../config/apps-service";
import { declareConnection, fromPods } from "../../lib/connections";
import type { Endpoint, ObjectStore } from "../../lib/contracts";
import { isSecretConnection } from "./connections";
import { hostPortOf } from "./object-store";

export interface DataConnectionsInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  /** Labels of the app's pods. */
  readonly selector: Readonly<Record<string, string>>;
  readonly endpoints: Readonly<Partial<Record<PlatformService, Endpoint>>>;
  /** The object store, when the app uses it. @default - none */
  readonly objectStore?: ObjectStore;
  /** The app's Secret with its credential variables. @default - none */
  readonly secretName?: string;
}

/** `mysql-haproxy.data.svc` → `mysql-haproxy`: a Service's name from its in-cluster host name. */
const serviceOf = (host: pulumi.Input<string>): pulumi.Output<string> => pulumi.output(host).apply((h) => h.split(".")[0] ?? h);

export function declareDataConnections(input: DataConnectionsInput): void {
  const from = fromPods(input.namespace, input.selector);
  // The Secret keys (environment variables) holding a credential of `service`.
  const secretsOf = (service: string) => {
    const keys = Object.entries(input.spec.connectionEnv)
      .filter(([, ref]) => ref.startsWith(`${service}.`) && isSecretConnection(ref))
      .map(([env]) => env);
    return input.secretName === undefined || keys.length === 0 ? [] : [{ name: input.secretName, keys }];
  };
  for (const service of input.spec.uses) {
    if (service === OBJECT_STORE_USE) {
      const store = input.objectStore;
      // In the cluster only (SeaweedFS, with static keys); S3 on EKS is the app's external egress.
      if (store?.credentials === undefined) continue;
      const [host, port] = [0, 1].map((i) => store.endpoint.apply((url) => hostPortOf(url).split(":")[i] ?? "")) as [pulumi.Output<string>, pulumi.Output<string>];
      declareConnection({
        purpose: `${input.name}: files in the object store (S3)`,
        from,
        to: { kind: "service", namespace: store.credentials.namespace, name: serviceOf(host), port: port.apply(Number) },
        secrets: secretsOf(OBJECT_STORE_USE),
      });
      continue;
    }
    const endpoint = input.endpoints[service];
    if (endpoint === undefined) continue;
    // Apps get `host` (never `readHost`), and every published port is on its Service.
    for (const port of endpoint.ports) {
      declareConnection({ purpose: `${input.name}: ${service} on ${port}`, from, to: { kind: "service", namespace: endpoint.namespace, name: serviceOf(endpoint.host), port }, secrets: secretsOf(service) });
    }
  }
}
