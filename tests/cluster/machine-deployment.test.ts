/**
 * issue #21: an autoscaled vSphere pool renders as a machine-controller MachineDeployment with the
 * pool's VM shape and cluster-autoscaler's clusterapi annotations under machine-controller's group.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_SIZE_ANNOTATION, MIN_SIZE_ANNOTATION, machineDeployment } from "../../cluster/machine-controller/machine-deployment";
import { autoscaledPools } from "../../infra/vsphere/autoscaled-pools";
import { parseConfig } from "../../config/schema";
import { rawInfra, VSPHERE_CONNECTION } from "../infra/vsphere/fixtures";

const VCENTER = { server: "vcenter.emis.local", datacenter: "emis-dc1", insecure: false };

function prodWithAutoscaledWorkers() {
  const raw = rawInfra();
  const workers = (raw["vsphere"] as { nodePools: Record<string, Record<string, unknown>> }).nodePools["workers"]!;
  delete workers["addressRange"];
  Object.assign(workers, { count: 0, autoscaling: { min: 6, max: 20 }, taints: [{ key: "strata.io/workload", value: "services", effect: "NoSchedule" }] });
  const config = parseConfig({ environment: "prod", infra: raw, hasKubeconfig: false, vsphere: VSPHERE_CONNECTION });
  if (config.infra?.backend !== "vsphere") throw new Error("not vsphere");
  return config.infra;
}

describe("issue #21: autoscaled pool MachineDeployment", () => {
  const [pool] = autoscaledPools(prodWithAutoscaledWorkers());
  const md = machineDeployment("emis-prod", pool!, VCENTER, "1.35.3");
  const spec = md.spec as { replicas: number; template: { spec: { metadata: { labels: Record<string, string> }; taints: unknown[]; providerSpec: { value: { cloudProviderSpec: Record<string, unknown> } } } } };
  const vm = spec.template.spec.providerSpec.value.cloudProviderSpec;

  it("lists only the autoscaled pool", () => {
    expect(autoscaledPools(prodWithAutoscaledWorkers()).map((p) => p.pool)).to.deep.equal(["workers"]);
  });

  it("starts at min and carries min/max under machine-controller's group (CAPI_GROUP=cluster.k8s.io)", () => {
    expect(spec.replicas).to.equal(6);
    expect(md.metadata.annotations).to.include({ [MIN_SIZE_ANNOTATION]: "6", [MAX_SIZE_ANNOTATION]: "20" });
    expect(MIN_SIZE_ANNOTATION).to.equal("cluster.k8s.io/cluster-api-autoscaler-node-group-min-size");
  });

  it("clones the stack's template into the cluster folder with the pool's size, datastore and port group", () => {
    expect(vm).to.include({ templateVMName: "ubuntu-24.04-cloudimg", folder: "/emis-dc1/vm/emis-prod", datastore: "emis-ssd-01", cluster: "emis-cluster1", cpus: 16, memoryMB: 32768, diskSizeGB: 500, allowInsecure: false });
    expect(vm["networks"]).to.deep.equal(["k8s-nodes"]);
    expect(vm["password"]).to.deep.equal({ secretKeyRef: { namespace: "kube-system", name: "machine-controller-vsphere", key: "password" } });
  });

  it("registers the nodes with strata's pool labels and the pool's taints", () => {
    expect(spec.template.spec.metadata.labels).to.include({ "node.strata.io/pool": "workers", "node.strata.io/role": "worker" });
    expect(spec.template.spec.taints).to.deep.equal([{ key: "strata.io/workload", value: "services", effect: "NoSchedule" }]);
    expect(md.metadata.annotations["capacity.cluster-autoscaler.kubernetes.io/taints"]).to.equal("strata.io/workload=services:NoSchedule");
  });

  it("sets only provider-spec keys machine-controller v1.66.2 knows (strict unmarshal of RawConfig)", () => {
    // sdk/cloudprovider/vsphere/types.go RawConfig json tags at v1.66.2; GetConfig uses jsonutil.StrictUnmarshal.
    const rawConfigKeys = ["templateVMName", "vmNetName", "networks", "username", "password", "vsphereURL", "datacenter", "cluster", "folder", "resourcePool", "datastoreCluster", "datastore", "cpus", "memoryMB", "diskSizeGB", "tags", "allowInsecure", "vmAntiAffinity", "vmGroup"];
    expect(Object.keys(vm).filter((k) => !rawConfigKeys.includes(k))).to.deep.equal([]);
  });

  it("targets the CRD the reference manifest installs", () => {
    const docs = readFileSync(join(__dirname, "..", "..", "..", "shared", "reference", "charts", "machine-controller", "crds", "machine-controller.yaml"), "utf8")
      .split(/^---$/m)
      .map((d) => parse(d) as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string }[] } } | null);
    const crd = docs.find((d) => d?.kind === "CustomResourceDefinition" && d.spec?.names.kind === "MachineDeployment");
    expect(`${crd?.spec?.group}/${crd?.spec?.versions[0]?.name}`).to.equal(md.apiVersion);
  });
});
