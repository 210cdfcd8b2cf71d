/**
 * issue #19: an app reads its credentials from `<app>-env` as environment variables, which a
 * container reads only when it starts; a rotated password must therefore roll the app's pods.
 * The apps layer is rendered twice under mocks, with two passwords for the platform's MySQL user
 * and for the app's generated secret: the Secret and the Deployment's pod template change
 * together.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import type { ClusterOutputs, Endpoint, PlatformOutputs } from "../../lib/contracts";
import { ENV_SECRET_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { renderedOne, renderWithPassword, secretValue } from "../platform/rotation-run";

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
const mysql = (password: string): Endpoint => ({
  kind: "mysql",
  namespace: "data",
  host: pulumi.output("mysql-haproxy.data.svc"),
  port: pulumi.output(3306),
  ports: [3306, 3307],
  database: pulumi.output("app"),
  username: pulumi.output("app"),
  password: pulumi.secret(password),
  url: pulumi.secret(`mysql://app:${password}@mysql-haproxy.data.svc:3306/app`),
  secretName: pulumi.output("mysql-app"),
});
const CONFIG = AppsConfig.parse({
  services: {
    api: {
      image: "ghcr.io/acme/api:1.4.2",
      port: 8080,
      resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
      uses: ["mysql"],
      connectionEnv: { DATABASE_URL: "mysql.url", DATABASE_HOST: "mysql.host" },
      generatedSecrets: { SESSION_KEY: 32 },
    },
  },
});

const render = (password: string) =>
  renderWithPassword(password, () => {
    const platform: PlatformOutputs = { endpoints: { mysql: mysql(password) }, observability: {}, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" };
    buildApps(CONFIG, cluster(new k8s.Provider("test", {})), platform);
  });
const podAnnotations = (deployment: Record<string, unknown>) =>
  (deployment["spec"] as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations ?? {};

describe("issue #19: apps roll when a password they read is rotated", function () {
  this.timeout(60_000);

  it("a rotated password changes the app's env Secret and its pod template together", async () => {
    const before = await render("first-password-0123456789abcdefgh");
    const after = await render("second-password-0123456789abcdefg");
    const secret = (all: typeof before) => renderedOne(all, "core/v1:Secret", "api-env");
    expect(secretValue(secret(before), "DATABASE_URL")).to.contain("first-password");
    expect(secretValue(secret(after), "DATABASE_URL")).to.contain("second-password");
    expect(secretValue(secret(after), "SESSION_KEY")).to.equal("second-password-0123456789abcdefg");
    const digestBefore = podAnnotations(renderedOne(before, "apps/v1:Deployment", "api-deployment"))[ENV_SECRET_DIGEST_ANNOTATION];
    const digestAfter = podAnnotations(renderedOne(after, "apps/v1:Deployment", "api-deployment"))[ENV_SECRET_DIGEST_ANNOTATION];
    expect(digestBefore).to.match(/^[0-9a-f]{16}$/);
    expect(digestAfter).to.match(/^[0-9a-f]{16}$/);
    expect(digestAfter).to.not.equal(digestBefore);
    expect(JSON.stringify(renderedOne(after, "apps/v1:Deployment", "api-deployment"))).to.not.contain("second-password");
  });
  it("the same passwords keep the pod template as it was (no roll on every up)", async () => {
    const one = renderedOne(await render("same-password-0123456789abcdefghi"), "apps/v1:Deployment", "api-deployment");
    const two = renderedOne(await render("same-password-0123456789abcdefghi"), "apps/v1:Deployment", "api-deployment");
    expect(two).to.deep.equal(one);
  });
});
