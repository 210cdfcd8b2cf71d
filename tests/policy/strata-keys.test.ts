import { expect } from "chai";
import { readOnlyRootFilesystem } from "../../policy/kubernetes/pod-security";
import { pdbForReplicated } from "../../policy/kubernetes/stack-policies";
import { withStrataKey } from "../../policy/kubernetes/strata-keys";
import { probesPresent, resourcesSet } from "../../policy/kubernetes/workload-hygiene";
import { check, deployment } from "./fixtures";

/** The fixture Deployment with the labels strata puts on an app service's pods. */
function appDeployment(patch: Parameters<typeof deployment>[0], replicas = 1) {
  const resource = deployment(patch, { name: "orders", replicas });
  const template = (resource.inputs["spec"] as { template: { metadata: { labels: Record<string, string> } } }).template;
  template.metadata.labels = { ...template.metadata.labels, "app.kubernetes.io/name": "orders", "app.kubernetes.io/component": "app" };
  return resource;
}

describe("policy messages name the strata key", () => {
  it("issue #27: a missing memory limit on an app names strata:apps.services.<name>.resources.limitMemoryMi", async () => {
    const bad = appDeployment((_pod, c) => (c["resources"] = { requests: { cpu: "100m", memory: "128Mi" } }));
    expect((await check(resourcesSet, [bad])).map((v) => v.message)).to.deep.equal([
      'Deployment apps/orders: container "web" has no resources.limits.memory (strata key: strata:apps.services.orders.resources.limitMemoryMi)',
    ]);
  });

  it("issue #27: probes, read-only root and the PodDisruptionBudget point at their keys too", async () => {
    const noProbes = appDeployment((_pod, c) => {
      delete c["readinessProbe"];
      delete c["livenessProbe"];
    });
    expect((await check(probesPresent, [noProbes]))[0]?.message).to.match(/\(strata key: strata:apps\.services\.orders\.probes\)$/);
    const writable = appDeployment((_pod, c) => (c["securityContext"] = { ...(c["securityContext"] as object), readOnlyRootFilesystem: false }));
    expect((await check(readOnlyRootFilesystem, [writable]))[0]?.message).to.match(/\(strata key: strata:apps\.services\.orders\.security\.readOnlyRootFilesystem\)$/);
    expect((await check(pdbForReplicated, [appDeployment(() => undefined, 3)]))[0]?.message).to.match(/\(strata key: strata:apps\.services\.orders\.minAvailable\)$/);
  });

  it("leaves workloads that are not app services as they were", () => {
    expect(withStrataKey({ podLabels: { "app.kubernetes.io/name": "loki" } }, 'container "loki" has no resources.limits.memory')).to.equal('container "loki" has no resources.limits.memory');
  });
});
