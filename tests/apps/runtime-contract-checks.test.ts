/**
 * Issue #13: when the platform or infra layer comes from another stack, `buildApps` checks the
 * run-time keys against the contracts it receives (KEDA, Prometheus, the object store, EKS)
 * before declaring anything.
 */
import { expect } from "chai";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import { ConfigError } from "../../config/errors";
import type { ClusterOutputs, InfraOutputs, PlatformOutputs } from "../../lib/contracts";

const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster: ClusterOutputs = {
  provider: {} as k8s.Provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
};
const infra = { backend: "vsphere", clusterName: "emis-prod" } as unknown as InfraOutputs;
const service = (extra: Record<string, unknown>) => ({ image: "ghcr.io/acme/api:1.4.2", port: 8080, metricsPort: 9090, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 }, ...extra });

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
}

const K = "strata:apps.services.api";

describe("apps layer: run-time keys against the contracts it receives", () => {
  it("names custom metrics without KEDA or Prometheus, a missing object store and AWS access off EKS, all at once", () => {
    const config = AppsConfig.parse({
      services: { api: service({ autoscaling: { minReplicas: 2, maxReplicas: 6, requestsPerSecond: 200 }, uses: ["objectStore"], awsAccess: { policyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"] } }) },
    });
    expect(problemsOf(() => buildApps(config, cluster, { endpoints: {}, observability: {}, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" }, infra))).to.deep.equal([
      `${K}.autoscaling.requestsPerSecond: the platform contract has no KEDA (got 200); enable strata:platform.keda.enabled in the platform stack`,
      `${K}.autoscaling.requestsPerSecond: the platform contract has no Prometheus (got 200); configure strata:platform.observability in the platform stack`,
      `${K}.uses[0]: the platform contract has no object store with an objects bucket (got "objectStore"); enable strata:platform.objectStore with an objects bucket in the platform stack`,
      `${K}.awsAccess: needs EKS Pod Identity, but the cluster's backend is vsphere (got awsAccess); use an EKS cluster or remove ${K}.awsAccess`,
    ]);
  });

  it("refuses static keys from an object store that has none (the EKS buckets)", () => {
    const config = AppsConfig.parse({ services: { api: service({ uses: ["objectStore"], connectionEnv: { S3_SECRET: "objectStore.secretKey" } }) } });
    const platform: PlatformOutputs = {
      endpoints: {},
      observability: {},
      secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload",
      objectStore: { endpoint: pulumi.output("https://s3.eu-central-1.amazonaws.com"), region: "eu-central-1", forcePathStyle: false, buckets: { objects: pulumi.output("b") } },
    };
    expect(problemsOf(() => buildApps(config, cluster, platform, infra))).to.deep.equal([
      `${K}.connectionEnv.S3_SECRET: the object store has no static keys (got "objectStore.secretKey"); remove it: the app's ServiceAccount reaches the bucket through EKS Pod Identity`,
      `${K}.awsAccess: needs EKS Pod Identity, but the cluster's backend is vsphere (got the EKS object store); use an EKS cluster or remove ${K}.awsAccess`,
    ]);
  });
});
