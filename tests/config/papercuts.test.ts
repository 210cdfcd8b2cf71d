import { expect } from "chai";
import { AppServiceConfig } from "../../config/apps/service";
import { imagePinProblem } from "../../config/apps/image-pin";
import { urlHostHint } from "../../config/apps/route-host";
import { formatIssues } from "../../config/errors";

const K = "strata:apps.services.api";
const BASE = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 } };

function problems(spec: Record<string, unknown>): string[] {
  const result = AppServiceConfig.safeParse(spec);
  return result.success ? [] : formatIssues(K, spec, result.error.issues);
}

describe("config papercuts", () => {
  it("issue #27: a URL written as route.host says to keep the host and put the path in route.paths", () => {
    expect(problems({ ...BASE, route: { host: "https://api.example.com/orders" } })).to.deep.equal([
      `${K}.route.host: must be a host name only, without a scheme or a path; write api.example.com here and put /orders in route.paths (the Gateway serves HTTPS on 443 itself) (got "https://api.example.com/orders")`,
    ]);
    expect(urlHostHint("api.example.com:8443")).to.match(/without a port; write api\.example\.com here \(/);
    expect(urlHostHint("Api_Example")).to.equal(undefined);
    expect(problems({ ...BASE, route: { host: "Api_Example" } })).to.deep.equal([`${K}.route.host: must be a DNS name of lower-case labels separated by '.' (got "Api_Example")`]);
  });

  it("issue #27: a digest must be sha256: and 64 hex characters (@sha256:abc is refused)", () => {
    expect(imagePinProblem("ghcr.io/acme/api@sha256:abc")).to.equal('has an invalid digest "sha256:abc": a digest is sha256: followed by 64 lower-case hex characters');
    expect(imagePinProblem(`ghcr.io/acme/api@md5:${"a".repeat(32)}`)).to.match(/invalid digest/);
    expect(imagePinProblem(`ghcr.io/acme/api:1.4.2@sha256:${"0".repeat(64)}`)).to.equal(undefined);
  });

  it("issue #27: resources errors list the keys expected (cpuMillis, memoryMi, …)", () => {
    const { resources: _r, ...withoutResources } = BASE;
    expect(problems(withoutResources)).to.deep.equal([`${K}.resources: is required (got nothing); expected a map of keys: cpuMillis, memoryMi, limitMemoryMi (required); limitCpuMillis`]);
    expect(problems({ ...BASE, resources: "250m" })).to.deep.equal([`${K}.resources: must be a map of keys: cpuMillis, memoryMi, limitMemoryMi (required); limitCpuMillis (got "250m")`]);
    expect(problems({ ...BASE, resources: { cpu: "250m", memory: "256Mi" } })).to.include(
      `${K}.resources.cpu: unknown keys; did you mean memoryMi (for memory)? allowed keys: cpuMillis, limitCpuMillis, limitMemoryMi, memoryMi (got "cpu")`,
    );
  });
});
