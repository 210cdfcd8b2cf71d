/**
 * The cluster a plan describes, as the connection check sees it: namespaces with their labels,
 * pods (from the Deployments/StatefulSets/DaemonSets in the plan and the workloads components
 * declared for what charts and operators create), Services, Secrets, NetworkPolicies, and the
 * addresses of the API server and of the world outside the cluster.
 */
import { hostAt } from "../../lib/cidr";
import { chartNameOf } from "../verify/chart-reference";
import type { PlanDocument, PlannedConnections } from "../engine/plan-document";
import { policiesFrom, type Labels, type NetworkPolicyObject, type PodEndpoint } from "../netpol/evaluate";
import { arr, labelsOf, obj, type Obj, str } from "./read";

/** Pods of one workload: where they run, their labels and named container ports. */
export interface Pods {
  /** `namespace/name` of the object, or the declared workload's id. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly containerPorts: Readonly<Record<string, number>>;
  /** Whether the pods are declared for a chart or operator rather than found in the plan. */
  readonly declared: boolean;
  /** The pods' ServiceAccount (their mesh identity); undefined for declared pods that do not name it. */
  readonly serviceAccount?: string;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** Container port number or name; @default - the port */
  readonly targetPort?: number | string;
}

export interface ServiceObject {
  readonly namespace: string;
  readonly name: string;
  /** Pod selector; absent for a Service without one (endpoints managed elsewhere). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  /** The declared workload whose Service this is (chart/operator-made Services lead to its pods). */
  readonly workload?: string;
  /** The Service's own labels. */
  readonly labels: Labels;
}

export interface SecretObject {
  readonly namespace: string;
  readonly name: string;
  /** The keys, or "opaque" when the plan shows the whole data as one secret value. */
  readonly keys: readonly string[] | "opaque";
  /** Where it comes from: the plan, or a declared workload (an operator creates it). */
  readonly origin: string;
}

export interface World {
  readonly stack: string;
  readonly backend: string;
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  readonly pods: readonly Pods[];
  readonly services: readonly ServiceObject[];
  readonly secrets: readonly SecretObject[];
  readonly policies: readonly NetworkPolicyObject[];
  readonly objects: readonly KubeObject[];
  /** Helm releases: chart name, namespace and the values strata sets. */
  readonly releases: readonly { readonly chart: string; readonly namespace: string; readonly values: unknown }[];
  readonly declared: PlannedConnections;
  /** Addresses the API server calls from and answers at. */
  readonly apiServer: { readonly serviceAddress: string; readonly controlPlaneAddress: string; readonly controlPlanePort: number };
  /** An address outside the cluster (TEST-NET-3), standing for S3, STS, receivers and the Internet. */
  readonly outside: string;
  /** A pod address for the n-th pod group, from the pod (or VPC) range. */
  readonly podAddress: (index: number) => string;
}

/** A Kubernetes object in the plan with the Pulumi resource it came from. */
export interface KubeObject {
  readonly resource: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** Secrets: the data keys the plan records beside the redacted inputs. */
  readonly dataKeys?: readonly string[];
}


const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);

/** Every Kubernetes object the plan declares (not Helm releases or manifests fetched at deploy time). */
export function kubeObjects(plan: PlanDocument): KubeObject[] {
  return plan.resources.flatMap((r) => {
    const [provider, module] = r.type.split(":");
    if (provider !== "kubernetes" || !r.custom || module === undefined || /^(helm\.sh|yaml|kustomize)\//.test(module) || r.type.endsWith("Patch")) return [];
    const kind = str(r.inputs["kind"]);
    const apiVersion = str(r.inputs["apiVersion"]);
    if (kind === undefined || apiVersion === undefined) return [];
    const metadata = obj(r.inputs["metadata"]);
    return [{ resource: `${r.type} ${r.name}`, apiVersion, kind, namespace: str(metadata["namespace"]) ?? "default", name: str(metadata["name"]) ?? r.name, object: r.inputs, ...(r.dataKeys === undefined ? {} : { dataKeys: r.dataKeys }) }];
  });
}

function podTemplateOf(o: KubeObject): Obj {
  const spec = obj(o.object["spec"]);
  if (o.kind === "CronJob") return obj(obj(obj(spec["jobTemplate"])["spec"])["template"]);
  return obj(spec["template"]);
}

function containerPortsOf(podSpec: Obj): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const container of [...arr(podSpec["containers"]), ...arr(podSpec["initContainers"])]) {
    for (const port of arr(obj(container)["ports"])) {
      const name = str(obj(port)["name"]);
      const number = obj(port)["containerPort"];
      if (name !== undefined && typeof number === "number") ports[name] = number;
    }
  }
  return ports;
}

