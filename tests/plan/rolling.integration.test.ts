/**
 * Issue #20: on every stack, each workload strata renders that reads a Secret or ConfigMap strata
 * renders carries a digest of it on its pod template, so rotating it rolls the pods.
 */
import { expect } from "chai";
import type { PlannedResource } from "../../tools/engine/plan-document";
import { toPlanDocument } from "../../tools/engine/run";
import { chartRollFindings, formatUnrolled, unrolledWorkloads } from "../../tools/plan/rolling";
import { planStack } from "../harness";

const STACKS = [
  { stack: "prod" },
  { stack: "dev" },
  { stack: "valueverse", configFile: "examples/valueverse.yaml" },
  { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" },
  { stack: "tartware", configFile: "examples/tartware/Pulumi.tartware.yaml" },
  { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" },
];

describe("plan: every strata-rendered workload rolls when its rendered Secrets and ConfigMaps change", () => {
  for (const options of STACKS) {
    it(`${options.stack}: no workload reads a rendered Secret or ConfigMap without a digest`, async () => {
      const plan = toPlanDocument(await planStack(options));
      expect(unrolledWorkloads(plan).map(formatUnrolled)).to.deep.equal([]);
      expect(chartRollFindings(plan)).to.deep.equal([]);
    });
  }

  it("issue #20: without the digests in their values (as on main), the CPI, SeaweedFS, Velero, Tempo and Loki releases would not roll on prod", async () => {
    const plan = toPlanDocument(await planStack({ stack: "prod" }));
    const withoutDigest = (values: unknown, path: readonly string[], annotation: string): unknown => {
      const copy = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
      const annotations = path.reduce<Record<string, unknown>>((v, key) => v[key] as Record<string, unknown>, copy);
      expect(annotations, path.join(".")).to.have.property(annotation);
      delete annotations[annotation];
      return copy;
    };
    const added: Readonly<Record<string, readonly [readonly string[], string]>> = {
      "vsphere-cpi": [["daemonset", "podAnnotations"], "strata.io/config-sha256"],
      seaweedfs: [["s3", "podAnnotations"], "strata.io/config-sha256"],
      velero: [["podAnnotations"], "strata.io/credentials-sha256"],
      tempo: [["podAnnotations"], "strata.io/credentials-sha256"],
      loki: [["singleBinary", "podAnnotations"], "strata.io/credentials-sha256"],
    };
    const asOnMain = {
      ...plan,
      resources: plan.resources.map((r) => {
        const entry = r.type === "kubernetes:helm.sh/v3:Release" ? added[String(r.inputs["chart"]).split("/").pop() ?? ""] : undefined;
        return entry === undefined ? r : { ...r, inputs: { ...r.inputs, values: withoutDigest(r.inputs["values"], ...entry) } };
      }),
    };
    expect(chartRollFindings(asOnMain).map((f) => f.split(" (chart")[0])).to.have.members([
      "release kube-system/vsphere-cpi",
      "release data/seaweedfs",
      "release velero/velero",
      "release monitoring/tempo",
      "release monitoring/loki",
    ]);
  });

  it("issue #20: the bucket copier's digest, under the name main gave it (strata.io/config-checksum), is not one the check accepts", async () => {
    const plan = toPlanDocument(await planStack({ stack: "prod" }));
    const asOnMain = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === "kubernetes:apps/v1:Deployment" && r.name.endsWith("bucket-backup-deployment") ? (JSON.parse(JSON.stringify(r).replace('"strata.io/config-sha256"', '"strata.io/config-checksum"')) as PlannedResource) : r,
      ),
    };
    expect(unrolledWorkloads(asOnMain).map((u) => u.workload)).to.deep.equal(["Deployment data/bucket-backup"]);
  });
});
