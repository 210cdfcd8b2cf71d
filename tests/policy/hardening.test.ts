import { expect } from "chai";
import { noAddedCapabilities, noHostPorts, seccompConfined } from "../../policy/kubernetes/pod-security";
import { pdbForReplicated } from "../../policy/kubernetes/stack-policies";
import { hasDigest, imageDigests } from "../../policy/kubernetes/workload-hygiene";
import { STRATA_POLICIES } from "../../policy/policies";
import { failingViolations } from "../../tools/policy/evaluate";
import { check, deployment, resource } from "./fixtures";

describe("policy: capabilities, seccomp, host ports, digests, ScaledObjects", () => {
  const hardened = deployment((pod) => (pod["securityContext"] = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }));

  for (const policy of [noAddedCapabilities, seccompConfined, noHostPorts]) {
    it(`issue #24: ${policy.name} accepts a hardened Deployment`, async () => {
      expect(await check(policy, [hardened])).to.deep.equal([]);
    });
  }

  it("issue #24: k8s-no-added-capabilities refuses NET_ADMIN and SYS_ADMIN but lets NET_BIND_SERVICE (with or without CAP_) through", async () => {
    const bad = deployment((_pod, c) => (c["securityContext"] = { ...(c["securityContext"] as object), capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE", "NET_ADMIN", "CAP_SYS_ADMIN"] } }));
    expect((await check(noAddedCapabilities, [bad])).map((v) => v.message)).to.deep.equal([
      'Deployment apps/web: container "web" adds capabilities NET_ADMIN, CAP_SYS_ADMIN; only NET_BIND_SERVICE may be added (others through the allow-list)',
    ]);
    const bind = deployment((_pod, c) => (c["securityContext"] = { ...(c["securityContext"] as object), capabilities: { drop: ["ALL"], add: ["CAP_NET_BIND_SERVICE"] } }));
    expect(await check(noAddedCapabilities, [bind])).to.deep.equal([]);
  });

  it("issue #24: k8s-seccomp-confined takes the container's profile over the pod's and refuses none or Unconfined", async () => {
    const none = deployment();
    expect((await check(seccompConfined, [none])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" runs with no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault (pod or container)']);
    const overridden = deployment((pod, c) => {
      pod["securityContext"] = { seccompProfile: { type: "RuntimeDefault" } };
      c["securityContext"] = { ...(c["securityContext"] as object), seccompProfile: { type: "Unconfined" } };
    });
    expect((await check(seccompConfined, [overridden])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" runs with seccomp profile "Unconfined"; set securityContext.seccompProfile.type: RuntimeDefault (pod or container)']);
    const localhost = deployment((_pod, c) => (c["securityContext"] = { ...(c["securityContext"] as object), seccompProfile: { type: "Localhost", localhostProfile: "profiles/web.json" } }));
    expect(await check(seccompConfined, [localhost])).to.deep.equal([]);
  });

  it("issue #24: k8s-no-host-ports refuses a hostPort except for the allow-listed MetalLB speaker", async () => {
    const ports = (name: string, namespace: string) =>
      resource("kubernetes:apps/v1:DaemonSet", { metadata: { name, namespace }, spec: { template: { spec: { containers: [{ name: "agent", ports: [{ containerPort: 7472, hostPort: 7472 }, { containerPort: 80 }] }] } } } });
    const agent = ports("agent", "monitoring");
    const found = await check(noHostPorts, [agent, ports("metallb-speaker", "metallb-system")]);
    expect(found.map((v) => [v.urn, v.message])).to.deep.equal([[agent.urn, 'DaemonSet monitoring/agent: container "agent" binds hostPort 7472; expose it through a Service, or only through the allow-list']]);
  });

  it("issue #24: k8s-image-digests reports a tag without digest and accepts tag@digest", async () => {
    const digest = `sha256:${"0".repeat(64)}`;
    expect(hasDigest(`ghcr.io/example/web:1.2.3@${digest}`)).to.equal(true);
    expect(hasDigest("ghcr.io/example/web:1.2.3")).to.equal(false);
    expect((await check(imageDigests, [deployment()])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" image "ghcr.io/example/web:1.2.3" has a tag but no digest; pin it as <image>:<tag>@sha256:<digest>']);
    expect(await check(imageDigests, [deployment((_pod, c) => (c["image"] = `ghcr.io/example/web:1.2.3@${digest}`))])).to.deep.equal([]);
  });

  it("issue #24: a warnOnly advisory finding never fails the run, another advisory one does with --fail-on advisory", async () => {
    const config = { all: "advisory", "k8s-image-digests": { enforcementLevel: "advisory", warnOnly: true } };
    const found = await check(imageDigests, [deployment((_pod, c) => (c["image"] = "nginx"))], config);
    const digestWarning = { policy: "k8s-image-digests", level: "advisory" as const, urn: "u", message: "m" };
    const pinned = { policy: "k8s-pinned-images", level: "advisory" as const, urn: "u", message: "m" };
    expect(found).to.deep.equal([]);
    expect(failingViolations([digestWarning, pinned], STRATA_POLICIES, config, "advisory")).to.deep.equal([pinned]);
    expect(failingViolations([digestWarning, pinned], STRATA_POLICIES, config, "mandatory")).to.deep.equal([]);
  });

  describe("issue #24: k8s-pdb-for-replicated-workloads counts KEDA ScaledObjects", () => {
    const scaledObject = (spec: Record<string, unknown>) => resource("kubernetes:keda.sh/v1alpha1:ScaledObject", { metadata: { name: "web", namespace: "apps" }, spec: { scaleTargetRef: { name: "web" }, triggers: [], ...spec } });

    it("a ScaledObject keeping two or more replicas needs a PDB; its maxReplicaCount (default 100) is reported", async () => {
      expect((await check(pdbForReplicated, [deployment(), scaledObject({ minReplicaCount: 2, maxReplicaCount: 8 })])).map((v) => v.message)).to.deep.equal([
        "Deployment apps/web runs up to 8 replicas but no PodDisruptionBudget in apps selects its pods",
      ]);
      expect((await check(pdbForReplicated, [deployment(), scaledObject({ minReplicaCount: 3 })])).map((v) => v.message)).to.deep.equal([
        "Deployment apps/web runs up to 100 replicas but no PodDisruptionBudget in apps selects its pods",
      ]);
      const pdb = resource("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "web", namespace: "apps" }, spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } } });
      expect(await check(pdbForReplicated, [deployment(), scaledObject({ minReplicaCount: 2, maxReplicaCount: 8 }), pdb])).to.deep.equal([]);
    });

    it("one that may scale to zero or one, targets another kind or sits in another namespace is not counted", async () => {
      expect(await check(pdbForReplicated, [deployment(), scaledObject({ maxReplicaCount: 8 })])).to.deep.equal([]);
      expect(await check(pdbForReplicated, [deployment(), scaledObject({ minReplicaCount: 1, maxReplicaCount: 8 })])).to.deep.equal([]);
      expect(await check(pdbForReplicated, [deployment(), scaledObject({ minReplicaCount: 2, scaleTargetRef: { kind: "StatefulSet", name: "web" } })])).to.deep.equal([]);
      const elsewhere = resource("kubernetes:keda.sh/v1alpha1:ScaledObject", { metadata: { name: "web", namespace: "other" }, spec: { scaleTargetRef: { name: "web" }, minReplicaCount: 2 } });
      expect(await check(pdbForReplicated, [deployment(), elsewhere])).to.deep.equal([]);
    });
  });
});
