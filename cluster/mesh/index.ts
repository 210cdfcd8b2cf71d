/**
 * The optional Istio ambient mesh: istio-base (CRDs), istiod, the istio-cni node agent and
 * ztunnel, in that order (istio.io, ambient install with Helm), and one `PeerAuthentication` per
 * meshed namespace. Namespaces join by label (`AMBIENT_LABEL`, set by cluster/namespaces).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshConfig } from "../../config/cluster/mesh";
import type { Placement } from "../../lib/contracts";
import { declareWorkload } from "../../lib/connections";
import type { ScrapeTarget } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { ztunnelScrapeTarget, ztunnelWorkload } from "./workloads";
import { ISTIO_NAMESPACE, ISTIOD_REPLICAS, istioBaseValues, istioCniValues, istiodValues, peerAuthenticationManifest, ztunnelValues } from "./values";

export interface MeshArgs {
  readonly provider: k8s.Provider;
  /** The validated `strata:cluster.mesh` slice (enabled). */
  readonly config: MeshConfig;
  /** Namespaces whose pods are meshed; each gets a `PeerAuthentication` at `config.mtls`. */
  readonly meshedNamespaces: readonly string[];
  /** Where istiod runs. */
  readonly placement: Placement;
  /** istiod replicas (floor of its HPA). @default 2 */
  readonly istiodReplicas?: number;
  /** The istio-system namespace object and the CNI the node agent chains after. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Namespace objects of the meshed namespaces (their PeerAuthentications wait for them). @default [] */
  readonly namespaceObjects?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { istiodReplicas: ISTIOD_REPLICAS } as const;

export class Mesh extends pulumi.ComponentResource {
  /** Every mesh release, for what must wait until ambient redirection is in place. */
  public readonly releases: k8s.helm.v3.Release[];
  /** What Prometheus scrapes of the mesh: ztunnel on every node. */
  public readonly scrapeTargets: readonly ScrapeTarget[];

  constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Mesh", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const base = helmRelease(`${name}-base`, { chart: "istio-base", releaseName: "istio-base", namespace: ISTIO_NAMESPACE, values: istioBaseValues() }, { ...child, dependsOn: args.dependsOn ?? [] });
    const istiod = helmRelease(
      `${name}-istiod`,
      { chart: "istiod", namespace: ISTIO_NAMESPACE, values: istiodValues({ replicas: args.istiodReplicas ?? DEFAULTS.istiodReplicas, placement: args.placement }) },
      { ...child, dependsOn: [base] },
    );
    const cni = helmRelease(`${name}-cni`, { chart: "istio-cni", releaseName: "istio-cni", namespace: ISTIO_NAMESPACE, values: istioCniValues() }, { ...child, dependsOn: [istiod] });
    const ztunnel = helmRelease(`${name}-ztunnel`, { chart: "ztunnel", namespace: ISTIO_NAMESPACE, values: ztunnelValues() }, { ...child, dependsOn: [cni] });
    this.releases = [base, istiod, cni, ztunnel];
    declareWorkload(ztunnelWorkload(ISTIO_NAMESPACE));
    this.scrapeTargets = [ztunnelScrapeTarget(ISTIO_NAMESPACE)];
    const mode = args.config.mtls === "strict" ? "STRICT" : "PERMISSIVE";
    for (const namespace of args.meshedNamespaces) {
      new k8s.apiextensions.CustomResource(`${name}-mtls-${namespace}`, peerAuthenticationManifest(namespace, mode), {
        ...child,
        dependsOn: [base, ...(args.namespaceObjects ?? [])],
      });
    }
    this.registerOutputs({});
  }
}
