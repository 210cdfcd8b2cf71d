/**
 * The Next.js + Flask + Node.js system as `examples/flask-next-node/Pulumi.flask-next-node.yaml`
 * plans it on an existing cluster: one host, path-based routes to three services, PostgreSQL for
 * the Flask API only.
 */
import { expect } from "chai";
import type { RunResult } from "../../tools/engine/run";
import { at, named, planStack } from "../harness";
import { envOf, HPA, input, NETWORK_POLICY, ROUTE } from "./seed-plans";

export const FLASK_NEXT_NODE = { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" } as const;

describe("Next.js + Flask + Node.js on an existing cluster (examples/flask-next-node)", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack(FLASK_NEXT_NODE);
  });

  it("routes / to the frontend, /api to Flask and /ws to the WebSocket service on one host", () => {
    const routes = ["frontend", "api", "realtime"].map((app) => {
      const spec = named(plan, ROUTE, `${app}-route`).inputs.spec;
      const rule = (at(spec, "rules") as { matches: { path: { value: string } }[]; backendRefs: { name: string; port: number }[] }[])[0];
      return [at(spec, "hostnames"), rule?.matches.map((m) => m.path.value), rule?.backendRefs.map((b) => [b.name, b.port])];
    });
    expect(routes).to.deep.equal([
      [["app.example.test"], ["/"], [["frontend", 3000]]],
      [["app.example.test"], ["/api"], [["api", 8000]]],
      [["app.example.test"], ["/ws"], [["realtime", 4000]]],
    ]);
  });

  it("declares no ServiceMonitor: the stack runs no Prometheus Operator whose CRD it needs", () => {
    expect(plan.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")).to.deep.equal([]);
  });

  it("pins a browser to one frontend pod by cookie and keeps WebSocket streams open on /ws", () => {
    const frontend = (input(plan, ROUTE, "frontend-route", "spec.rules") as Record<string, unknown>[])[0] ?? {};
    expect(frontend["sessionPersistence"]).to.deep.include({ type: "Cookie", sessionName: "frontend-session", absoluteTimeout: "1h" });
    const realtime = (input(plan, ROUTE, "realtime-route", "spec.rules") as Record<string, unknown>[])[0] ?? {};
    expect(realtime["timeouts"], "no request timeout on a WebSocket").to.deep.equal({ request: "0s" });
    expect(input(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", "realtime-traffic", "spec.timeout")).to.deep.equal({ http: { streamIdleTimeout: "1h" } });
  });

  it("autoscales all three and gives only the Flask API the database", () => {
    for (const app of ["frontend", "api", "realtime"]) expect(input(plan, HPA, `${app}-autoscaler`, "spec.minReplicas"), app).to.equal(2);
    expect(envOf(plan, "api").filter((e) => e.valueFrom !== undefined).map((e) => e.name)).to.deep.equal(["DATABASE_URL", "SECRET_KEY"]);
    const egressPorts = (app: string) => (input(plan, NETWORK_POLICY, `${app}-network-policy`, "spec.egress") as { ports: { port: number }[] }[]).flatMap((r) => r.ports.map((p) => p.port));
    expect(egressPorts("api")).to.include(5432);
    expect(egressPorts("realtime")).to.not.include(5432);
    expect(egressPorts("frontend")).to.include(8000);
  });
});
