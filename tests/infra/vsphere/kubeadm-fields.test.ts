/**
 * Every kubeadm and kubelet document a node boots with uses only fields the upstream Go types
 * have, in their shape (v1beta4 name/value argument lists, `timeouts`, Go durations). A misspelt
 * or removed field is otherwise silently dropped by kubeadm's lenient decoding, or fails the boot.
 */
import { expect } from "chai";
import { parseAllDocuments } from "yaml";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { cloudConfig } from "./docs";
import { FAKE_MATERIAL, parsedInfra } from "./fixtures";
import { documentProblems, type UpstreamKind, UPSTREAM, UPSTREAM_GROUPS } from "./kubeadm-upstream";

const FAKE = FAKE_MATERIAL;

interface RenderedDoc {
  /** `<vm>:<file path>#<index>`. */
  readonly where: string;
  readonly doc: Record<string, unknown>;
}

const groupOf = (apiVersion: unknown): string => String(apiVersion).split("/")[0] ?? "";

/** Every document in an upstream group, from every file every node of the example writes. */
function renderedDocuments(example: "vsphere-prod.yaml" | "vsphere-dev.yaml"): RenderedDoc[] {
  const infra = parsedInfra(example);
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  return nodes.flatMap((node) =>
    cloudConfig(nodeDocuments(node, plan, FAKE).userData)
      .write_files.filter((file) => /^apiVersion:/m.test(file.content))
      .flatMap((file) =>
        parseAllDocuments(file.content)
          .map((doc) => doc.toJS() as unknown)
          .map((doc, i) => ({ where: `${node.name}:${file.path}#${i}`, doc: doc as Record<string, unknown> }))
          .filter(({ doc }) => typeof doc === "object" && doc !== null && UPSTREAM_GROUPS.includes(groupOf(doc["apiVersion"]))),
      ),
  );
}

for (const example of ["vsphere-prod.yaml", "vsphere-dev.yaml"] as const) {
  describe(`kubeadm and kubelet documents against the upstream types (${example})`, () => {
    const docs = renderedDocuments(example);

    it("renders every kind the allow-list covers, so the check is not vacuous", () => {
      const kinds = new Set(docs.map(({ doc }) => String(doc["kind"])));
      expect([...kinds].sort()).to.deep.equal((Object.keys(UPSTREAM) as UpstreamKind[]).sort());
    });

    it("uses only upstream field names and shapes in every document", () => {
      expect(docs.flatMap(({ doc, where }) => documentProblems(doc, where))).to.deep.equal([]);
    });
  });
}

describe("the upstream field check", () => {
  const [join] = renderedDocuments("vsphere-prod.yaml").filter(({ doc }) => doc["kind"] === "JoinConfiguration");
  const mutated = (change: (doc: Record<string, unknown>) => void): string[] => {
    const doc = structuredClone(join!.doc);
    change(doc);
    return documentProblems(doc, "node");
  };

  it("reports a misspelt field with its path", () => {
    expect(mutated((doc) => ((doc["timeouts"] as Record<string, unknown>)["discovry"] = "5m0s"))).to.deep.equal([
      "node JoinConfiguration.timeouts.discovry: not an upstream field",
    ]);
  });

  it("reports v1beta3 shapes: extra arguments as a map, a timeout outside `timeouts`", () => {
    expect(
      mutated((doc) => {
        (doc["nodeRegistration"] as Record<string, unknown>)["kubeletExtraArgs"] = { "cloud-provider": "external" };
        (doc["discovery"] as Record<string, unknown>)["timeout"] = "5m0s";
      }),
    ).to.deep.equal([
      "node JoinConfiguration.discovery.timeout: not an upstream field",
      'node JoinConfiguration.nodeRegistration.kubeletExtraArgs: upstream has a list here (got {"cloud-provider":"external"})',
    ]);
  });

  it("reports a duration Go cannot parse and a wrong apiVersion", () => {
    expect(mutated((doc) => ((doc["timeouts"] as Record<string, unknown>)["tlsBootstrap"] = "10 minutes"))).to.deep.equal([
      'node JoinConfiguration.timeouts.tlsBootstrap: not a Go duration (got "10 minutes")',
    ]);
    expect(mutated((doc) => (doc["apiVersion"] = "kubeadm.k8s.io/v1beta3"))).to.deep.equal([
      "node: JoinConfiguration must be kubeadm.k8s.io/v1beta4 (got kubeadm.k8s.io/v1beta3)",
    ]);
  });
});
