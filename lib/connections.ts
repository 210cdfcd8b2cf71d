/**
 * The connections a component needs, declared beside its code: which pods talk to what, on which
 * port, with which credentials and cloud identity. A real `pulumi up` only collects them; the
 * offline plan carries them (`PlanDocument.connections`) and `npm run verify` proves each one over
 * the whole plan: the destination exists, NetworkPolicies admit it at both ends, the Secrets the
 * client reads sit in its namespace, and on EKS its IAM role allows its real call sequence
 * (tools/connections).
 *
 * Pods that strata declares as objects (Deployments, StatefulSets) are found in the plan; pods a
 * chart or operator creates are declared here as workloads, with the labels, ports, Services and
 * Secrets the chart's templates or the operator give them.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Pods as NetworkPolicies see them: a namespace and the pods' labels. */
export interface PodGroup {
  readonly namespace: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A Service (or a port of one) that a chart or operator creates for a workload. */
export interface DeclaredService {
  readonly name: pulumi.Input<string>;
  /** Port name → the port clients dial; it leads to `targetPorts[name]`, else the workload's container port of the same name, else the same number. */
  readonly ports: Readonly<Record<string, pulumi.Input<number>>>;
  /**
   * Port name → the container port (number or name) a Service port leads to, where it is not the
   * Service port itself (Grafana's 80 → `grafana` 3000). NetworkPolicies see the container port.
   * @default - each Service port leads to the same container port
   */
  readonly targetPorts?: Readonly<Record<string, pulumi.Input<number | string>>>;
  /** The Service's own labels (what ServiceMonitors select). @default - the pods' labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Pods that a chart or operator creates, as its templates or controller create them. */
export interface WorkloadDeclaration {
  /** Unique in the stack, e.g. `monitoring/alertmanager`. */
  readonly id: string;
  readonly pods: PodGroup;
  /** Named container ports (NetworkPolicies may name them). @default {} */
  readonly containerPorts?: Readonly<Record<string, pulumi.Input<number>>>;
  /** Services in the pods' namespace leading to them. @default [] */
  readonly services?: readonly DeclaredService[];
  /** Secrets the operator creates in the pods' namespace, with the keys they hold. @default [] */
  readonly secrets?: readonly { readonly name: pulumi.Input<string>; readonly keys: readonly string[] }[];
  /** The pods' ServiceAccount: their identity in the mesh (AuthorizationPolicy principals). @default - unknown */
  readonly serviceAccount?: string;
}

/** Where the traffic goes. */
export type ConnectionTarget =
  /** A Service, in the plan or declared by a workload, on one of its ports (number or name). */
  | { readonly kind: "service"; readonly namespace: pulumi.Input<string>; readonly name: pulumi.Input<string>; readonly port: pulumi.Input<number | string> }
  /** Pods no Service leads to (e.g. a stats port scraped per pod), on a named container port. */
  | { readonly kind: "pods"; readonly namespace: pulumi.Input<string>; readonly selector: Readonly<Record<string, string>>; readonly port: string; readonly description: string }
  /**
   * Addresses outside the cluster reached by name (S3, STS, alert receivers, ACME, registries),
   * or, with `address`, at a declared address (an external data service's CIDR): the check then
   * lands there, so only egress to that range proves it.
   */
  | { readonly kind: "external"; readonly name: string; readonly port: number; readonly address?: string }
  /** The Kubernetes API server. */
  | { readonly kind: "api-server" }
  /**
   * Nothing on the network: Secrets the kubelet hands the pods (environment variables, volumes,
   * image pull credentials). Only the secrets check applies.
   */
  | { readonly kind: "mounted"; readonly description: string };

/** Where the traffic comes from: pods, or the API server (admission webhooks, aggregated APIs). */
export type ConnectionSource = { readonly kind: "pods"; readonly pods: PodGroup; readonly workload?: string } | { readonly kind: "api-server" };

/** One AWS API call a client makes, in the order it makes them. */
export interface AwsCall {
  /** What the client does, shown when the call is refused (e.g. `HeadBucket before the first upload`). */
  readonly why: string;
  readonly action: string;
  readonly resource: pulumi.Input<string>;
  /** Request context keys and values (e.g. `s3:prefix`). @default {} */
  readonly context?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The IAM role a client assumes on EKS, as which service account, and the calls it makes with it, in order. */
export interface AwsAccess {
  readonly roleArn: pulumi.Input<string>;
  /** The client's service account, which the role's trust (IRSA) or a Pod Identity association must name. @default - not checked */
  readonly serviceAccount?: { readonly namespace: pulumi.Input<string>; readonly name: pulumi.Input<string> };
  readonly calls: readonly AwsCall[];
}

/** A Secret a client reads and the keys it reads. */
export interface SecretNeed {
  readonly name: pulumi.Input<string>;
  readonly keys: readonly string[];
  /** Why strata does not make this Secret (e.g. the user names one of their own). @default - strata makes it */
  readonly madeOutsideStrata?: string;
}

export interface ConnectionDeclaration {
  /** What the connection is for, e.g. `WAL archive and base backups`. */
  readonly purpose: string;
  readonly from: ConnectionSource;
  readonly to: ConnectionTarget;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
  /**
   * Secrets (name and keys) the client reads; they must exist in the client's namespace, made by
   * strata or by an ExternalSecret strata declares. A Secret made outside strata carries the
   * reason (`madeOutsideStrata`): the check says so instead of failing. @default []
   */
  readonly secrets?: readonly SecretNeed[];
  /**
   * EKS: the IAM role the client assumes, its service account and the calls it makes, in order
   * (an Output where the calls name ARNs the infra layer creates).
   * @default - no AWS identity
   */
  readonly aws?: pulumi.Input<AwsAccess>;
}

export interface ConnectionRegistry {
  readonly workloads: WorkloadDeclaration[];
  readonly connections: ConnectionDeclaration[];
}

// One registry per process: the program runs once per process (the offline plan's child, `pulumi up`).
const registry: ConnectionRegistry = { workloads: [], connections: [] };

/** Declares pods a chart or operator creates. */
export function declareWorkload(workload: WorkloadDeclaration): void {
  registry.workloads.push(workload);
}

/** Declares a connection a component needs. */
export function declareConnection(connection: ConnectionDeclaration): void {
  registry.connections.push(connection);
}

/** Pods of `workload` as a connection source. */
export const fromWorkload = (workload: WorkloadDeclaration): ConnectionSource => ({ kind: "pods", pods: workload.pods, workload: workload.id });

/** Pods (not declared as a workload) as a connection source. */
export const fromPods = (namespace: pulumi.Input<string>, labels: Readonly<Record<string, string>>): ConnectionSource => ({ kind: "pods", pods: { namespace, labels } });

/** What was declared so far, for the offline plan. */
export function declaredConnections(): ConnectionRegistry {
  return registry;
}

/** Test helper: forget every declaration. */
export function resetConnections(): void {
  registry.workloads.length = 0;
  registry.connections.length = 0;
}


/**
 * The Service behind an in-cluster host name: `<service>.<namespace>.svc[...]`, or a pod of a
 * headless Service, `<pod>.<service>.<namespace>.svc[...]`. Undefined for names outside the cluster.
 */
export function serviceOfHost(host: string): { readonly name: string; readonly namespace: string } | undefined {
  const labels = host.replace(/:\d+$/, "").split(".");
  const svc = labels.indexOf("svc");
  if (svc === 2) return { name: labels[0] as string, namespace: labels[1] as string };
  if (svc === 3) return { name: labels[1] as string, namespace: labels[2] as string };
  return undefined;
}
