/**
 * Pure: the OpenTelemetry SDK variables every app gets when the platform runs the trace
 * collectors, so an instrumented app exports to the agent tier (the router collectors) with no
 * code: the specification's `OTEL_EXPORTER_OTLP_ENDPOINT` (the base URL; OTLP/HTTP exporters
 * append `/v1/traces`, `/v1/metrics`, `/v1/logs`), `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/protobuf`,
 * set because SDKs differ in their default: .NET's is `grpc`), `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables,
 * protocol/exporter.md). What the app's own `env` sets wins.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The router's OTLP/HTTP port, which `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf` speaks. */
export const OTLP_PROTOCOL = "http/protobuf";

/** The version an image names: its tag, else its digest. */
export function imageVersion(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1);
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : "unknown";
}

export function telemetryEnv(input: {
  /** The app (its key): one service name for every release track. */
  readonly service: string;
  readonly namespace: string;
  /** The track's image, whose tag is the service version. */
  readonly image: string;
  /** The router's OTLP/HTTP URL (`PlatformOutputs.observability.otlpHttp`). */
  readonly endpoint: pulumi.Input<string>;
  /** Variables the app sets itself, which are left to it. */
  readonly own: Readonly<Record<string, string>>;
}): Record<string, pulumi.Input<string>> {
  const env: Record<string, pulumi.Input<string>> = {
    OTEL_EXPORTER_OTLP_ENDPOINT: input.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: OTLP_PROTOCOL,
    OTEL_SERVICE_NAME: input.service,
    OTEL_RESOURCE_ATTRIBUTES: `k8s.namespace.name=${input.namespace},service.version=${imageVersion(input.image)}`,
  };
  return Object.fromEntries(Object.entries(env).filter(([name]) => input.own[name] === undefined));
}
