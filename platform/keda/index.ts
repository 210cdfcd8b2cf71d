/**
 * KEDA (`strata:platform.keda`): the operator, the `external.metrics.k8s.io` API server and the
 * admission webhooks, with the NetworkPolicies they need in the operators and monitoring
 * namespaces. Apps' ScaledObjects query the platform's Prometheus through it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { declareConnection, declareWorkload, fromWorkload } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { PROMETHEUS_PORT, PROMETHEUS_POD_LABELS, PROMETHEUS_SERVICE, prometheusQueryUrl } from "../observability/prometheus-values";
import { kedaPolicies } from "./network-policies";
import { KEDA_RELEASE, kedaOperatorWorkload, kedaValues } from "./values";

export interface KedaArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace KEDA runs in (the operators namespace). */
  readonly namespace: string;
  /** Namespace Prometheus runs in. */
  readonly monitoringNamespace: string;
  /** Replicas of each component. @default 1 */
  readonly replicas?: number;
  /** Where the pods run (the platform pools). */
  readonly placement: Placement;
  /** Where the API server's webhook and API-service calls come from. @default ["0.0.0.0/0"] */
  readonly controlPlane?: readonly string[];
  /** `protect` the release (it owns the ScaledObject CRDs). @default false */
  readonly protect?: boolean;
}

export class Keda extends pulumi.ComponentResource {
  /** The release installing the KEDA CRDs; ScaledObjects wait for it. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KedaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Keda", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    this.release = helmRelease(
      `${name}-release`,
      { chart: "keda", releaseName: KEDA_RELEASE, namespace: args.namespace, values: kedaValues({ replicas: args.replicas ?? 1, placement: args.placement }) },
      { ...child, protect: args.protect ?? false },
    );
    const policies = kedaPolicies({
      namespace: args.namespace,
      controlPlane: args.controlPlane ?? ["0.0.0.0/0"],
      prometheus: { namespace: args.monitoringNamespace, podLabels: PROMETHEUS_POD_LABELS, port: PROMETHEUS_PORT },
    });
    for (const policy of policies) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy.namespace}-${policy.name}`,
        { metadata: { name: policy.name, namespace: policy.namespace, labels: standardLabels({ name: "keda", component: "autoscaling" }) }, spec: policy.spec },
        child,
      );
    }
    // The apps' ScaledObjects query `prometheusQueryUrl(monitoringNamespace)` (their serverAddress).
    const operator = kedaOperatorWorkload(args.namespace);
    declareWorkload(operator);
    declareConnection({
      purpose: `the ScaledObjects' Prometheus queries (serverAddress ${prometheusQueryUrl(args.monitoringNamespace)})`,
      from: fromWorkload(operator),
      to: { kind: "service", namespace: args.monitoringNamespace, name: PROMETHEUS_SERVICE, port: PROMETHEUS_PORT },
    });
    this.registerOutputs({});
  }
}
