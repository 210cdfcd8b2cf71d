/**
 * Pure: the controller pods and metrics Service the cert-manager chart (v1.21.1) renders for the
 * release strata installs, and what Prometheus scrapes there. From the chart's templates:
 * `deployment.yaml` labels the controller pods `app`, `app.kubernetes.io/name` (the chart name),
 * `app.kubernetes.io/instance` (the release) and `app.kubernetes.io/component: controller`, and
 * names container port 9402 `http-metrics`; with `prometheus.enabled` (and no PodMonitor),
 * `service.yaml` renders the Service `<fullname>` (the release name, which contains the chart
 * name) with those labels and port `http-metrics` 9402 selecting the controller. The certificate
 * metrics the alerts read (`certmanager_certificate_*`) come from the controller.
 */
import type { ScrapeTarget } from "../../lib/contracts";
import type { WorkloadDeclaration } from "../../lib/connections";

/** Release name: the chart id, so the controller's Service is named `cert-manager`. */
export const CERT_MANAGER_RELEASE = "cert-manager";

/** Labels of the controller's pods and of its metrics Service. */
export const CERT_MANAGER_CONTROLLER_LABELS = {
  app: "cert-manager",
  "app.kubernetes.io/name": "cert-manager",
  "app.kubernetes.io/instance": CERT_MANAGER_RELEASE,
  "app.kubernetes.io/component": "controller",
} as const;

/** The controller's metrics: Service, port name and number, path. */
export const CERT_MANAGER_METRICS = { service: CERT_MANAGER_RELEASE, port: "http-metrics", number: 9402, path: "/metrics" } as const;

/** The controller pods and their metrics Service, for the connection check. */
export function certManagerControllerWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/cert-manager`,
    pods: { namespace, labels: { ...CERT_MANAGER_CONTROLLER_LABELS } },
    containerPorts: { [CERT_MANAGER_METRICS.port]: CERT_MANAGER_METRICS.number, "http-healthz": 9403 },
    services: [{ name: CERT_MANAGER_METRICS.service, ports: { [CERT_MANAGER_METRICS.port]: CERT_MANAGER_METRICS.number } }],
  };
}

/** The controller's metrics Service as a scrape target (selected by the labels the chart gives it). */
export function certManagerScrapeTarget(namespace: string): ScrapeTarget {
  const labels = CERT_MANAGER_CONTROLLER_LABELS;
  const selector = { "app.kubernetes.io/name": labels["app.kubernetes.io/name"], "app.kubernetes.io/instance": labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": labels["app.kubernetes.io/component"] };
  return { name: "cert-manager", namespace, kind: "service", service: CERT_MANAGER_METRICS.service, selector, port: CERT_MANAGER_METRICS.port, path: CERT_MANAGER_METRICS.path };
}
