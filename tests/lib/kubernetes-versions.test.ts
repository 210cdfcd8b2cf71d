/** The supported-versions table: refusals on every backend, the pins of each row, version history. */
import { expect } from "chai";
import { isConfigError } from "../../config/errors";
import { parseConfig } from "../../config/schema";
import { BACKENDS, type Backend } from "../../lib/contracts";
import { KUBERNETES_VERSIONS, supportedMinors, versionHistoryProblems } from "../../lib/kubernetes-versions";
import { problemsOf, rawInfra } from "../infra/vsphere/fixtures";

/** Problems of an infra-only stack of the backend at the given version. */
function versionProblems(backend: Backend, kubernetesVersion: string): string[] {
  if (backend === "vsphere") return problemsOf({ ...rawInfra(), kubernetesVersion });
  const infra =
    backend === "eks"
      ? { backend, clusterName: "strata-dev", kubernetesVersion, eks: { endpoint: { privateAccessCidrs: ["10.50.0.0/24"] } } }
      : { backend, clusterName: "strata-dev", kubernetesVersion, existing: { context: "dev" } };
  try {
    parseConfig({ environment: "dev", layers: ["infra"], hasKubeconfig: false, awsRegion: "eu-central-1", infra });
    return [];
  } catch (error) {
    if (isConfigError(error)) return [...error.problems];
    throw error;
  }
}

describe("Kubernetes versions (lib/kubernetes-versions.ts)", () => {
  for (const backend of BACKENDS) {
    it(`issue #22: refuses 1.25 on the ${backend} backend, naming the supported minors`, () => {
      expect(versionProblems(backend, "1.25")).to.deep.equal([
        `strata:infra.kubernetesVersion: is not a Kubernetes minor strata supports on the ${backend} backend; use ${supportedMinors(backend).join(" or ")} (lib/kubernetes-versions.ts lists the pins each needs) (got "1.25")`,
      ]);
    });

    it(`accepts every minor the table lists for ${backend}`, () => {
      for (const minor of supportedMinors(backend)) expect(versionProblems(backend, minor), minor).to.deep.equal([]);
    });
  }

  it("issue #22: the existing backend no longer accepts 1.99", () => {
    expect(versionProblems("existing", "1.99")).to.have.length(1);
    expect(supportedMinors("existing")).to.deep.equal(["1.34", "1.35"]);
  });

  it("takes a minor only on EKS, which picks the patch itself", () => {
    expect(versionProblems("eks", "1.35.2")).to.deep.equal(['strata:infra.kubernetesVersion: must be a minor on EKS, which picks the patch itself; use 1.35 (got "1.35.2")']);
  });

  it("issue #22: pairs each minor with pins of that minor (kube-proxy, node packages, cloud provider)", () => {
    for (const [minor, row] of Object.entries(KUBERNETES_VERSIONS)) {
      if (row.eks !== undefined) expect(row.eks.addons["kube-proxy"], `${minor} kube-proxy`).to.match(new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+-eksbuild\\.\\d+$`));
      if (row.vsphere !== undefined) {
        expect(row.vsphere.packages.channel, `${minor} channel`).to.equal(`v${minor}`);
        expect(row.vsphere.packages.package, `${minor} packages`).to.match(new RegExp(`^${minor.replace(".", "\\.")}\\.\\d+-`));
        expect(row.vsphere.cloudProviderChart.split(".").slice(0, 2).join("."), `${minor} vsphere-cpi`).to.equal(minor);
      }
    }
  });

  describe("version history (the stack's own last update, the upstream stack)", () => {
    const last = (kubernetesVersion: string) => ({ backend: "eks", clusterName: "c", kubernetesVersion });

    it("issue #22: refuses a downgrade against the stack's last update", () => {
      expect(versionHistoryProblems({ configured: "1.34", previousInfra: last("1.35") })).to.deep.equal([
        `strata:infra.kubernetesVersion: would downgrade the cluster from 1.35, which Kubernetes does not support (this stack's last update ran 1.35) (got "1.34"); keep 1.35 or move up one minor`,
      ]);
    });

    it("issue #22: refuses a skipped minor", () => {
      expect(versionHistoryProblems({ configured: "1.36", previousInfra: last("1.34") })).to.deep.equal([
        `strata:infra.kubernetesVersion: would skip minors after 1.34; Kubernetes upgrades one minor at a time (this stack's last update ran 1.34) (got "1.36"); deploy 1.35 first`,
      ]);
    });

    it("accepts the same minor, a new patch, one minor up, and a first update", () => {
      expect(versionHistoryProblems({ configured: "1.35", previousInfra: last("1.35") })).to.deep.equal([]);
      expect(versionHistoryProblems({ configured: "1.35.4", previousInfra: last("1.35.2") })).to.deep.equal([]);
      expect(versionHistoryProblems({ configured: "1.35", previousInfra: last("1.34") })).to.deep.equal([]);
      expect(versionHistoryProblems({ configured: "1.35" })).to.deep.equal([]);
    });

    it("refuses an upstream stack that publishes a version its backend does not support", () => {
      expect(versionHistoryProblems({ upstream: { stack: "legacy", backend: "existing", kubernetesVersion: "1.99" } })).to.deep.equal([
        'strata:upstreamStack: publishes Kubernetes 1.99 on the existing backend, which strata does not support (got "legacy"); move that stack to 1.34 or 1.35 first',
      ]);
      expect(versionHistoryProblems({ upstream: { stack: "eks-prod-infra", backend: "eks", kubernetesVersion: "1.35" } })).to.deep.equal([]);
    });
  });
});
