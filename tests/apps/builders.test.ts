/**
 * The AppService builders are pure: each Kubernetes kind is rendered from a parsed spec without
 * the engine, and the NetworkPolicies are evaluated for who may reach whom.
 */
import { expect } from "chai";
import { autoscalerManifest, disruptionBudgetManifest, minAvailableFor } from "../../apps/service/autoscaler";
import { connectionValue } from "../../apps/service/connections";
import { deploymentManifest } from "../../apps/service/deployment";
import { listenerFor, serviceAccountManifest, serviceMonitorManifest } from "../../apps/service/exposure";
import { networkPolicyManifest } from "../../apps/service/network-policy";
import { serviceManifest } from "../../apps/service/service";
import { AppServiceConfig, type AppServiceSpec } from "../../config/apps/service";
import { mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";

const spec = (extra: Record<string, unknown> = {}): AppServiceSpec =>
  AppServiceConfig.parse({
    image: "ghcr.io/acme/api:1.4.2",
    port: 8080,
    resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
    ...extra,
  });
const labels = { "app.kubernetes.io/name": "api" };
const selector = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" };
const placement = { nodeSelector: { "node.strata.io/pool": "apps" }, tolerations: [{ key: "dedicated", operator: "Equal" as const, value: "apps", effect: "NoSchedule" as const }] };
const base = { name: "api", namespace: "apps", labels, selector };

describe("AppService builders", () => {
  describe("Deployment", () => {
    const d = deploymentManifest({
      ...base,
      placement,
      secretName: "api-env",
      spec: spec({
        metricsPort: 9090,
        probes: { liveness: { path: "/health/live", initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }, readiness: { path: "/ready", port: 9090 } },
        writablePaths: { tmp: "/tmp", logs: "/app/logs" },
        connectionEnv: { DATABASE_URL: "postgres.url" },
        generatedSecrets: { JWT__SecretKey: 64 },
        env: { ASPNETCORE_ENVIRONMENT: "Production" },
        uses: ["postgres"],
        priorityClassName: "apps-high",
        imagePullSecrets: ["ghcr"],
      }),
    });
    const pod = d.spec.template.spec;
    const container = pod.containers[0];

    it("runs the restricted security context by default: non-root UID, read-only root, drop ALL, no escalation, RuntimeDefault", () => {
      expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
      expect(container?.securityContext).to.deep.equal({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.automountServiceAccountToken).to.equal(false);
    });

    it("gives each named writable path its own emptyDir", () => {
      expect(pod.volumes).to.deep.equal([
        { name: "logs", emptyDir: {} },
        { name: "tmp", emptyDir: {} },
      ]);
      expect(container?.volumeMounts).to.deep.equal([
        { name: "logs", mountPath: "/app/logs" },
        { name: "tmp", mountPath: "/tmp" },
      ]);
    });

    it("rolls out with maxUnavailable 0 and takes probes, resources and ports from the spec", () => {
      expect(d.spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
      expect(d.spec.replicas).to.equal(2);
      expect(container?.livenessProbe).to.deep.equal({ httpGet: { path: "/health/live", port: 8080 }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(container?.readinessProbe?.httpGet).to.deep.equal({ path: "/ready", port: 9090 });
      expect(container).to.not.have.property("startupProbe");
      expect(container?.resources).to.deep.equal({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
      expect(container?.ports?.map((p) => [p.name, p.containerPort])).to.deep.equal([
        ["http", 8080],
        ["metrics", 9090],
      ]);
    });

    it("reads connection and generated variables from the app's Secret, plain ones by value", () => {
      expect(container?.env).to.deep.equal([
        { name: "ASPNETCORE_ENVIRONMENT", value: "Production" },
        { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "api-env", key: "DATABASE_URL" } } },
        { name: "JWT__SecretKey", valueFrom: { secretKeyRef: { name: "api-env", key: "JWT__SecretKey" } } },
      ]);
    });

    it("places, spreads and prioritises the pods", () => {
      expect(pod.nodeSelector).to.deep.equal(placement.nodeSelector);
      expect(pod.tolerations).to.deep.equal(placement.tolerations);
      expect(pod.topologySpreadConstraints.map((c) => c.topologyKey)).to.deep.equal(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
      expect(pod.topologySpreadConstraints[0]?.labelSelector.matchLabels).to.deep.equal(selector);
      expect(pod.priorityClassName).to.equal("apps-high");
      expect(pod.imagePullSecrets).to.deep.equal([{ name: "ghcr" }]);
      expect(pod.serviceAccountName).to.equal("api");
    });

    it("leaves the replica count to the HPA when autoscaling is on", () => {
      const scaled = deploymentManifest({ ...base, placement, spec: spec({ autoscaling: { minReplicas: 3, maxReplicas: 10, cpuPercent: 70 } }) });
      expect(scaled.spec).to.not.have.property("replicas");
      expect(scaled.spec.template.spec.containers[0]?.env).to.deep.equal([]);
    });
  });

  describe("HPA and PDB", () => {
    it("renders targets, policies and stabilisation windows; a pod count caps the percentage", () => {
      const hpa = autoscalerManifest({
        name: "api",
        namespace: "apps",
        labels,
        scaling: spec({
          autoscaling: {
            minReplicas: 3,
            maxReplicas: 20,
            cpuPercent: 70,
            memoryPercent: 80,
            scaleUp: { percent: 100, pods: 4, periodSeconds: 30, stabilizationSeconds: 0 },
            scaleDown: { percent: 50, periodSeconds: 60 },
          },
        }).autoscaling!,
      });
      expect(hpa.spec.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
      expect(hpa.spec.metrics.map((m) => [m.resource.name, m.resource.target.averageUtilization])).to.deep.equal([
        ["cpu", 70],
        ["memory", 80],
      ]);
      expect(hpa.spec.behavior?.scaleUp).to.deep.equal({
        stabilizationWindowSeconds: 0,
        selectPolicy: "Min",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 30 },
          { type: "Pods", value: 4, periodSeconds: 30 },
        ],
      });
      expect(hpa.spec.behavior?.scaleDown).to.deep.equal({ policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] });
    });

    it("keeps one pod less than the fewest replicas available unless told, and none for a single pod", () => {
      expect(minAvailableFor(spec({ replicas: 3 }))).to.equal(2);
      expect(minAvailableFor(spec({ replicas: 1 }))).to.equal(undefined);
      expect(minAvailableFor(spec({ autoscaling: { minReplicas: 3, maxReplicas: 9, cpuPercent: 70 }, minAvailable: 1 }))).to.equal(1);
      const pdb = disruptionBudgetManifest({ ...base, minAvailable: 2 });
      expect(pdb.spec).to.deep.equal({ minAvailable: 2, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    });
  });

  describe("Service, ServiceAccount, ServiceMonitor and HTTPRoute", () => {
    it("exposes the http and metrics ports by name", () => {
      const svc = serviceManifest({ ...base, spec: spec({ metricsPort: 9090 }) });
      expect(svc.spec.ports.map((p) => [p.name, p.port, p.targetPort])).to.deep.equal([
        ["http", 8080, "http"],
        ["metrics", 9090, "metrics"],
      ]);
      expect(svc.spec.selector).to.deep.equal(selector);
      expect(serviceAccountManifest({ ...base, spec: spec() }).automountServiceAccountToken).to.equal(false);
      expect(serviceAccountManifest({ ...base, spec: spec({ automountServiceAccountToken: true }) }).automountServiceAccountToken).to.equal(true);
    });

    it("scrapes the metrics port at the spec's path", () => {
      const sm = serviceMonitorManifest({ ...base, spec: spec({ metricsPort: 9090, metricsPath: "/prometheus" }) });
      expect(sm.spec.endpoints).to.deep.equal([{ port: "metrics", path: "/prometheus", interval: "30s", scheme: "http" }]);
      expect(sm.spec.namespaceSelector).to.deep.equal({ matchNames: ["apps"] });
    });

    it("attaches the route to the apex listener for the domain itself and the wildcard one below it", () => {
      const listeners = ["https-example-com", "https-wildcard-example-com"];
      expect(listenerFor("example.com", "example.com", listeners)).to.equal("https-example-com");
      expect(listenerFor("api.example.com", "example.com", listeners)).to.equal("https-wildcard-example-com");
    });
  });

  describe("connection values", () => {
    const pg = { kind: "postgresql" as const, host: "pg.data.svc", port: 5432, database: "emis", username: "app", password: "s3cret", url: "postgresql://app:s3cret@pg.data.svc:5432/emis" };
    it("builds .NET connection strings for SQL and Redis, and passes URLs through", () => {
      expect(connectionValue(pg, "dotnet")).to.equal("Server=pg.data.svc;Port=5432;Database=emis;User=app;Password=s3cret");
      expect(connectionValue({ ...pg, kind: "redis", host: "redis.data.svc", port: 6379, username: "default", url: "redis://:s3cret@redis.data.svc:6379" }, "dotnet")).to.equal(
        "redis.data.svc:6379,password=s3cret,abortConnect=false",
      );
      expect(connectionValue(pg, "url")).to.equal(pg.url);
      expect(connectionValue(pg, "port")).to.equal("5432");
    });
  });

  describe("NetworkPolicy behaviour", () => {
    const pods = {
      api: { kind: "pod", namespace: "apps", labels: selector },
      web: { kind: "pod", namespace: "apps", labels: { "app.kubernetes.io/name": "web" } },
      other: { kind: "pod", namespace: "apps", labels: { "app.kubernetes.io/name": "batch" } },
      envoy: { kind: "pod", namespace: "gateway", labels: { app: "envoy" } },
      prometheus: { kind: "pod", namespace: "monitoring", labels: { app: "prometheus" } },
      tenant: { kind: "pod", namespace: "tenant-a", labels: {} },
      postgres: { kind: "pod", namespace: "data", labels: { "cnpg.io/cluster": "pg" } },
      mongo: { kind: "pod", namespace: "data", labels: { app: "mongo" } },
      dns: { kind: "pod", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    } satisfies Record<string, PodEndpoint>;
    const policy = networkPolicyManifest({
      ...base,
      spec: spec({ metricsPort: 9090, uses: ["postgres"] }),
      gatewayNamespace: "gateway",
      monitoringNamespace: "monitoring",
      callers: [{ namespace: "apps", app: "web" }],
      uses: [{ namespace: "data", ports: [5432] }],
      calls: [{ namespace: "apps", app: "batch", port: 3000 }],
    }) as NetworkPolicyObject;
    const reach = (from: PodEndpoint, to: PodEndpoint, port: number, protocol: "TCP" | "UDP" = "TCP") => mayReach([policy], { from, to, port, protocol });

    it("admits the gateway and declared callers on the HTTP port, monitoring on the metrics port, nobody else", () => {
      expect(reach(pods.envoy, pods.api, 8080)).to.equal(true);
      expect(reach(pods.web, pods.api, 8080)).to.equal(true);
      expect(reach(pods.prometheus, pods.api, 9090)).to.equal(true);
      expect(reach(pods.prometheus, pods.api, 8080)).to.equal(false);
      expect(reach(pods.other, pods.api, 8080)).to.equal(false);
      expect(reach(pods.tenant, pods.api, 8080)).to.equal(false);
      expect(reach(pods.web, pods.api, 9090)).to.equal(false);
    });

    it("lets the app out only to DNS, the platform services it uses and the apps it calls", () => {
      expect(reach(pods.api, pods.dns, 53, "UDP")).to.equal(true);
      expect(reach(pods.api, pods.postgres, 5432)).to.equal(true);
      expect(reach(pods.api, pods.other, 3000)).to.equal(true);
      expect(reach(pods.api, pods.web, 3000)).to.equal(false);
      expect(reach(pods.api, pods.mongo, 27017)).to.equal(false);
      expect(reach(pods.api, pods.envoy, 443)).to.equal(false);
      expect(mayReach([policy], { from: pods.api, to: { kind: "address", ip: "1.1.1.1" }, port: 443, protocol: "TCP" })).to.equal(false);
    });

    it("issue #18: opens every port a used service publishes (MySQL's read-only 3307 beside 3306), no other", () => {
      const mysql = networkPolicyManifest({ ...base, spec: spec({ uses: ["mysql"] }), callers: [], uses: [{ namespace: "data", ports: [3306, 3307] }] }) as NetworkPolicyObject;
      const haproxy: PodEndpoint = { kind: "pod", namespace: "data", labels: { "app.kubernetes.io/name": "haproxy" } };
      expect([3306, 3307, 3309].map((port) => mayReach([mysql], { from: pods.api, to: haproxy, port }))).to.deep.equal([true, true, false]);
    });
  });
});
