/**
 * Issue #13: the run-time builders are pure. The ScaledObject is checked against the KEDA CRD of
 * the pinned chart, the migration container against the app container, the egress rules by
 * evaluating the rendered NetworkPolicy, the object-store values field by field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { deploymentManifest } from "../../apps/service/deployment";
import { EGRESS_HOSTS_ANNOTATION } from "../../apps/service/egress";
import { networkPolicyManifest } from "../../apps/service/network-policy";
import { hostPortOf, objectStoreValue } from "../../apps/service/object-store";
import { httpRuleManifest } from "../../apps/service/http-rules";
import { latencyQuery, requestsPerSecondQuery, scaledObjectManifest } from "../../apps/service/scaled-object";
import { AppServiceConfig, type AppServiceSpec } from "../../config/apps/service";
import { mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { validateKubernetesObject } from "../../tools/verify/kubernetes-schema";

const CHARTS = join(__dirname, "..", "..", "..", "shared", "reference", "charts");
const spec = (extra: Record<string, unknown> = {}): AppServiceSpec =>
  AppServiceConfig.parse({ image: "ghcr.io/acme/api:1.4.2", port: 8080, metricsPort: 9090, resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 }, ...extra });
const labels = { "app.kubernetes.io/name": "api" };
const selector = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" };
const placement = { nodeSelector: { "node.strata.io/pool": "apps" }, tolerations: [] };
const base = { name: "api", namespace: "apps", labels, selector };
const PROMETHEUS = "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090";

describe("AppService run-time builders", () => {
  describe("KEDA ScaledObject", () => {
    const scaling = spec({
      autoscaling: {
        minReplicas: 3,
        maxReplicas: 20,
        cpuPercent: 70,
        memoryPercent: 80,
        requestsPerSecond: 1000,
        latencyMs: 250,
        latencyQuantile: 0.99,
        scaleUp: { percent: 100, pods: 4, periodSeconds: 30 },
        scaleDown: { percent: 50, periodSeconds: 60, stabilizationSeconds: 300 },
      },
    }).autoscaling;
    if (scaling === undefined) throw new Error("no autoscaling");
    const object = scaledObjectManifest({ name: "api", namespace: "apps", labels, scaling, prometheusAddress: PROMETHEUS });
    const prometheusTriggers = object.spec.triggers.flatMap((t) => ("name" in t && "query" in t.metadata ? [{ ...t, name: t.name, metadata: t.metadata }] : []));

    it("is valid against the keda 2.20.2 ScaledObject CRD", () => {
      expect(customResourceFindings("ScaledObject apps/api", object, "keda.sh", "v1alpha1", "ScaledObject", loadCrds(CHARTS))).to.deep.equal([]);
    });

    it("targets the Deployment with the HPA bounds and carries the scaling behaviour into KEDA's HPA", () => {
      expect(object.spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
      expect([object.spec.minReplicaCount, object.spec.maxReplicaCount]).to.deep.equal([3, 20]);
      expect(object.spec.advanced?.horizontalPodAutoscalerConfig.behavior).to.deep.equal({
        scaleUp: { selectPolicy: "Min", policies: [{ type: "Percent", value: 100, periodSeconds: 30 }, { type: "Pods", value: 4, periodSeconds: 30 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
      });
    });

    it("keeps CPU and memory as resource triggers and adds Prometheus triggers on the platform's Prometheus", () => {
      const triggers = object.spec.triggers;
      expect(triggers.map((t) => [t.type, t.metricType])).to.deep.equal([
        ["cpu", "Utilization"],
        ["memory", "Utilization"],
        ["prometheus", "AverageValue"],
        ["prometheus", "Value"],
      ]);
      expect(triggers[0]?.metadata).to.deep.equal({ value: "70" });
      expect(triggers[2]?.metadata).to.deep.equal({
        serverAddress: PROMETHEUS,
        query: 'sum(strata:http_requests:rate2m{namespace="apps",service="api",source="app"})',
        threshold: "1000",
        ignoreNullValues: "false",
      });
      expect(triggers[3]?.metadata).to.include({
        threshold: "250",
        query:
          '(histogram_quantile(0.99, sum by (le) (strata:http_request_duration_seconds_bucket:rate2m{namespace="apps",service="api",source="app"})) * 1000 >= 0) or (0 * sum(strata:http_requests:rate2m{namespace="apps",service="api",source="app"}))',
      });
    });

    it("issue #18: a missing series is an error KEDA falls back on (keeping the pods it runs), never a silent 0", () => {
      for (const trigger of prometheusTriggers) expect(trigger.metadata, trigger.name).to.have.property("ignoreNullValues", "false");
      expect(object.spec.fallback).to.deep.equal({ failureThreshold: 3, replicas: 3, behavior: "currentReplicasIfHigher" });
    });

    it("issue #18: the triggers read the series the app's PrometheusRule records, which the promtool fixture evaluates", () => {
      // The series names the queries read are the ones the app's rule records, with `source="app"`.
      const rule = httpRuleManifest({ name: "api", namespace: "apps", spec: spec({ httpMetrics: { convention: "prometheus-net" } }), labels });
      const recorded = new Set(rule.spec.groups.flatMap((g) => g.rules).flatMap((r) => ("record" in r ? [r.record] : [])));
      expect(prometheusTriggers).to.have.length(2);
      for (const trigger of prometheusTriggers) {
        const read = [...trigger.metadata.query.matchAll(/strata:[a-z_:0-9]+/g)].map((m) => m[0]);
        expect(read.length, trigger.name).to.be.greaterThan(0);
        for (const series of read) expect(recorded.has(series), `${trigger.name} reads ${series}`).to.equal(true);
      }
      // The fixture evaluates these very queries on prometheus-net's series (busy, idle, missing).
      const fixture = parse(readFileSync(join(__dirname, "..", "promtool", "http-contract.test.yaml"), "utf8")) as { tests: { promql_expr_test?: { expr: string }[] }[] };
      const evaluated = fixture.tests.flatMap((t) => t.promql_expr_test ?? []).map((e) => e.expr);
      for (const query of [requestsPerSecondQuery("emis-services", "student-service"), latencyQuery(0.95, "emis-services", "student-service")]) {
        expect(evaluated.some((expr) => expr.includes(query)), query).to.equal(true);
      }
    });
  });

  describe("HTTP metrics rule", () => {
    const exprs = (extra: Record<string, unknown>) =>
      Object.fromEntries(
        httpRuleManifest({ name: "api", namespace: "apps", spec: spec(extra), labels })
          .spec.groups.flatMap((g) => g.rules)
          .flatMap((r) => ("record" in r ? [[r.record, r.expr] as const] : [])),
      );

    it("issue #18: records the contract from prometheus-net's histogram and status label for a .NET service", () => {
      const e = exprs({ httpMetrics: { convention: "prometheus-net" } });
      expect(e["strata:http_requests:rate2m"]).to.equal('sum by (namespace, service) (rate(http_request_duration_seconds_count{namespace="apps",service="api"}[2m]))');
      expect(e["strata:http_errors:rate5m"]).to.contain('http_request_duration_seconds_count{namespace="apps",service="api",code=~"5.."}[5m]');
      expect(e["strata:http_request_duration_seconds_bucket:rate5m"]).to.equal('sum by (namespace, service, le) (rate(http_request_duration_seconds_bucket{namespace="apps",service="api"}[5m]))');
    });

    it("reads OpenTelemetry's names by default and explicit names when given", () => {
      expect(exprs({})["strata:http_errors:rate2m"]).to.contain('http_server_request_duration_seconds_count{namespace="apps",service="api",http_response_status_code=~"5.."}');
      expect(exprs({ httpMetrics: { histogram: "request_seconds", statusLabel: "status" } })["strata:http_errors:rate2m"]).to.contain('request_seconds_count{namespace="apps",service="api",status=~"5.."}');
    });

    it("is a valid PrometheusRule whose every series carries source=app", () => {
      const rule = httpRuleManifest({ name: "api", namespace: "apps", spec: spec(), labels });
      expect(customResourceFindings("PrometheusRule apps/api-http-metrics", rule, "monitoring.coreos.com", "v1", "PrometheusRule", loadCrds(CHARTS))).to.deep.equal([]);
      for (const r of rule.spec.groups.flatMap((g) => g.rules)) if ("record" in r) expect(r.labels, r.record).to.deep.equal({ source: "app" });
    });
  });

  describe("migration init container", () => {
    const app = spec({
      migration: { command: ["dotnet", "Migrator.dll"], args: ["--apply"] },
      env: { ASPNETCORE_ENVIRONMENT: "Production" },
      connectionEnv: { DATABASE_URL: "postgres.url" },
      uses: ["postgres"],
      writablePaths: { tmp: "/tmp", logs: "/app/logs" },
    });
    const d = deploymentManifest({ ...base, placement, spec: app, secretName: "api-env" });
    const pod = d.spec.template.spec;
    const [init] = pod.initContainers ?? [];
    const [main] = pod.containers;

    it("runs the command from the app's image with the app's env, security context and resources", () => {
      expect(init?.name).to.equal("migrate");
      expect(init?.image).to.equal("ghcr.io/acme/api:1.4.2");
      expect([init?.command, init?.args]).to.deep.equal([["dotnet", "Migrator.dll"], ["--apply"]]);
      expect(init?.env).to.deep.equal(main?.env);
      expect(init?.securityContext).to.deep.equal(main?.securityContext);
      expect(init?.resources).to.deep.equal(main?.resources);
    });

    it("writes only to its own /tmp emptyDir, not the app's volumes", () => {
      expect(init?.volumeMounts).to.deep.equal([{ name: "migration-tmp", mountPath: "/tmp" }]);
      expect(pod.volumes.map((v) => v.name)).to.deep.equal(["logs", "tmp", "migration-tmp"]);
    });

    it("uses its own pinned image when given and renders a schema-valid Deployment", async () => {
      const other = deploymentManifest({ ...base, placement, spec: spec({ migration: { command: ["./migrate"], image: "ghcr.io/acme/migrate:2.0.1" } }) });
      expect(other.spec.template.spec.initContainers?.[0]?.image).to.equal("ghcr.io/acme/migrate:2.0.1");
      expect(await validateKubernetesObject({ apiVersion: "apps/v1", kind: "Deployment", ...other })).to.deep.equal([]);
    });

    it("is absent without migration", () => {
      const plain = deploymentManifest({ ...base, placement, spec: spec() }).spec.template.spec;
      expect(plain).to.not.have.property("initContainers");
      expect(plain.volumes.map((v) => v.name)).to.deep.equal(["tmp"]);
    });
  });

  describe("egress behaviour", () => {
    const pods = {
      api: { kind: "pod", namespace: "apps", labels: selector },
      web: { kind: "pod", namespace: "apps", labels: { "app.kubernetes.io/name": "web" } },
      batch: { kind: "pod", namespace: "apps", labels: { "app.kubernetes.io/name": "batch" } },
      postgres: { kind: "pod", namespace: "data", labels: { "cnpg.io/cluster": "pg" } },
      seaweedfs: { kind: "pod", namespace: "data", labels: { app: "seaweedfs" } },
      dns: { kind: "pod", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      prometheus: { kind: "pod", namespace: "monitoring", labels: { app: "prometheus" } },
    } satisfies Record<string, PodEndpoint>;
    const policyOf = (extra: Record<string, unknown>, cloud?: { podIdentity: boolean; s3: boolean }) =>
      networkPolicyManifest({
        ...base,
        spec: spec({ uses: ["postgres"], ...extra }),
        callers: [],
        uses: [{ namespace: "data", ports: [5432] }, { namespace: "data", ports: [8333] }],
        calls: [{ namespace: "apps", app: "batch", port: 3000 }],
        ...(cloud === undefined ? {} : { cloud }),
      }) as NetworkPolicyObject;
    const egress = [
      { host: "api.stripe.com", cidrs: ["203.0.113.0/24"], ports: [443] },
      { cidrs: ["198.51.100.7/32"], ports: [123], protocol: "UDP" },
    ];
    const policy = policyOf({ egress });
    const to = (ip: string, port: number, protocol: "TCP" | "UDP" = "TCP") => mayReach([policy], { from: pods.api, to: { kind: "address", ip }, port, protocol });

    it("reaches exactly DNS, its uses, its callees and its declared egress", () => {
      const reach = (target: PodEndpoint, port: number, protocol: "TCP" | "UDP" = "TCP") => mayReach([policy], { from: pods.api, to: target, port, protocol });
      expect(reach(pods.dns, 53, "UDP")).to.equal(true);
      expect(reach(pods.postgres, 5432)).to.equal(true);
      expect(reach(pods.seaweedfs, 8333)).to.equal(true);
      expect(reach(pods.batch, 3000)).to.equal(true);
      expect(to("203.0.113.45", 443)).to.equal(true);
      expect(to("198.51.100.7", 123, "UDP")).to.equal(true);

      expect(reach(pods.web, 3000)).to.equal(false);
      expect(reach(pods.prometheus, 9090)).to.equal(false);
      expect(reach(pods.postgres, 22)).to.equal(false);
      expect(to("203.0.113.45", 80)).to.equal(false);
      expect(to("203.0.114.1", 443)).to.equal(false);
      expect(to("198.51.100.7", 123)).to.equal(false);
      expect(to("198.51.100.8", 123, "UDP")).to.equal(false);
      expect(to("169.254.170.23", 80)).to.equal(false);
    });

    it("names the declared hosts in an annotation (NetworkPolicy matches addresses only)", () => {
      expect((policy.metadata as { annotations?: Record<string, string> }).annotations).to.deep.equal({ [EGRESS_HOSTS_ANNOTATION]: "api.stripe.com=203.0.113.0/24" });
      expect(policyOf({}).metadata).to.not.have.property("annotations");
    });

    it("on EKS adds the Pod Identity agent and S3 over HTTPS outside private ranges, nothing else", () => {
      const eks = policyOf({}, { podIdentity: true, s3: true });
      const out = (ip: string, port: number) => mayReach([eks], { from: pods.api, to: { kind: "address", ip }, port, protocol: "TCP" });
      expect(out("169.254.170.23", 80)).to.equal(true);
      expect(out("52.219.170.1", 443)).to.equal(true);
      expect(out("52.219.170.1", 80)).to.equal(false);
      expect(out("10.0.12.7", 443)).to.equal(false);
      expect(out("169.254.169.254", 80)).to.equal(false);
    });

    it("is schema-valid", async () => {
      expect(await validateKubernetesObject({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", ...policyOf({ egress }, { podIdentity: true, s3: true }) })).to.deep.equal([]);
    });
  });

  describe("object-store values", () => {
    const seaweed = { endpoint: "http://seaweedfs-s3.data.svc:8333", region: "us-east-1", bucket: "emis-objects", accessKey: "AKIA", secretKey: "s3cr3t" };
    it("gives the S3 URL, its host:port for MinIO clients, the bucket, the region and the static keys", () => {
      expect(objectStoreValue(seaweed, "endpoint")).to.equal("http://seaweedfs-s3.data.svc:8333");
      expect(objectStoreValue(seaweed, "hostPort")).to.equal("seaweedfs-s3.data.svc:8333");
      expect(objectStoreValue(seaweed, "bucket")).to.equal("emis-objects");
      expect(objectStoreValue(seaweed, "region")).to.equal("us-east-1");
      expect([objectStoreValue(seaweed, "accessKey"), objectStoreValue(seaweed, "secretKey")]).to.deep.equal(["AKIA", "s3cr3t"]);
      expect(hostPortOf("https://s3.eu-central-1.amazonaws.com")).to.equal("s3.eu-central-1.amazonaws.com:443");
    });
    it("refuses static keys from a store without them (EKS)", () => {
      expect(() => objectStoreValue({ endpoint: "https://s3.eu-central-1.amazonaws.com", region: "eu-central-1", bucket: "b" }, "accessKey")).to.throw("no static keys");
    });
  });
});