function secretKeys(o: KubeObject): string[] | "opaque" {
  if (o.dataKeys !== undefined) return [...o.dataKeys];
  if (typeof o.object["data"] === "string" || typeof o.object["stringData"] === "string") return "opaque";
  return [...new Set([...Object.keys(obj(o.object["data"])), ...Object.keys(obj(o.object["stringData"]))])].sort();
}

/**
 * The Secret an ExternalSecret makes External Secrets Operator write: `spec.target.name` (default:
 * the ExternalSecret's name), with the keys of `spec.target.template.data` when it has a template
 * (the template replaces the data), else each `spec.data[].secretKey`.
 */
function externalSecretTarget(o: KubeObject): SecretObject {
  const spec = obj(o.object["spec"]);
  const target = obj(spec["target"]);
  const templated = Object.keys(obj(obj(target["template"])["data"]));
  const keys = templated.length > 0 ? templated : arr(spec["data"]).flatMap((d) => str(obj(d)["secretKey"]) ?? []);
  return { namespace: o.namespace, name: str(target["name"]) ?? o.name, keys: [...new Set(keys)].sort(), origin: `written by ${o.resource}` };
}

interface NetworkFacts {
  readonly backend: string;
  readonly podRange?: string;
  readonly serviceCidr?: string;
  readonly controlPlaneAddress?: string;
  readonly apiServerPort?: number;
}

function networkFacts(plan: PlanDocument): NetworkFacts {
  const infra = obj(plan.outputs["infra"]);
  const network = obj(infra["network"]);
  const pools = arr(infra["nodePools"]).map(obj);
  const controlPlane = pools.find((p) => p["role"] === "control-plane");
  const address = str(arr(controlPlane?.["addresses"])[0]);
  const podRange = str(network["podCidr"]) ?? str(network["nodeCidr"]);
  const serviceCidr = str(network["serviceCidr"]);
  const port = network["apiServerPort"];
  return {
    backend: str(infra["backend"]) ?? "unknown",
    ...(podRange === undefined ? {} : { podRange }),
    ...(serviceCidr === undefined ? {} : { serviceCidr }),
    ...(address === undefined ? {} : { controlPlaneAddress: address }),
    ...(typeof port === "number" ? { apiServerPort: port } : {}),
  };
}

const EMPTY: PlannedConnections = { workloads: [], connections: [] };

