import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlannedResource } from "../../tools/engine/plan-document";
import { APP_VERSION_MARK, stackImages } from "../../tools/images/stack-images";

function resource(type: string, name: string, inputs: Record<string, unknown>): PlannedResource {
  return { urn: `urn:pulumi:s::strata::${type}::${name}`, type, inputs } as unknown as PlannedResource;
}

function charts(): string {
  const dir = mkdtempSync(join(tmpdir(), "strata-charts-"));
  mkdirSync(join(dir, "redis-ha"));
  writeFileSync(join(dir, "redis-ha", "Chart.yaml"), "name: redis-ha\nappVersion: 8.8.0\n");
  writeFileSync(
    join(dir, "redis-ha", "values.yaml"),
    "image:\n  repository: public.ecr.aws/docker/library/redis\n  tag: 8.8.0-alpine\nhaproxy:\n  enabled: false\n  image:\n    repository: haproxy\n    tag: '3.3'\nexporter:\n  image: oliver006/redis_exporter:v1.80.0\nsysctlImage:\n  registry: docker.io\n  repository: busybox\n  tag: ''\n",
  );
  return dir;
}

describe("npm run images -- --stack", () => {
  const resources = [
    resource("kubernetes:apps/v1:Deployment", "api-deployment", { spec: { template: { spec: { containers: [{ image: "ghcr.io/acme/api:1.4.2" }], initContainers: [{ image: "ghcr.io/acme/api-migrate:1.4.2" }] } } } }),
    resource("kubernetes:postgresql.cnpg.io/v1:Cluster", "postgres", { spec: { imageName: "ghcr.io/cloudnative-pg/postgresql:17.6" } }),
    resource("kubernetes:helm.sh/v3:Release", "redis-release", { chart: "redis-ha", values: { haproxy: { enabled: true, image: { tag: "3.3.10" } } } }),
    resource("kubernetes:helm.sh/v3:Release", "unknown-release", { chart: "not-in-reference", values: { image: { repository: "example/x", tag: "1" } } }),
  ];

  it("issue #27: lists the apps', the operands' and the charts' images of one stack, each with what pulls it", () => {
    const images = stackImages(resources, charts());
    expect(images.map((i) => i.image)).to.deep.equal([
      "docker.io/busybox:8.8.0 " + APP_VERSION_MARK,
      "example/x:1",
      "ghcr.io/acme/api-migrate:1.4.2",
      "ghcr.io/acme/api:1.4.2",
      "ghcr.io/cloudnative-pg/postgresql:17.6",
      "haproxy:3.3.10",
      "oliver006/redis_exporter:v1.80.0",
      "public.ecr.aws/docker/library/redis:8.8.0-alpine",
    ]);
    expect(images.find((i) => i.image === "ghcr.io/acme/api:1.4.2")?.usedBy).to.deep.equal(["Deployment api-deployment"]);
    expect(images.find((i) => i.image === "haproxy:3.3.10")?.usedBy).to.deep.equal(["chart redis-ha (redis-release)"]);
    expect(images.find((i) => i.image === "example/x:1")?.usedBy[0]).to.match(/no reference values/);
  });

  it("leaves out what a release turns off", () => {
    const off = [resource("kubernetes:helm.sh/v3:Release", "redis-release", { chart: "redis-ha", values: {} })];
    expect(stackImages(off, charts()).map((i) => i.image)).to.not.include.members(["haproxy:3.3"]);
  });
});
