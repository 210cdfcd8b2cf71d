/**
 * `servicePort`: the Service (and so routes and in-cluster URLs) keeps a port such as 80 while
 * the container listens on an unprivileged one; a clash with the metrics port is a config error.
 */
import { expect } from "chai";
import { AppServiceConfig } from "../../config/apps/service";
import { servicePortProblems } from "../../config/apps/service-port";
import { ConfigError } from "../../config/errors";
import { parseConfig } from "../../config/schema";
import { serviceManifest } from "../../apps/service/service";
import { validRaw } from "../config/valid-config";

const spec = (extra: Record<string, unknown>) =>
  AppServiceConfig.parse({ image: "registry.emis.local/student-service:1.0.0", port: 8080, resources: { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 }, ...extra });

describe("apps servicePort", () => {
  it("exposes servicePort on the Service and forwards it to the named container port", () => {
    const manifest = serviceManifest({ name: "student-service", namespace: "emis-services", spec: spec({ servicePort: 80, metricsPort: 9090 }), labels: {}, selector: { app: "s" } });
    expect(manifest.spec.ports.map((p) => [p.name, p.port, p.targetPort])).to.deep.equal([
      ["http", 80, "http"],
      ["metrics", 9090, "metrics"],
    ]);
  });

  it("defaults the Service port to the container port", () => {
    expect(serviceManifest({ name: "a", namespace: "apps", spec: spec({}), labels: {}, selector: {} }).spec.ports[0]?.port).to.equal(8080);
  });

  it("rejects a servicePort equal to the metrics port with the exact text", () => {
    const raw = { ...validRaw(), apps: { services: { api: { image: "ghcr.io/acme/api:1.4.2", port: 8080, servicePort: 9090, metricsPort: 9090, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 } } } } };
    let problems: readonly string[] = [];
    try {
      parseConfig(raw);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).to.include("strata:apps.services.api.servicePort: must differ from metricsPort (got 9090); the Service exposes both, so give HTTP another port such as 80");
    expect(servicePortProblems("k", { servicePort: 80, metricsPort: 9090 })).to.deep.equal([]);
  });
});
