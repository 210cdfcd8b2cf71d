/**
 * The EMIS system as `Pulumi.prod.yaml` (vSphere) and `Pulumi.dev.yaml` (EKS, small) plan it:
 * the seed's student-service numbers, the .NET port 80 kept on the Service while the container
 * listens on 8080, the wiring to MySQL, Redis and RabbitMQ, and api.emis.local on the internal CA.
 */
import { expect } from "chai";
import { SECRET_PLACEHOLDER } from "../../tools/engine/plan-document";
import type { RunResult } from "../../tools/engine/run";
import { at, named, planStack } from "../harness";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const SERVICES = ["api-gateway", "identity-service", "student-service", "teacher-service"];

describe("EMIS on vSphere (Pulumi.prod.yaml) and on EKS (Pulumi.dev.yaml)", () => {
  let prod: RunResult;
  let dev: RunResult;
  before(async function () {
    this.timeout(240_000);
    [prod, dev] = await Promise.all([planStack({ stack: "prod" }), planStack({ stack: "dev" })]);
  });
  const input = (plan: RunResult, type: string, name: string, path: string) => at(named(plan, type, name).inputs, path);
  const podSpec = (plan: RunResult, app: string) => input(plan, DEPLOYMENT, `${app}-deployment`, "spec.template.spec") as Record<string, unknown>;
  const container = (plan: RunResult, app: string) => (podSpec(plan, app)["containers"] as Record<string, unknown>[])[0] ?? {};

  it("scales the student service 3–10 at CPU 70 % / memory 80 % in prod", () => {
    const spec = named(prod, HPA, "student-service-autoscaler").inputs.spec;
    expect(at(spec, "minReplicas")).to.equal(3);
    expect(at(spec, "maxReplicas")).to.equal(10);
    expect((at(spec, "metrics") as { resource: { name: string; target: { averageUtilization: number } } }[]).map((m) => [m.resource.name, m.resource.target.averageUtilization])).to.deep.equal([
      ["cpu", 70],
      ["memory", 80],
    ]);
    expect(input(prod, DEPLOYMENT, "student-service-deployment", "spec.replicas"), "the HPA owns the count").to.equal(undefined);
  });

  it("runs the YARP API gateway with 3 replicas in prod", () => {
    expect(input(prod, DEPLOYMENT, "api-gateway-deployment", "spec.replicas")).to.equal(3);
    expect(input(prod, DEPLOYMENT, "api-gateway-deployment", "metadata.namespace")).to.equal("emis-infrastructure");
  });

  it("sizes every service 250m/256Mi → 500m/512Mi with the seed's probes", () => {
    for (const app of SERVICES) {
      const c = container(prod, app);
      expect(c["resources"], app).to.deep.equal({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
      expect(c["livenessProbe"], app).to.deep.equal({ httpGet: { path: "/health/live", port: 8080 }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(c["readinessProbe"], app).to.deep.equal({ httpGet: { path: "/health/ready", port: 8080 }, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    }
  });

  it("keeps the seed's port 80 on the Service while .NET listens on 8080 as a non-root user", () => {
    const c = container(prod, "student-service");
    expect(c["ports"]).to.deep.equal([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect((c["env"] as { name: string; value?: string }[]).find((e) => e.name === "ASPNETCORE_HTTP_PORTS")?.value).to.equal("8080");
    expect(at(c, "securityContext.runAsNonRoot")).to.equal(true);
    expect(at(c, "securityContext.capabilities")).to.deep.equal({ drop: ["ALL"] });
    expect(input(prod, "kubernetes:core/v1:Service", "student-service-service", "spec.ports")).to.deep.equal([{ name: "http", port: 80, targetPort: "http", protocol: "TCP", appProtocol: "http" }]);
    const apps = prod.outputs.apps as { apps: Record<string, { internalUrl: string }> };
    expect(apps.apps["student-service"]?.internalUrl).to.equal("http://student-service.emis-services.svc:80");
  });

  it("wires the .NET variables: credentials through the app's Secret, the RabbitMQ host in clear", () => {
    const env = container(prod, "student-service")["env"] as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string } } }[];
    expect(env.filter((e) => e.valueFrom !== undefined).map((e) => [e.name, e.valueFrom?.secretKeyRef.name])).to.deep.equal([
      ...["ConnectionStrings__DefaultConnection", "MinIO__AccessKey", "MinIO__SecretKey", "RabbitMQ__Password", "RabbitMQ__Username", "Redis__ConnectionString"].map((n) => [n, "student-service-env"]),
      ["JWT__SecretKey", "student-service-external"],
    ]);
    expect(env.find((e) => e.name === "RabbitMQ__Host")?.value).to.match(/^rabbitmq\./);
    expect(env.find((e) => e.name === "MinIO__Endpoint")?.value, "host:port of the S3 gateway, no scheme").to.match(/^[a-z0-9.-]+:\d+$/);
    expect(named(prod, "kubernetes:core/v1:Secret", "student-service-env").inputs.stringData).to.equal(SECRET_PLACEHOLDER);
  });

  it("issue #20: prod reads the JWT signing key and the registry credentials from the data centre's Vault, and rolls on a rotated key", () => {
    for (const app of ["identity-service", "student-service", "teacher-service"]) {
      const external = named(prod, "kubernetes:external-secrets.io/v1:ExternalSecret", `${app}-external-external-secret`).inputs;
      expect(at(external, "spec.secretStoreRef"), app).to.deep.equal({ kind: "ClusterSecretStore", name: "vault" });
      expect(at(external, "spec.data"), app).to.deep.equal([{ secretKey: "JWT__SecretKey", remoteRef: { key: "emis/prod/jwt", property: "signing-key" } }]);
      expect(at(named(prod, "kubernetes:apps/v1:Deployment", `${app}-deployment`).inputs, "metadata.annotations"), app).to.deep.equal({ "secret.reloader.stakater.com/reload": `${app}-external` });
    }
    for (const app of SERVICES) {
      const pull = named(prod, "kubernetes:external-secrets.io/v1:ExternalSecret", `${app}-pull-0-external-secret`).inputs;
      expect(at(pull, "spec.target.template.type"), app).to.equal("kubernetes.io/dockerconfigjson");
      expect(at(pull, "spec.data"), app).to.deep.equal([{ secretKey: "dockerconfigjson", remoteRef: { key: "emis/prod/registry/emis-local", property: "dockerconfigjson" } }]);
      expect(at(named(prod, "kubernetes:apps/v1:Deployment", `${app}-deployment`).inputs, "spec.template.spec.imagePullSecrets"), app).to.deep.equal([{ name: `${app}-pull-0` }]);
    }
  });

  it("gives the identity, student and teacher services one generated JWT signing key in dev: tokens one issues, the others verify", () => {
    for (const stack of [dev]) {
      const password = named(stack, "random:index/randomPassword:RandomPassword", "apps-shared-jwt-signing-key");
      expect(password.inputs.length).to.equal(64);
      const keys = ["identity-service", "student-service", "teacher-service"].map((app) => {
        const secret = named(stack, "kubernetes:core/v1:Secret", `${app}-env`);
        expect(secret.dependencies, app).to.include(password.urn);
        return (secret.rawInputs["stringData"] as Record<string, string>)["JWT__SecretKey"];
      });
      expect(keys[0]).to.be.a("string").with.length.above(0);
      expect(new Set(keys).size, "one key for all three").to.equal(1);
    }
  });

  it("serves api.emis.local through the API gateway on the internal CA's wildcard listener", () => {
    const route = named(prod, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "api-gateway-route").inputs;
    expect(at(route, "spec.hostnames")).to.deep.equal(["api.emis.local"]);
    expect((at(route, "spec.parentRefs") as { sectionName: string }[])[0]?.sectionName).to.equal("https-wildcard-emis-local");
    expect((at(route, "spec.rules") as { backendRefs: { name: string; port: number }[] }[])[0]?.backendRefs[0]).to.include({ name: "api-gateway", port: 80 });
  });

  it("issue #25: renders no rate limit the EMIS seed does not state (no 100/min per IP on the API route, none gateway-wide)", () => {
    // Schools reach the API from behind one NAT address: a per-IP limit would throttle a whole school.
    for (const plan of [prod, dev]) {
      // strata's own UIs keep their limit (monitoring namespace, platform/README.md "UI access"); EMIS's traffic has none.
      const limits = plan.resources.filter(
        (r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy" && at(r.inputs, "spec.rateLimit") !== undefined && at(r.inputs, "metadata.namespace") !== "monitoring",
      );
      expect(limits.map((r) => r.name), plan.stack).to.deep.equal([]);
    }
  });

  it("lets only the API gateway call the services, on the container port", () => {
    const ingress = input(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "student-service-network-policy", "spec.ingress") as { from: { podSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[];
    const callers = ingress.filter((rule) => rule.from.some((p) => p.podSelector !== undefined));
    expect(callers.flatMap((rule) => rule.from.map((p) => p.podSelector?.matchLabels["app.kubernetes.io/name"]))).to.deep.equal(["api-gateway"]);
    expect(callers[0]?.ports).to.deep.equal([{ protocol: "TCP", port: 8080 }]);
  });

  it("runs the same four services small on EKS in dev", () => {
    for (const app of SERVICES) expect(container(dev, app)["image"], app).to.equal(`registry.emis.local/${app}:1.0.0`);
    expect(input(dev, DEPLOYMENT, "api-gateway-deployment", "spec.replicas")).to.equal(1);
    expect([input(dev, HPA, "student-service-autoscaler", "spec.minReplicas"), input(dev, HPA, "student-service-autoscaler", "spec.maxReplicas")]).to.deep.equal([2, 3]);
    expect(input(dev, "kubernetes:policy/v1:PodDisruptionBudget", "student-service-disruption-budget", "spec.minAvailable")).to.equal(1);
    expect((at(named(dev, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "api-gateway-route").inputs, "spec.hostnames") as string[])[0]).to.equal("api.emis.local");
  });
});
