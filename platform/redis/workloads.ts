/**
 * Pure: the pods the redis-ha chart (4.39.0) renders for strata's values, as the connection check
 * sees them (lib/connections.ts). With release name and `fullnameOverride` both `redis` and no
 * `nameOverride`, `redis-ha.name` is the chart's name, `redis-ha` (templates/_helpers.tpl):
 * - servers: StatefulSet `redis-server`, pod labels `release`, `app: redis-ha` and
 *   `<fullname>: replica`; container ports `redis`, `sentinel`, and the exporter's `portName`
 *   (templates/redis-ha-statefulset.yaml); headless Service `<fullname>` with `tcp-server`,
 *   `tcp-sentinel` and `http-exporter-port` (templates/redis-ha-service.yaml);
 * - HAProxy: Deployment `<fullname>-haproxy`, pod labels `app: redis-ha-haproxy`, `release`,
 *   `component: haproxy`; container ports `probe` 8888, `redis` (`haproxy.containerPort`) and
 *   `metrics-port` (templates/redis-haproxy-deployment.yaml); Service `<fullname>-haproxy` with
 *   `tcp-haproxy` (`haproxy.servicePort` → `redis`) and the metrics port
 *   (templates/redis-haproxy-service.yaml).
 */
import type { WorkloadDeclaration } from "../../lib/connections";
import { EXPORTER_PORT, REDIS_NAME, REDIS_PORT, SENTINEL_PORT } from "./values";

/** The chart's name: the `app` label (no `nameOverride`). */
const CHART_NAME = "redis-ha";
/** The chart's defaults for the ports strata does not set (values.yaml: `exporter.portName`, `haproxy.metrics`). */
const EXPORTER_PORT_NAME = "exporter-port";
const HAPROXY_METRICS = { port: 9101, portName: "http-exporter-port" } as const;
/** `haproxy.servicePort` and `haproxy.containerPort` (chart defaults), what clients dial. */
export const HAPROXY_PORT = 6379;

/** labels.standard (templates/_helpers.tpl) on the chart's Services, without the chart version. */
const standard = (release: string) => ({ app: CHART_NAME, heritage: "Helm", release });

export type RedisWorkloads = Readonly<Record<"servers" | "haproxy", WorkloadDeclaration>>;

export function redisWorkloads(namespace: string, release = REDIS_NAME, fullname = REDIS_NAME): RedisWorkloads {
  return {
    servers: {
      id: `${namespace}/${fullname}-server`,
      pods: { namespace, labels: { release, app: CHART_NAME, [fullname]: "replica" } },
      containerPorts: { redis: REDIS_PORT, sentinel: SENTINEL_PORT, [EXPORTER_PORT_NAME]: EXPORTER_PORT },
      services: [{ name: fullname, ports: { "tcp-server": REDIS_PORT, "tcp-sentinel": SENTINEL_PORT, "http-exporter-port": EXPORTER_PORT }, labels: { ...standard(release), exporter: "enabled" } }],
    },
    haproxy: {
      id: `${namespace}/${fullname}-haproxy`,
      pods: { namespace, labels: { app: `${CHART_NAME}-haproxy`, release, component: "haproxy" } },
      containerPorts: { probe: 8888, redis: HAPROXY_PORT, "metrics-port": HAPROXY_METRICS.port },
      services: [{ name: `${fullname}-haproxy`, ports: { "tcp-haproxy": HAPROXY_PORT, [HAPROXY_METRICS.portName]: HAPROXY_METRICS.port }, labels: { ...standard(release), component: "haproxy" } }],
    },
  };
}
