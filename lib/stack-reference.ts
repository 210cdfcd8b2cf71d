/**
 * Reads the contracts of layers this stack does not own from the upstream stack's outputs
 * (written by `stack-outputs.ts`) and rebuilds the same interfaces, secrets still secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterProvider } from "../cluster/provider";
import type { ClusterOutputs, EksExtras, Endpoint, InfraOutputs, KafkaClientSettings, Layer, NodePool, ObjectStore, PlatformOutputs, SecretStoreRef, VsphereExtras } from "./contracts";
import { placementFor, placementForPool } from "./placement";
import type { Contracts } from "./stack-outputs";

type Plain = Record<string, unknown>;

export class UpstreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpstreamError";
  }
}

/** Reads the contracts of `layers` from `stackName`. */
export async function readUpstreamContracts(stackName: string, layers: readonly Layer[]): Promise<Contracts> {
  const ref = new pulumi.StackReference("upstream", { name: stackName });
  const plain = async (key: string): Promise<Plain> => {
    const details = await ref.getOutputDetails(key);
    const value: unknown = details.value ?? details.secretValue;
    if (value === undefined || value === null || typeof value !== "object") {
      throw new UpstreamError(`strata:upstreamStack: stack ${stackName} exports no "${key}" output; deploy a stack that owns the ${key} layer first`);
    }
    return value as Plain;
  };

  const infra = layers.includes("infra") ? infraFrom(await plain("infra"), ref.getOutput("infraSecrets")) : undefined;
  const cluster = infra && layers.includes("cluster") ? clusterFrom(await plain("cluster"), infra) : undefined;
  const platform = layers.includes("platform") ? platformFrom(await plain("platform"), ref.getOutput("platformSecrets")) : undefined;
  return { ...(infra ? { infra } : {}), ...(cluster ? { cluster } : {}), ...(platform ? { platform } : {}) };
}

function outputsOf<T extends Plain>(value: Plain, keepPlain: readonly string[] = []): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keepPlain.includes(k) ? v : pulumi.output(v)])) as T;
}

function infraFrom(value: Plain, secrets: pulumi.Output<unknown>): InfraOutputs {
  const secret = (key: string) => pulumi.secret(secrets.apply((s) => stringAt(s, [key])));
  const eks = value.eks as Plain | undefined;
  const vsphere = value.vsphere as Plain | undefined;
  return {
    backend: value.backend as InfraOutputs["backend"],
    clusterName: value.clusterName as string,
    kubernetesVersion: value.kubernetesVersion as string,
    ...(value.hasKubeconfig === true ? { kubeconfig: secret("kubeconfig") } : {}),
    ...(typeof value.kubeContext === "string" ? { kubeContext: value.kubeContext } : {}),
    apiEndpoint: pulumi.output(value.apiEndpoint as string),
    nodePools: value.nodePools as NodePool[],
    network: value.network as InfraOutputs["network"],
    ...(eks === undefined
      ? {}
      : {
          eks: {
            ...outputsOf<Plain>(eks, ["region", "buckets", "podIdentities", "irsaRoles", "karpenter"]),
            buckets: Object.fromEntries(Object.entries((eks.buckets ?? {}) as Record<string, Plain>).map(([k, b]) => [k, outputsOf(b)])),
            podIdentities: Object.fromEntries(
              Object.entries((eks.podIdentities ?? {}) as Record<string, Plain>).map(([k, p]) => [k, outputsOf(p, ["namespace", "serviceAccount"])]),
            ),
            ...(eks.irsaRoles === undefined
              ? {}
              : {
                  irsaRoles: Object.fromEntries(
                    Object.entries(eks.irsaRoles as Record<string, Plain>).map(([k, p]) => [k, outputsOf(p, ["namespace", "serviceAccount"])]),
                  ),
                }),
            ...(eks.karpenter === undefined ? {} : { karpenter: outputsOf(eks.karpenter as Plain) }),
          } as unknown as EksExtras,
        }),
    ...(vsphere === undefined
      ? {}
      : {
          vsphere: {
            ...(vsphere as unknown as VsphereExtras),
            cpi: { username: pulumi.output(stringAt(vsphere, ["cpi", "username"])), password: secret("vsphereCpiPassword") },
            csi: { username: pulumi.output(stringAt(vsphere, ["csi", "username"])), password: secret("vsphereCsiPassword") },
            ...(vsphere.machineController === undefined
              ? {}
              : { machineController: { username: pulumi.output(stringAt(vsphere, ["machineController", "username"])), password: secret("vsphereMachineControllerPassword") } }),
          },
        }),
    // The upstream stack finished its update, so its cluster already answered.
    ready: pulumi.output(true),
  };
}