export function worldOf(plan: PlanDocument): World {
  const objects = kubeObjects(plan);
  const declared = plan.connections ?? EMPTY;
  const namespaceLabels = new Map<string, Labels>();
  for (const o of objects.filter((x) => x.kind === "Namespace")) namespaceLabels.set(o.name, labelsOf(obj(o.object["metadata"])["labels"]));

  const pods: Pods[] = objects
    .filter((o) => WORKLOAD_KINDS.has(o.kind))
    .map((o) => {
      const template = podTemplateOf(o);
      const podSpec = obj(template["spec"]);
      const serviceAccount = str(podSpec["serviceAccountName"]) ?? "default";
      return { id: `${o.namespace}/${o.name}`, namespace: o.namespace, labels: labelsOf(obj(template["metadata"])["labels"]), containerPorts: containerPortsOf(podSpec), declared: false, serviceAccount };
    });
  const seen = new Set<string>();
  for (const w of declared.workloads) {
    if (seen.has(w.id)) continue;
    seen.add(w.id);
    pods.push({ id: w.id, namespace: w.pods.namespace, labels: w.pods.labels, containerPorts: { ...(w.containerPorts ?? {}) }, declared: true, ...(w.serviceAccount === undefined ? {} : { serviceAccount: w.serviceAccount }) });
  }

  const services: ServiceObject[] = objects
    .filter((o) => o.kind === "Service")
    .map((o) => {
      const spec = obj(o.object["spec"]);
      const selector = spec["selector"] === undefined ? undefined : labelsOf(spec["selector"]);
      const ports = arr(spec["ports"]).map(obj).flatMap((p): ServicePort[] => {
        const port = p["port"];
        if (typeof port !== "number") return [];
        const name = str(p["name"]);
        const target = p["targetPort"];
        return [{ port, ...(name === undefined ? {} : { name }), ...(typeof target === "number" || typeof target === "string" ? { targetPort: target } : {}) }];
      });
      return { namespace: o.namespace, name: o.name, labels: labelsOf(obj(o.object["metadata"])["labels"]), ...(selector === undefined ? {} : { selector }), ports };
    });
  for (const w of declared.workloads) {
    for (const s of w.services ?? []) {
      // A declared Service port leads to its target, else the container port of the same name, else its own number.
      const ports = Object.entries(s.ports).map(([name, port]): ServicePort => {
        const target = s.targetPorts?.[name] ?? (w.containerPorts?.[name] === undefined ? undefined : name);
        return { name, port, ...(target === undefined ? {} : { targetPort: target }) };
      });
      services.push({ namespace: w.pods.namespace, name: s.name, workload: w.id, labels: s.labels ?? w.pods.labels, ports });
    }
  }

  const secrets: SecretObject[] = objects.filter((o) => o.kind === "Secret").map((o) => ({ namespace: o.namespace, name: o.name, keys: secretKeys(o), origin: o.resource }));
  secrets.push(...objects.filter((o) => o.kind === "ExternalSecret").map(externalSecretTarget));
  for (const w of declared.workloads) for (const s of w.secrets ?? []) secrets.push({ namespace: w.pods.namespace, name: s.name, keys: [...s.keys], origin: `created for ${w.id}` });

  const facts = networkFacts(plan);
  const podRange = facts.podRange ?? "10.244.0.0/16";
  const serviceCidr = facts.serviceCidr ?? "10.96.0.0/12";
  return {
    stack: plan.stack,
    backend: facts.backend,
    namespaceLabels,
    pods,
    services,
    secrets,
    policies: policiesFrom(plan.resources),
    objects,
    releases: plan.resources
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      .map((r) => ({ chart: chartNameOf(str(r.inputs["chart"]) ?? ""), namespace: str(r.inputs["namespace"]) ?? "default", values: r.inputs["values"] })),
    declared,
    apiServer: {
      serviceAddress: hostAt(serviceCidr, 1),
      // EKS: the control plane's ENIs sit in the VPC's subnets, so its calls come from a VPC address.
      controlPlaneAddress: facts.controlPlaneAddress ?? hostAt(podRange, 500),
      controlPlanePort: facts.backend === "eks" ? 443 : (facts.apiServerPort ?? 6443),
    },
    outside: "203.0.113.10",
    podAddress: (index) => hostAt(podRange, 3000 + index),
  };
}

/** The evaluator's view of a pod group, with an address for ipBlock rules. */
export function podEndpoint(world: World, pods: { readonly namespace: string; readonly labels: Labels; readonly containerPorts?: Readonly<Record<string, number>> }, index: number): PodEndpoint {
  return {
    kind: "pod",
    namespace: pods.namespace,
    namespaceLabels: world.namespaceLabels.get(pods.namespace) ?? {},
    labels: pods.labels,
    ip: world.podAddress(index),
    namedPorts: Object.fromEntries(Object.entries(pods.containerPorts ?? {}).map(([name, port]) => [name, { port }])),
  };
}

/** Whether every selector label is on the pods. */
export function selects(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
