/** The `app.kubernetes.io/*` labels every object the cluster layer declares carries. */
export function strataLabels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "strata",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}