function clusterFrom(value: Plain, infra: InfraOutputs): ClusterOutputs {
  const gateway = value.gateway as Plain | undefined;
  return {
    provider: clusterProvider(`${infra.clusterName}-k8s`, infra),
    namespaces: value.namespaces as ClusterOutputs["namespaces"],
    storageClasses: value.storageClasses as ClusterOutputs["storageClasses"],
    ...(gateway === undefined ? {} : { gateway: { ...(gateway as unknown as NonNullable<ClusterOutputs["gateway"]>), address: pulumi.output(gateway.address as string) } }),
    issuers: value.issuers as ClusterOutputs["issuers"],
    placementFor: placementFor(infra.nodePools),
    placementForPool: placementForPool(infra.nodePools),
    ...(value.scrapeTargets === undefined ? {} : { scrapeTargets: value.scrapeTargets as unknown as NonNullable<ClusterOutputs["scrapeTargets"]> }),
    // An apps stack needs the mesh to open HBONE and write AuthorizationPolicies for its apps.
    ...(value.mesh === undefined ? {} : { mesh: value.mesh as unknown as NonNullable<ClusterOutputs["mesh"]> }),
  };
}

function platformFrom(value: Plain, secrets: pulumi.Output<unknown>): PlatformOutputs {
  const endpoints = (value.endpoints ?? {}) as Record<string, Plain>;
  const secretAt = (path: readonly string[]) => pulumi.secret(secrets.apply((s) => stringAt(s, path)));
  const store = value.objectStore as Plain | undefined;
  const credentials = store?.credentials as Plain | undefined;
  return {
    endpoints: Object.fromEntries(
      Object.entries(endpoints).map(([name, e]) => [
        name,
        {
          ...outputsOf<Plain>(e, ["kind", "namespace", "kafka"]),
          // A platform stack deployed before endpoints carried their ports publishes only `port`.
          ports: Array.isArray(e.ports) ? (e.ports as number[]) : [e.port as number],
          password: secretAt(["endpoints", name, "password"]),
          url: secretAt(["endpoints", name, "url"]),
          ...(e.kafka === undefined ? {} : { kafka: kafkaFrom(e.kafka as Plain, secretAt(["endpoints", name, "caCert"])) }),
        } as unknown as Endpoint,
      ]),
    ),
    ...(store === undefined
      ? {}
      : {
          objectStore: {
            endpoint: pulumi.output(store.endpoint as string),
            region: store.region as string,
            forcePathStyle: store.forcePathStyle === true,
            buckets: outputsOf<Record<string, pulumi.Output<string>>>((store.buckets ?? {}) as Plain),
            ...(credentials === undefined
              ? {}
              : {
                  credentials: {
                    namespace: credentials.namespace as string,
                    secretName: credentials.secretName as string,
                    accessKeyId: secretAt(["objectStore", "accessKeyId"]),
                    secretAccessKey: secretAt(["objectStore", "secretAccessKey"]),
                  },
                }),
          } satisfies ObjectStore,
        }),
    observability: outputsOf((value.observability ?? {}) as Plain),
    ...(typeof (value.keda as Plain | undefined)?.namespace === "string" ? { keda: { namespace: (value.keda as Plain).namespace as string } } : {}),
    // Absent from stacks deployed before the secret stores existed: no stores.
    secretStores: (value.secretStores ?? {}) as Record<string, SecretStoreRef>,
    reloaderAnnotation: typeof value.reloaderAnnotation === "string" ? value.reloaderAnnotation : "secret.reloader.stakater.com/reload",
  };
}

/** A Kafka endpoint's client settings; the CA certificate travels with the secrets (`stack-outputs.ts`). */
function kafkaFrom(value: Plain, caCert: pulumi.Output<string>): KafkaClientSettings {
  return {
    bootstrapServers: pulumi.output(value.bootstrapServers as string),
    securityProtocol: value.securityProtocol as KafkaClientSettings["securityProtocol"],
    saslMechanism: value.saslMechanism as KafkaClientSettings["saslMechanism"],
    caCert,
    caSecretName: value.caSecretName as string,
  };
}

/** The string at `path` inside a plain value, or "" where there is none. */
function stringAt(value: unknown, path: readonly string[]): string {
  const found = path.reduce<unknown>((acc, key) => (acc !== null && typeof acc === "object" ? (acc as Plain)[key] : undefined), value);
  return typeof found === "string" ? found : "";
}
