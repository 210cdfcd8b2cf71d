/**
 * The one way strata installs a Helm chart: a `kubernetes.helm.v3.Release` pinned from the
 * catalog, with a Helm-native lifecycle (atomic install, rollback on failure, bounded history).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CHARTS, type ChartId } from "./catalog";

/** Helm refuses release names longer than this (they become label values with suffixes). */
export const MAX_RELEASE_NAME = 53;

export interface HelmReleaseArgs {
  /** Which catalog chart to install. */
  readonly chart: ChartId;
  /** Namespace the release and its objects live in. */
  readonly namespace: pulumi.Input<string>;
  /** Typed chart values; every key must exist in the chart version's values.yaml. */
  readonly values?: pulumi.Input<Record<string, unknown>>;
  /** Helm release name. @default - the chart id */
  readonly releaseName?: string;
  /** Let Helm create the namespace (only for namespaces strata does not declare itself). @default false */
  readonly createNamespace?: boolean;
  /** Seconds Helm waits for the release to become ready. @default 600 */
  readonly timeoutSeconds?: number;
  /** Skip the chart's `crds/` folder (another release installs and upgrades those CRDs). @default false */
  readonly skipCrds?: boolean;
}

const DEFAULTS = {
  createNamespace: false,
  timeoutSeconds: 600,
  maxHistory: 5,
  skipCrds: false,
} as const;

/** The chart reference and repository options Helm needs for a catalog pin. */
export function chartSource(id: ChartId): { chart: string; repositoryOpts?: { repo: string } } {
  const pin = CHARTS[id];
  if (pin.source.startsWith("oci://")) return { chart: pin.source };
  return { chart: pin.chart, repositoryOpts: { repo: pin.source } };
}

/** Throws when a release name is not a DNS-1123 label of at most 53 characters. */
export function checkReleaseName(name: string): void {
  if (name.length > MAX_RELEASE_NAME || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new Error(
      `Helm release name "${name}" is invalid: must be a DNS-1123 label of at most ${MAX_RELEASE_NAME} characters; choose a shorter name`,
    );
  }
}

/** Declares one Helm release of a catalog chart. */
export function helmRelease(name: string, args: HelmReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  const releaseName = args.releaseName ?? args.chart;
  checkReleaseName(releaseName);
  return new k8s.helm.v3.Release(
    name,
    {
      name: releaseName,
      ...chartSource(args.chart),
      version: CHARTS[args.chart].version,
      namespace: args.namespace,
      createNamespace: args.createNamespace ?? DEFAULTS.createNamespace,
      values: args.values ?? {},
      atomic: true,
      cleanupOnFail: true,
      timeout: args.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
      maxHistory: DEFAULTS.maxHistory,
      ...((args.skipCrds ?? DEFAULTS.skipCrds) ? { skipCrds: true } : {}),
    },
    opts,
  );
}

export interface CrdChartArgs {
  /** Which catalog chart to render (a chart whose templates are CRDs). */
  readonly chart: ChartId;
  /** Namespace the chart is rendered for (CRDs themselves are cluster-scoped). */
  readonly namespace: pulumi.Input<string>;
  /** Typed chart values; every key must exist in the chart version's values.yaml. */
  readonly values?: pulumi.Input<Record<string, unknown>>;
}

/**
 * Declares a CRD chart rendered by the provider (`helm template`) and applied object by object
 * with Server-Side Apply (`kubernetes.helm.v4.Chart`): each CRD is its own resource, updated when
 * the pin moves. A `helm.v3.Release` cannot carry such charts: Helm stores the rendered templates
 * in one release Secret, and Envoy Gateway's CRDs exceed the API server's 1 MiB limit for it
 * (envoyproxy/gateway#6105; upstream installs this chart with `helm template | kubectl apply
 * --server-side`, site/content/en/v1.9/install/install-helm.md "Installing CRDs separately").
 *
 * `dependsOn: [chart]` waits for every object the chart applies, so dependents need not list
 * `chart.resources`: the Chart is a remote component, and the Node SDK waits on a remote component
 * itself rather than on children it cannot see (@pulumi/pulumi runtime/dependsOn.js); its URN
 * comes back from the provider's Construct only after all children are registered and done
 * (pulumi-kubernetes provider/pkg/provider/helm/v4/chart.go registers them inside Construct; the
 * Go SDK's `construct` waits for that work with `pulumiCtx.wait()` before it answers).
 */
export function crdChart(name: string, args: CrdChartArgs, opts: pulumi.ComponentResourceOptions): k8s.helm.v4.Chart {
  return new k8s.helm.v4.Chart(
    name,
    {
      ...chartSource(args.chart),
      version: CHARTS[args.chart].version,
      namespace: args.namespace,
      values: args.values ?? {},
    },
    opts,
  );
}
