/**
 * The connections an app declares (lib/connections.ts) to the platform services it uses: its pods
 * to each service's Service on every port the service publishes, with the keys of the app's
 * Secret that carry their credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { OBJECT_STORE_USE } from "../../config/apps-runtime";
import type { AppServiceSpec, PlatformService } from "../../config/apps-service";
import { declareConnection, fromPods } from "../../lib/connections";
import type { Endpoint } from "../../lib/contracts";
import { isSecretConnection } from "./connections";

export interface DataConnectionsInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  /** Labels of the app's pods. */
  readonly selector: Readonly<Record<string, string>>;
  readonly endpoints: Readonly<Partial<Record<PlatformService, Endpoint>>>;
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
    if (service === OBJECT_STORE_USE) continue;
    const endpoint = input.endpoints[service];
    if (endpoint === undefined) continue;
    // Apps get `host` (never `readHost`), and every published port is on its Service.
    for (const port of endpoint.ports) {
      declareConnection({ purpose: `${input.name}: ${service} on ${port}`, from, to: { kind: "service", namespace: endpoint.namespace, name: serviceOf(endpoint.host), port }, secrets: secretsOf(service) });
    }
  }
}
