/**
 * issue #19: apps that use RabbitMQ connect as their own user, with permissions on the apps'
 * vhost only and no management rights, instead of the cluster's default (administrator) user; rotating that user's
 * password changes the Secret the messaging-topology-operator's `User` imports (which it watches
 * and puts on the server again) and the app's env Secret together.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import type { ClusterOutputs, Endpoint, PlatformOutputs } from "../../lib/contracts";
import { ENV_SECRET_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { renderedOne, renderWithPassword, secretValue, type Rendered } from "../platform/rotation-run";

const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster = (provider: k8s.Provider): ClusterOutputs => ({
  provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
  gateway: { name: "strata", namespace: "gateway", domain: "example.com", address: pulumi.output("10.0.0.1"), listeners: { "example.com": ["https-example-com"] } },
});
const ADMIN_PASSWORD = "admin-password-0123456789abcdefgh";
const rabbitmq: Endpoint = {
  kind: "rabbitmq",
  namespace: "data",
  host: pulumi.output("rabbitmq.data.svc"),
  port: pulumi.output(5672),
  ports: [5672],
  username: pulumi.output("strata"),
  password: pulumi.secret(ADMIN_PASSWORD),
  url: pulumi.secret(`amqp://strata:${ADMIN_PASSWORD}@rabbitmq.data.svc:5672/`),
  secretName: pulumi.output("rabbitmq-default-user"),
};
const CONFIG = AppsConfig.parse({
  services: {
    orders: {
      image: "ghcr.io/acme/orders:1.0.0",
      port: 8080,
      resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
      uses: ["rabbitmq"],
      connectionEnv: { AMQP_URL: "rabbitmq.url", AMQP_USER: "rabbitmq.username", AMQP_PASSWORD: "rabbitmq.password" },
    },
  },
});
const render = (password: string) =>
  renderWithPassword(password, () => {
    const platform: PlatformOutputs = { endpoints: { rabbitmq }, observability: {}, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" };
    buildApps(CONFIG, cluster(new k8s.Provider("test", {})), platform);
  });
const spec = (all: readonly Rendered[], kind: string, name: string) => renderedOne(all, `rabbitmq.com/v1beta1:${kind}`, name)["spec"] as Record<string, unknown>;

describe("issue #19: apps' own RabbitMQ users", function () {
  this.timeout(60_000);

  it("an app connects as its own user, never as the default user, with rights on the apps' vhost only", async () => {
    const all = await render("orders-password-0123456789abcdefg");
    const env = renderedOne(all, "core/v1:Secret", "orders-env");
    expect(secretValue(env, "AMQP_USER")).to.equal("orders");
    expect(secretValue(env, "AMQP_PASSWORD")).to.equal("orders-password-0123456789abcdefg");
    expect(secretValue(env, "AMQP_URL")).to.equal("amqp://orders:orders-password-0123456789abcdefg@rabbitmq.data.svc:5672/%2F");
    expect(JSON.stringify(env)).to.not.contain(ADMIN_PASSWORD);
    // No tags: no management UI, no users, vhosts or policies.
    expect(spec(all, "User", "orders-rabbitmq-user")).to.deep.equal({ rabbitmqClusterReference: { name: "rabbitmq" }, importCredentialsSecret: { name: "orders-rabbitmq-user" } });
    expect(spec(all, "Permission", "orders-rabbitmq-permission")).to.deep.equal({
      vhost: "/",
      userReference: { name: "orders-user" },
      permissions: { configure: ".*", write: ".*", read: ".*" },
      rabbitmqClusterReference: { name: "rabbitmq" },
    });
  });
  it("the imported Secret carries the label without which the topology operator never sees it", async () => {
    const secret = renderedOne(await render("orders-password-0123456789abcdefg"), "core/v1:Secret", "orders-rabbitmq-credentials");
    const metadata = secret["metadata"] as { name: string; namespace: string; labels: Record<string, string> };
    expect(metadata).to.include({ name: "orders-rabbitmq-user", namespace: "data" });
    expect(metadata.labels).to.include({ "rabbitmq.com/topology-operator": "true" });
    expect(secretValue(secret, "username")).to.equal("orders");
  });
  it("a rotated password changes the Secret the User imports, the app's env Secret and the app's pods together", async () => {
    const before = await render("first-password-0123456789abcdefgh");
    const after = await render("second-password-0123456789abcdefg");
    for (const [all, password] of [
      [before, "first-password-0123456789abcdefgh"],
      [after, "second-password-0123456789abcdefg"],
    ] as const) {
      expect(secretValue(renderedOne(all, "core/v1:Secret", "orders-rabbitmq-credentials"), "password")).to.equal(password);
      expect(secretValue(renderedOne(all, "core/v1:Secret", "orders-env"), "AMQP_PASSWORD")).to.equal(password);
    }
    const digest = (all: readonly Rendered[]) =>
      ((renderedOne(all, "apps/v1:Deployment", "orders-deployment")["spec"] as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations)[ENV_SECRET_DIGEST_ANNOTATION];
    expect(digest(after)).to.not.equal(digest(before));
  });
});
