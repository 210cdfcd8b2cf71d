import { expect } from "chai";
import { noHostNamespaces, noHostPath, noPrivileged, readOnlyRootFilesystem, runAsNonRoot } from "../../policy/kubernetes/pod-security";
import { namespaceDefaultDeny, pdbForReplicated, selects } from "../../policy/kubernetes/stack-policies";
import { imageProblem, pinnedImages, probesPresent, resourcesSet } from "../../policy/kubernetes/workload-hygiene";
import { check, deployment, resource } from "./fixtures";

describe("policy: Kubernetes workloads", () => {
  const hardened = deployment();

  for (const policy of [noPrivileged, noHostNamespaces, noHostPath, runAsNonRoot, readOnlyRootFilesystem, resourcesSet, pinnedImages, probesPresent]) {
    it(`${policy.name} accepts a hardened Deployment`, async () => {
      expect(await check(policy, [hardened])).to.deep.equal([]);
    });
  }

  it("k8s-no-privileged-containers rejects a privileged init container, naming it and the workload", async () => {
    const bad = deployment((pod) => (pod["initContainers"] = [{ name: "setup", image: "busybox:1.37.0", securityContext: { privileged: true, allowPrivilegeEscalation: false } }]));
    const found = await check(noPrivileged, [bad]);
    expect(found.map((v) => v.message)).to.deep.equal(['Deployment apps/web: init container "setup" is privileged; drop securityContext.privileged']);
    expect(found[0]?.urn).to.equal(bad.urn);
  });

  it("k8s-no-privileged-containers requires allowPrivilegeEscalation: false", async () => {
    const bad = deployment((_pod, c) => (c["securityContext"] = { readOnlyRootFilesystem: true }));
    expect((await check(noPrivileged, [bad])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" must set securityContext.allowPrivilegeEscalation: false']);
  });

  it("k8s-no-host-namespaces rejects hostNetwork and hostPID on any pod template (here a DaemonSet)", async () => {
    const ds = resource("kubernetes:apps/v1:DaemonSet", { metadata: { name: "agent", namespace: "monitoring" }, spec: { template: { spec: { hostNetwork: true, hostPID: true, containers: [] } } } });
    expect((await check(noHostNamespaces, [ds])).map((v) => v.message)).to.deep.equal([
      "DaemonSet monitoring/agent: spec.hostNetwork is true; pods share the node's namespaces only through the allow-list",
      "DaemonSet monitoring/agent: spec.hostPID is true; pods share the node's namespaces only through the allow-list",
    ]);
  });

  it("k8s-no-host-path rejects a hostPath volume in a CronJob but lets the allow-listed CNI agent have one", async () => {
    const cron = resource("kubernetes:batch/v1:CronJob", { metadata: { name: "sweep", namespace: "apps" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [], volumes: [{ name: "logs", hostPath: { path: "/var/log" } }] } } } } } });
    const cni = resource("kubernetes:apps/v1:DaemonSet", { metadata: { name: "calico-node", namespace: "calico-system" }, spec: { template: { spec: { containers: [], volumes: [{ name: "cni-bin", hostPath: { path: "/opt/cni/bin" } }] } } } });
    const found = await check(noHostPath, [cron, cni]);
    expect(found.map((v) => v.urn)).to.deep.equal([cron.urn]);
    expect(found[0]?.message).to.equal('CronJob apps/sweep: volume "logs" is a hostPath; use a PersistentVolumeClaim, emptyDir or projected volume');
  });

  it("k8s-run-as-non-root rejects runAsUser 0 and a container with no non-root setting anywhere", async () => {
    const root = deployment((_pod, c) => (c["securityContext"] = { ...(c["securityContext"] as object), runAsUser: 0 }));
    const unset = deployment((pod, c) => {
      pod["securityContext"] = {};
      c["securityContext"] = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true };
    });
    expect((await check(runAsNonRoot, [root])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" sets runAsUser: 0']);
    expect((await check(runAsNonRoot, [unset])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" must set runAsNonRoot: true (container or pod securityContext) or a non-zero runAsUser']);
  });

  it("k8s-read-only-root-filesystem rejects a writable root filesystem", async () => {
    const bad = deployment((_pod, c) => (c["securityContext"] = { allowPrivilegeEscalation: false, runAsNonRoot: true }));
    expect(await check(readOnlyRootFilesystem, [bad])).to.have.length(1);
  });

  it("k8s-resources-set names each missing request and limit; the CPU limit only when configured", async () => {
    const bad = deployment((_pod, c) => (c["resources"] = { requests: { cpu: "100m" } }));
    expect((await check(resourcesSet, [bad])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" has no resources.requests.memory, resources.limits.memory']);
    expect((await check(resourcesSet, [hardened], { "k8s-resources-set": { requireCpuLimit: true } })).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" has no resources.limits.cpu']);
  });

  it("k8s-pinned-images rejects latest and untagged images, accepts tags, digests and registry ports", async () => {
    expect(imageProblem("nginx")).to.equal('image "nginx" has no tag; pin a version or digest');
    expect(imageProblem("registry.local:5000/team/app")).to.equal('image "registry.local:5000/team/app" has no tag; pin a version or digest');
    expect(imageProblem("nginx:latest")).to.equal('image "nginx:latest" uses the floating tag latest; pin a version or digest');
    expect(imageProblem("registry.local:5000/team/app:2.1")).to.equal(undefined);
    expect(imageProblem(`ghcr.io/x/y@sha256:${"a".repeat(64)}`)).to.equal(undefined);
    const bad = deployment((_pod, c) => (c["image"] = "ghcr.io/example/web:latest"));
    expect(await check(pinnedImages, [bad])).to.have.length(1);
  });

  it("k8s-probes-present requires both probes on long-running workloads but not on Jobs", async () => {
    const bad = deployment((_pod, c) => delete c["livenessProbe"]);
    expect((await check(probesPresent, [bad])).map((v) => v.message)).to.deep.equal(['Deployment apps/web: container "web" has no livenessProbe']);
    const job = resource("kubernetes:batch/v1:Job", { metadata: { name: "migrate", namespace: "apps" }, spec: { template: { spec: { containers: [{ name: "m", image: "x:1" }] } } } });
    expect(await check(probesPresent, [job])).to.deep.equal([]);
  });

  describe("k8s-pdb-for-replicated-workloads", () => {
    const pdb = (selector: unknown, namespace = "apps") => resource("kubernetes:policy/v1:PodDisruptionBudget", { metadata: { name: "web", namespace }, spec: { minAvailable: 1, selector } });

    it("accepts a single replica without a PDB and a replicated workload with a matching PDB", async () => {
      expect(await check(pdbForReplicated, [deployment()])).to.deep.equal([]);
      expect(await check(pdbForReplicated, [deployment(undefined, { replicas: 3 }), pdb({ matchLabels: { app: "web" } })])).to.deep.equal([]);
    });

    it("rejects three replicas whose only PDB is in another namespace or selects other pods", async () => {
      const web = deployment(undefined, { replicas: 3 });
      const found = await check(pdbForReplicated, [web, pdb({ matchLabels: { app: "web" } }, "other"), pdb({ matchLabels: { app: "api" } })]);
      expect(found.map((v) => [v.urn, v.message])).to.deep.equal([[web.urn, "Deployment apps/web runs up to 3 replicas but no PodDisruptionBudget in apps selects its pods"]]);
    });

    it("counts an HPA's maxReplicas for a workload declared with one replica", async () => {
      const hpa = resource("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { metadata: { name: "web", namespace: "apps" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 5 } });
      expect((await check(pdbForReplicated, [deployment(), hpa])).map((v) => v.message)).to.deep.equal(["Deployment apps/web runs up to 5 replicas but no PodDisruptionBudget in apps selects its pods"]);
    });

    it("matches selectors with matchExpressions", () => {
      expect(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }, { tier: "web" })).to.equal(true);
      expect(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, { tier: "web" })).to.equal(false);
      expect(selects({ matchLabels: { app: "web" }, matchExpressions: [{ key: "canary", operator: "DoesNotExist" }] }, { app: "web", canary: "yes" })).to.equal(false);
    });
  });

  describe("k8s-namespace-default-deny", () => {
    const ns = (name: string, managedBy = "strata") => resource("kubernetes:core/v1:Namespace", { metadata: { name, labels: { "app.kubernetes.io/managed-by": managedBy } } }, { name });
    const deny = (namespace: string, policyTypes: string[]) => resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "default-deny", namespace }, spec: { podSelector: {}, policyTypes, ingress: [], egress: [] } });

    it("accepts an owned namespace with a default-deny for both directions, ignores foreign and allow-listed namespaces", async () => {
      expect(await check(namespaceDefaultDeny, [ns("apps"), deny("apps", ["Ingress", "Egress"]), ns("team-x", "helm"), ns("tigera-operator")])).to.deep.equal([]);
    });

    it("rejects an owned namespace whose only policy denies ingress", async () => {
      const apps = ns("apps");
      const found = await check(namespaceDefaultDeny, [apps, deny("apps", ["Ingress"]), deny("other", ["Egress"])]);
      expect(found.map((v) => [v.urn, v.message])).to.deep.equal([[apps.urn, "namespace apps has no default-deny NetworkPolicy for Egress (podSelector {} with policyTypes [Egress] and no rules)"]]);
    });

    it("does not count a policy that selects only some pods or allows traffic", async () => {
      const partial = resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "x", namespace: "apps" }, spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress", "Egress"] } });
      const allowing = resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "y", namespace: "apps" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] } });
      expect(await check(namespaceDefaultDeny, [ns("apps"), partial, allowing])).to.have.length(1);
    });
  });
});
