/**
 * Tartware as `examples/tartware/Pulumi.tartware.yaml` plans it (vSphere): the seed's HPA ranges
 * and scaling rates, priority classes, the services pool sized for the seed's ~600 cores at the
 * HPA maxima, and the wiring to PostgreSQL, Redis and Kafka.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import type { RunResult } from "../../tools/engine/run";
import { REPO_ROOT } from "../../tools/engine/run";
import { planStack } from "../harness";
import { container, DEPLOYMENT, envOf, HPA, input, NETWORK_POLICY, podSpec, quantity } from "./seed-plans";

export const TARTWARE_FILE = `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml`;
const RANGES: Record<string, [number, number]> = {
  "api-gateway": [10, 100],
  "core-service": [8, 80],
  "reservations-service": [8, 70],
  "billing-service": [2, 40],
  "housekeeping-service": [2, 40],
  "notification-service": [2, 40],
};

describe("Tartware on vSphere (examples/tartware)", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack({ stack: "tartware", configFile: TARTWARE_FILE });
  });

  it("scales the API gateway 10–100, core 8–80, reservations 8–70 and the others 2–40", () => {
    for (const [app, [min, max]] of Object.entries(RANGES)) {
      expect([input(plan, HPA, `${app}-autoscaler`, "spec.minReplicas"), input(plan, HPA, `${app}-autoscaler`, "spec.maxReplicas")], app).to.deep.equal([min, max]);
    }
  });

  it("scales up 100 % every 15 s and down 10 % every 60 s", () => {
    for (const app of Object.keys(RANGES)) {
      expect(input(plan, HPA, `${app}-autoscaler`, "spec.behavior"), app).to.deep.equal({
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
      });
    }
  });

  it("runs the request path at apps-high priority and the others at apps-default", () => {
    const priorities = Object.keys(RANGES).map((app) => [app, podSpec(plan, app)["priorityClassName"]]);
    expect(priorities).to.deep.equal([
      ["api-gateway", "apps-high"],
      ["core-service", "apps-high"],
      ["reservations-service", "apps-high"],
      ["billing-service", "apps-default"],
      ["housekeeping-service", "apps-default"],
      ["notification-service", "apps-default"],
    ]);
  });

  it("fits the requests at the HPA maxima (~520 cores, ~1 TiB) into the services pool at its size", () => {
    let cpu = 0;
    let memory = 0;
    for (const app of Object.keys(RANGES)) {
      const requests = (container(plan, app)["resources"] as { requests: { cpu: string; memory: string } }).requests;
      const max = input(plan, HPA, `${app}-autoscaler`, "spec.maxReplicas") as number;
      cpu += quantity(requests.cpu) * max;
      memory += quantity(requests.memory) * max;
      expect(podSpec(plan, app)["nodeSelector"], app).to.include({ "node.strata.io/pool": "services" });
    }
    const pool = (parse(readFileSync(TARTWARE_FILE, "utf8")) as { config: { "strata:infra": { vsphere: { nodePools: Record<string, { count: number; cpus: number; memoryGi: number }> } } } }).config["strata:infra"].vsphere.nodePools["services"];
    expect(cpu / 1000).to.be.within(500, 600);
    expect(cpu / 1000).to.be.below((pool?.count ?? 0) * (pool?.cpus ?? 0) * 0.9);
    expect(memory / 1024).to.be.below((pool?.count ?? 0) * (pool?.memoryGi ?? 0) * 0.9);
  });

  it("wires PostgreSQL, Redis and Kafka and allows egress only to their ports", () => {
    const secretEnv = envOf(plan, "core-service").filter((e) => e.valueFrom !== undefined).map((e) => e.name);
    expect(secretEnv).to.deep.equal(["DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_PASSWORD", "KAFKA_USERNAME", "REDIS_URL"]);
    const egress = input(plan, NETWORK_POLICY, "core-service-network-policy", "spec.egress") as { ports: { port: number }[] }[];
    expect(egress.map((rule) => rule.ports.map((p) => p.port))).to.deep.equal([[53, 53], [5432], [6379], [9093]]);
    expect(input(plan, DEPLOYMENT, "api-gateway-deployment", "spec.replicas"), "the HPA owns the count").to.equal(undefined);
  });
});
