/**
 * Pure: the PrometheusRule of a service's SLOs (`strata:apps.services.<name>.slo`), one per
 * service whatever its release tracks: the ratios sum every track's Services (canary, blue and
 * green), or its HTTPRoute at the edge, so a rollout is judged by what all callers see.
 */
import type { AppServiceSpec } from "../../config/apps/service";
import type { AppSloSpec } from "../../config/apps/slo";
import type { HttpSource } from "../../lib/http-metrics";
import { withRunbookBase } from "../../lib/prometheus-rules";
import { sloRuleGroup } from "../../lib/slo";
import { releaseTracks } from "./release";

export function sloRuleManifest(input: {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** The service's objectives (its `slo`). */
  readonly slo: AppSloSpec;
  /** Where they are measured (`sloSource`). */
  readonly source: HttpSource;
  /** Base URL of the runbooks the alerts link. */
  readonly runbookBaseUrl: string;
}) {
  // The edge measures the HTTPRoute, named after the service; the app measures each track's Service.
  const measured = input.source === "app" ? releaseTracks(input.name, input.spec).map((track) => track.name) : [input.name];
  const group = sloRuleGroup({ namespace: input.namespace, service: input.name, measured, source: input.source, targets: input.slo });
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: `${input.name}-slo`, namespace: input.namespace, labels: { ...input.labels } },
    spec: { groups: [withRunbookBase(group, input.runbookBaseUrl)] },
  };
}
