/**
 * issue #20: an app's own secrets come from three sources. `config:` values go into the app's env
 * Secret (its digest on the pods rolls them on a change), `secret:` sources are read from the named
 * Secret as they are, `external:` sources from the Secret `<app>-external` that one ExternalSecret
 * (valid against the chart's CRD) fills through the platform's ClusterSecretStore, and which the
 * Deployment names in Reloader's annotation; the name read is the store's prefix and the path. The apps layer is rendered under mocks.
 */
import { join } from "node:path";
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import { ConfigError } from "../../config/errors";
import type { ClusterOutputs, PlatformOutputs, SecretStoreRef } from "../../lib/contracts";
import { ENV_SECRET_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { validateKubernetesObject } from "../../tools/verify/kubernetes-schema";
import { renderedOne, renderWithPassword, secretValue } from "../platform/rotation-run";

const CHARTS = join(__dirname, "..", "..", "..", "shared", "reference", "charts");
const RELOAD = "secret.reloader.stakater.com/reload";
const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster = (provider: k8s.Provider): ClusterOutputs => ({
  provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
});
const vault: SecretStoreRef = { name: "vault", provider: "vault", prefix: "emis/", refreshInterval: "15m" };

const CONFIG = AppsConfig.parse({
  services: {
    api: {
      image: "ghcr.io/acme/api:1.4.2",
      port: 8080,
      resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
      migration: { command: ["./migrate"] },
      secretEnv: {
        API_KEY: { config: "orders:apiKey" },
        LEGACY_TOKEN: { secret: "legacy-creds/token" },
        SMTP_PASSWORD: { external: "vault/smtp", property: "password" },
      },
      secretFiles: {
        "/etc/api/tls/key.pem": { external: "vault/api-tls", property: "key" },
        "/etc/api/tls/signing.pem": { config: "orders:signingKey" },
      },
      imagePullSecrets: ["registry-secret", { external: "vault/registry" }, { config: "orders:registry" }],
    },
  },
});

const render = (apiKey: string, platform: Partial<PlatformOutputs> = {}, config = CONFIG) =>
  renderWithPassword("unused-password-0123456789abcdef", () => {
    buildApps(config, cluster(new k8s.Provider("test", {})), { endpoints: {}, observability: {}, secretStores: { vault }, reloaderAnnotation: RELOAD, ...platform }, undefined, {
      "orders:apiKey": pulumi.secret(apiKey),
      "orders:signingKey": pulumi.secret("signing-key-pem"),
      "orders:registry": pulumi.secret('{"auths":{}}'),
    });
  });

type Obj = Record<string, unknown>;
const podSpecOf = (deployment: Obj) => ((deployment["spec"] as Obj)["template"] as Obj)["spec"] as Obj;
const podAnnotations = (deployment: Obj) => ((((deployment["spec"] as Obj)["template"] as Obj)["metadata"] as Obj)["annotations"] ?? {}) as Record<string, string>;

describe("issue #20: app secrets from config, existing Secrets and External Secrets", function () {
  this.timeout(60_000);

  it("a config: source is a key of the app's env Secret, read through secretKeyRef, never in the Deployment", async () => {
    const all = await render("first-api-key");
    expect(secretValue(renderedOne(all, "core/v1:Secret", "api-env"), "API_KEY")).to.equal("first-api-key");
    const deployment = renderedOne(all, "apps/v1:Deployment", "api-deployment");
    const container = (podSpecOf(deployment)["containers"] as Obj[])[0] as Obj;
    expect(container["env"]).to.deep.include({ name: "API_KEY", valueFrom: { secretKeyRef: { name: "api-env", key: "API_KEY" } } });
    expect(JSON.stringify(deployment)).to.not.contain("first-api-key");
  });

  it("a changed config: secret changes the pod template's digest, so the pods roll", async () => {
    const digest = async (value: string) => podAnnotations(renderedOne(await render(value), "apps/v1:Deployment", "api-deployment"))[ENV_SECRET_DIGEST_ANNOTATION];
    const before = await digest("first-api-key");
    expect(before).to.match(/^[0-9a-f]{16}$/);
    expect(await digest("second-api-key")).to.not.equal(before);
    expect(await digest("first-api-key")).to.equal(before);
  });

  it("a secret: source is read from the named Secret as it is", async () => {
    const container = (podSpecOf(renderedOne(await render("k"), "apps/v1:Deployment", "api-deployment"))["containers"] as Obj[])[0] as Obj;
    expect(container["env"]).to.deep.include({ name: "LEGACY_TOKEN", valueFrom: { secretKeyRef: { name: "legacy-creds", key: "token" } } });
  });

  it("external: sources are one ExternalSecret on the store's ClusterSecretStore, valid against the CRD, and Reloader rolls on its Secret", async () => {
    const all = await render("k");
    const external = renderedOne(all, "external-secrets.io/v1:ExternalSecret", "api-external-external-secret") as Obj;
    expect(external["spec"]).to.deep.equal({
      refreshInterval: "15m",
      secretStoreRef: { kind: "ClusterSecretStore", name: "vault" },
      target: { name: "api-external", creationPolicy: "Owner" },
      data: [
        { secretKey: "SMTP_PASSWORD", remoteRef: { key: "emis/smtp", property: "password" } },
        { secretKey: "file_etc_api_tls_key.pem", remoteRef: { key: "emis/api-tls", property: "key" } },
      ],
    });
    expect(customResourceFindings("ExternalSecret apps/api-external", external, "external-secrets.io", "v1", "ExternalSecret", loadCrds(CHARTS))).to.deep.equal([]);
    const deployment = renderedOne(all, "apps/v1:Deployment", "api-deployment");
    // Reloader also watches the Secret the secret: source names (not the pull secrets: read at image pull only).
    expect((deployment["metadata"] as Obj)["annotations"]).to.deep.equal({ [RELOAD]: "api-external,legacy-creds" });
    const container = (podSpecOf(deployment)["containers"] as Obj[])[0] as Obj;
    expect(container["env"]).to.deep.include({ name: "SMTP_PASSWORD", valueFrom: { secretKeyRef: { name: "api-external", key: "SMTP_PASSWORD" } } });
  });

  it("without secret stores the platform runs no Reloader, and the Deployment carries no reload annotation", async () => {
    const legacyOnly = AppsConfig.parse({
      services: { api: { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 }, secretEnv: { LEGACY_TOKEN: { secret: "legacy-creds/token" } } } },
    });
    const deployment = renderedOne(await render("k", { secretStores: {} }, legacyOnly), "apps/v1:Deployment", "api-deployment");
    expect((deployment["metadata"] as Obj)["annotations"] ?? {}).to.not.have.property(RELOAD);
  });

  it("secret files are one read-only projected volume per directory, mode 0400, in the app and its migration", async () => {
    const deployment = renderedOne(await render("k"), "apps/v1:Deployment", "api-deployment");
    const pod = podSpecOf(deployment);
    expect((pod["volumes"] as Obj[]).find((v) => v["name"] === "secret-files-0")).to.deep.equal({
      name: "secret-files-0",
      projected: {
        sources: [
          { secret: { name: "api-env", items: [{ key: "file_etc_api_tls_signing.pem", path: "signing.pem", mode: 0o400 }] } },
          { secret: { name: "api-external", items: [{ key: "file_etc_api_tls_key.pem", path: "key.pem", mode: 0o400 }] } },
        ],
      },
    });
    const mount = { name: "secret-files-0", mountPath: "/etc/api/tls", readOnly: true };
    expect(((pod["containers"] as Obj[])[0] as Obj)["volumeMounts"]).to.deep.include(mount);
    expect(((pod["initContainers"] as Obj[])[0] as Obj)["volumeMounts"]).to.deep.include(mount);
    expect(await validateKubernetesObject({ apiVersion: "apps/v1", kind: "Deployment", ...deployment })).to.deep.equal([]);
  });

  it("image pull secrets: the named Secret, an ExternalSecret templated as a dockerconfigjson Secret, a dockerconfigjson Secret from config", async () => {
    const all = await render("k");
    expect(podSpecOf(renderedOne(all, "apps/v1:Deployment", "api-deployment"))["imagePullSecrets"]).to.deep.equal([{ name: "registry-secret" }, { name: "api-pull-1" }, { name: "api-pull-2" }]);
    const pull = renderedOne(all, "external-secrets.io/v1:ExternalSecret", "api-pull-1-external-secret") as Obj;
    expect((pull["spec"] as Obj)["target"]).to.deep.equal({
      name: "api-pull-1",
      creationPolicy: "Owner",
      template: { type: "kubernetes.io/dockerconfigjson", engineVersion: "v2", data: { ".dockerconfigjson": "{{ .dockerconfigjson }}" } },
    });
    expect(customResourceFindings("ExternalSecret apps/api-pull-1", pull, "external-secrets.io", "v1", "ExternalSecret", loadCrds(CHARTS))).to.deep.equal([]);
    const fromConfig = renderedOne(all, "core/v1:Secret", "api-pull-2");
    expect(fromConfig["type"]).to.equal("kubernetes.io/dockerconfigjson");
    expect(secretValue(fromConfig, ".dockerconfigjson")).to.equal('{"auths":{}}');
  });

  it("an external: source naming a store the platform contract lacks is refused before any resource", async () => {
    let error: unknown;
    await render("k", { secretStores: {} }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.include('strata:apps.services.api.secretEnv.SMTP_PASSWORD: no secret store vault (got "vault/smtp"); use a store declared in strata:platform.secrets.stores');
  });
});
