/**
 * Issue #26: the cluster contract's mesh travels through the stack reference, so an apps stack
 * planned against a meshed cluster stack writes its apps' AuthorizationPolicies, opens HBONE in
 * their NetworkPolicies and puts a waypoint in front of a service with `resilience`; against an
 * unmeshed one, none of that.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { StackOutputsSnapshot } from "../../tools/engine/mocks";
import { FIXTURES, planStack } from "../harness";

const upstream = JSON.parse(readFileSync(`${FIXTURES}/stacks/upstream-prod.json`, "utf8")) as Record<string, StackOutputsSnapshot>;
const withMesh = (mesh: Record<string, unknown> | undefined): Record<string, StackOutputsSnapshot> => {
  const snapshot = upstream["acme/strata/prod"]!;
  const cluster = snapshot.outputs["cluster"] as Record<string, unknown>;
  return { "acme/strata/prod": { ...snapshot, outputs: { ...snapshot.outputs, cluster: { ...cluster, ...(mesh === undefined ? {} : { mesh }) } } } };
};
const plan = (mesh: Record<string, unknown> | undefined) => planStack({ stack: "apps-only-meshed", configFile: `${FIXTURES}/stacks/apps-only-meshed.yaml`, upstream: withMesh(mesh) });
const kind = (resources: readonly { inputs: Record<string, unknown> }[], k: string) => resources.filter((r) => r.inputs["kind"] === k);
const nameOf = (r: { inputs: Record<string, unknown> }) => (r.inputs["metadata"] as { name?: string }).name;

describe("stack reference: the mesh setting reaches an apps stack", () => {
  it("issue #26: a meshed upstream cluster gives the apps AuthorizationPolicies, HBONE in their NetworkPolicies and a waypoint", async () => {
    const result = await plan({ mtls: "strict", namespaces: ["apps"], gateway: true });
    expect(kind(result.resources, "AuthorizationPolicy").map(nameOf).sort()).to.deep.equal(["api", "api-waypoint", "web"]);
    expect(kind(result.resources, "Gateway").map(nameOf)).to.deep.equal(["waypoint"]);
    const api = kind(result.resources, "NetworkPolicy").find((r) => nameOf(r) === "api");
    expect(JSON.stringify(api?.inputs["spec"])).to.contain('"port":15008');
  });

  it("issue #26: an unmeshed upstream cluster gives none of them", async () => {
    const result = await plan(undefined);
    expect(kind(result.resources, "AuthorizationPolicy")).to.deep.equal([]);
    expect(kind(result.resources, "Gateway")).to.deep.equal([]);
    const api = kind(result.resources, "NetworkPolicy").find((r) => nameOf(r) === "api");
    expect(JSON.stringify(api?.inputs["spec"])).not.to.contain('"port":15008');
  });
});
