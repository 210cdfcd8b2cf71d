/** Pure: the ClusterIP Service in front of the app's pods. */
import type { AppServiceSpec } from "../../config/apps/service";
import { servicePortOf } from "../../config/apps/service-port";
import { HTTP_PORT_NAME, METRICS_PORT_NAME } from "./deployment";

export function serviceManifest(input: {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}) {
  const { spec } = input;
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      type: "ClusterIP",
      selector: { ...input.selector },
      ports: [
        { name: HTTP_PORT_NAME, port: servicePortOf(spec), targetPort: HTTP_PORT_NAME, protocol: "TCP", appProtocol: "http" },
        ...(spec.metricsPort === undefined ? [] : [{ name: METRICS_PORT_NAME, port: spec.metricsPort, targetPort: METRICS_PORT_NAME, protocol: "TCP", appProtocol: "http" }]),
      ],
    },
  };
}
