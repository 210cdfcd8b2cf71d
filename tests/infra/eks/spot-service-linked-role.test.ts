import { expect } from "chai";
import { join } from "node:path";
import { type StrataConfig } from "../../../config/schema";
import { CREATE_SPOT_ROLE_COMMAND, spotServiceLinkedRoleNote } from "../../../config/cluster/spot-service-linked-role";
import { loadStackConfig } from "../../../tools/engine/stack-config";
import { parseStackConfig } from "../../../tools/plan/capacity";

const REPO = join(__dirname, "..", "..", "..");
const stack = (name: string, file?: string): StrataConfig => parseStackConfig(loadStackConfig(REPO, name, file));

/** `config` with its EKS infra block edited. */
function withEks(config: StrataConfig, edit: (eks: Record<string, unknown>) => Record<string, unknown>): StrataConfig {
  const infra = config.infra;
  if (infra?.backend !== "eks") throw new Error("expected the eks backend");
  return { ...config, infra: { ...infra, eks: edit({ ...infra.eks }) as typeof infra.eks } };
}

describe("Spot service-linked role", () => {
  // Karpenter's troubleshooting guide ("Missing Service Linked Role"): without
  // AWSServiceRoleForEC2Spot, spot launches fail with AuthFailure.ServiceLinkedRoleCreationNotPermitted.
  it("issue #22: dev allows Karpenter spot without creating the role, so the plan warns with the exact command", () => {
    const note = spotServiceLinkedRoleNote(stack("dev"));
    expect(CREATE_SPOT_ROLE_COMMAND).to.equal("aws iam create-service-linked-role --aws-service-name spot.amazonaws.com");
    expect(note).to.be.a("string");
    expect(note).to.include("strata:cluster.eks.karpenter.capacityTypes");
    expect(note).to.include("strata:infra.eks.createSpotServiceLinkedRole is false");
    expect(note).to.include(`\`${CREATE_SPOT_ROLE_COMMAND}\``);
  });

  it("issue #22: says nothing once the stack creates the role, or when nothing launches spot", () => {
    expect(spotServiceLinkedRoleNote(withEks(stack("dev"), (eks) => ({ ...eks, createSpotServiceLinkedRole: true })))).to.equal(undefined);
    const onDemand = stack("dev");
    expect(spotServiceLinkedRoleNote({ ...onDemand, cluster: { ...onDemand.cluster, eks: { ...onDemand.cluster.eks, karpenter: { ...onDemand.cluster.eks.karpenter, capacityTypes: ["on-demand"] } } } })).to.equal(undefined);
    expect(spotServiceLinkedRoleNote(stack("eks-prod-infra", "examples/eks-prod-infra.yaml"))).to.equal(undefined);
    expect(spotServiceLinkedRoleNote(stack("eks-prod-cluster", "examples/eks-prod-cluster.yaml"))).to.equal(undefined);
  });

  it("issue #22: names a SPOT node group, and Karpenter only where this stack builds it", () => {
    const spotGroup = withEks(stack("dev"), (eks) => ({ ...eks, enableKarpenter: false, nodeGroups: { ...(eks["nodeGroups"] as object), spare: { role: "worker", instanceTypes: ["m6i.large"], minSize: 0, maxSize: 2, diskGi: 50, capacityType: "SPOT", labels: {}, taints: [] } } }));
    const note = spotServiceLinkedRoleNote(spotGroup) ?? "";
    expect(note).to.include("strata:infra.eks.nodeGroups.spare.capacityType");
    expect(note).to.not.include("karpenter");
  });

  it("issue #22: a cluster stack with Karpenter spot cannot see the infra stack's key and says which key to check", () => {
    const cluster = stack("eks-prod-cluster", "examples/eks-prod-cluster.yaml");
    const note = spotServiceLinkedRoleNote({ ...cluster, cluster: { ...cluster.cluster, eks: { ...cluster.cluster.eks, karpenter: { ...cluster.cluster.eks.karpenter, capacityTypes: ["spot", "on-demand"] } } } });
    expect(note).to.include("this stack cannot see whether the infra stack sets strata:infra.eks.createSpotServiceLinkedRole");
    expect(note).to.include(CREATE_SPOT_ROLE_COMMAND);
  });
});
