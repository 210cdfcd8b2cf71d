/**
 * How each Helm release's pods follow a change to a Secret or ConfigMap strata renders for them.
 * The plan holds the release's values but not the chart's templates (no `helm template`
 * offline), so what the pods read and whether the chart or its operator rolls them is declared
 * here from the chart at its pinned version, and `chartRollFindings` (tools/plan/rolling.ts)
 * holds the plan to it: every rendered object a release's values name must be listed, and a
 * `digest` entry's annotation must be in the values at each listed path.
 */
import { CPI_CONFIG_MAP, CPI_SECRET } from "../../cluster/vsphere-cpi/values";
import { CONFIG_DIGEST_ANNOTATION, CREDENTIALS_DIGEST_ANNOTATION, PASSWORD_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { GRAFANA_DATABASE_SECRET } from "../../platform/observability/grafana-values";
import { ALERTMANAGER_CONFIG_SECRET, GRAFANA_ADMIN_SECRET } from "../../platform/observability/prometheus-values";

/** How a release's pods pick up a changed object. */
export type ChartRoll =
  /** strata passes a digest of the object as a pod annotation: `annotation` under each values path in `at` (dot-separated). */
  | { readonly digest: { readonly annotation: string; readonly at: readonly string[] } }
  /** The chart or its operator re-reads the object itself: where upstream says so. */
  | { readonly reloads: string }
  /** Neither: an operator acts by hand, as `docs/operations.md` says at this anchor. */
  | { readonly manual: string };

export interface ChartRead {
  readonly kind: "Secret" | "ConfigMap";
  readonly name: string;
  readonly roll: ChartRoll;
}

/** Chart name (the last segment of the release's `chart`) → the strata-rendered objects its pods read. */
export const CHART_READS: Readonly<Record<string, readonly ChartRead[]>> = {
  "vsphere-cpi": [
    { kind: "ConfigMap", name: CPI_CONFIG_MAP, roll: { digest: { annotation: CONFIG_DIGEST_ANNOTATION, at: ["daemonset.podAnnotations"] } } },
    {
      kind: "Secret",
      name: CPI_SECRET,
      roll: { reloads: "the controller gets the Secret through a lister on every vCenter login and re-parses it when its resourceVersion changes (cloud-provider-vsphere v1.35.0 pkg/common/credentialmanager/credentialmanager.go GetCredential)" },
    },
  ],
  "kube-prometheus-stack": [
    {
      kind: "Secret",
      name: ALERTMANAGER_CONFIG_SECRET,
      roll: { reloads: "the Prometheus Operator watches configSecret, regenerates the Alertmanager config and its config-reloader sidecar reloads Alertmanager (prometheus-operator v0.93.0 pkg/alertmanager/statefulset.go config-reloader)" },
    },
    // Grafana reads the admin password only to create the admin on its first start; afterwards it
    // lives in Grafana's database (persistence on), so rolling the pod would change nothing.
    { kind: "Secret", name: GRAFANA_ADMIN_SECRET, roll: { manual: "rotating-secrets-and-certificates" } },
    // The shared database's password (prod with PostgreSQL) reaches Grafana as an environment
    // variable, read at start; its RandomPassword changes only on a deliberate --replace.
    { kind: "Secret", name: GRAFANA_DATABASE_SECRET, roll: { manual: "rotating-a-generated-password" } },
  ],
  "redis-ha": [{ kind: "Secret", name: "redis-auth", roll: { digest: { annotation: PASSWORD_DIGEST_ANNOTATION, at: ["redis.podAnnotations", "haproxy.podAnnotations"] } } }],
  seaweedfs: [{ kind: "Secret", name: "seaweedfs-s3-config", roll: { digest: { annotation: CONFIG_DIGEST_ANNOTATION, at: ["s3.podAnnotations"] } } }],
  velero: [{ kind: "Secret", name: "velero-object-store", roll: { digest: { annotation: CREDENTIALS_DIGEST_ANNOTATION, at: ["podAnnotations"] } } }],
  loki: [{ kind: "Secret", name: "loki-object-store", roll: { digest: { annotation: CREDENTIALS_DIGEST_ANNOTATION, at: ["singleBinary.podAnnotations"] } } }],
  tempo: [{ kind: "Secret", name: "tempo-object-store", roll: { digest: { annotation: CREDENTIALS_DIGEST_ANNOTATION, at: ["podAnnotations"] } } }],
};
