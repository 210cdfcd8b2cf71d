/**
 * The capacity check's arithmetic, without the engine: kubelet reservations (EKS figures from
 * awslabs/amazon-eks-ami nodeadm: kube-reserved CPU 6 % / 1 % / 0.5 % / 0.25 % per core range,
 * memory 11 MiB × maxPods + 255 MiB, maxPods = ENIs × (IPs per ENI − 1) + 2, evictionHard
 * memory.available 100Mi), pools at their maximum size, placement of demand, the table and the
 * messages (issue #13, item 4).
 */
import { expect } from "chai";
import { appDemand, maxPods, podRequests } from "../../apps/capacity/app-demand";
import { evaluate } from "../../apps/capacity/check";
import { capacityTable, overflowMessage } from "../../apps/capacity/format";
import { capacityPools } from "../../apps/capacity/pools";
import { eksKubeReservedCpuMillis, eksKubeReservedMemoryMi, eksMaxPods, nodeReservation } from "../../apps/capacity/reservations";
import type { CapacityPool, Demand } from "../../apps/capacity/types";
import { AppServiceConfig } from "../../config/apps/service";
import type { NodePool } from "../../lib/contracts";

const pool = (name: string, role: NodePool["role"], count: number, maxCount: number, cpuCores: number, memoryGi: number, tainted = false): NodePool => ({
  name,
  role,
  count,
  maxCount,
  cpuCores,
  memoryGi,
  labels: {},
  taints: tainted ? [{ key: "node.strata.io/dedicated", value: name, effect: "NoSchedule" }] : [],
  addresses: [],
});

const capacity = (name: string, role: NodePool["role"], maxNodes: number, cpuMillis: number, memoryMi: number, tainted = false): CapacityPool => ({ name, role, tainted, maxNodes, perNode: { cpuMillis, memoryMi } });

const demand = (...workloads: Demand["workloads"]): Demand => ({ workloads, daemonSets: [] });

describe("capacity: kubelet reservations", () => {
  it("EKS kube-reserved CPU follows nodeadm's ranges (2, 4, 8, 16 vCPU → 70, 80, 90, 110 m)", () => {
    expect([1, 2, 4, 8, 16].map(eksKubeReservedCpuMillis)).to.deep.equal([60, 70, 80, 90, 110]);
  });

  it("EKS max pods from ENIs and addresses: t3.medium 17, t3.large 35, m6i.large 29, m6i.xlarge 58, m6i.4xlarge 234; unknown type 110", () => {
    expect(["t3.medium", "t3.large", "m6i.large", "m6i.xlarge", "m6i.4xlarge"].map((t) => eksMaxPods(t as never))).to.deep.equal([17, 35, 29, 58, 234]);
    expect(eksMaxPods(undefined)).to.equal(110);
  });

  it("EKS kube-reserved memory is 11 MiB per pod + 255 MiB; the eviction threshold adds 100 MiB", () => {
    expect(eksKubeReservedMemoryMi(58)).to.equal(893);
    expect(nodeReservation("eks", { cpuCores: 4, instanceType: "m6i.xlarge" })).to.deep.equal({ cpuMillis: 80, memoryMi: 993 });
  });

  it("kubeadm nodes keep only the kubelet's default 100Mi eviction threshold (strata sets no kube/system reservations)", () => {
    expect(nodeReservation("vsphere", { cpuCores: 8 })).to.deep.equal({ cpuMillis: 0, memoryMi: 100 });
  });
});

describe("capacity: pools at their maximum size", () => {
  it("vSphere and existing pools reach maxCount with capacity less reservations per node", () => {
    const [workers] = capacityPools({ backend: "existing", nodePools: [pool("workers", "worker", 2, 5, 8, 32)] });
    expect(workers).to.deep.include({ maxNodes: 5, perNode: { cpuMillis: 8000, memoryMi: 32 * 1024 - 100 } });
  });

  it("EKS node groups stay at their desired size; Karpenter's default limits add the workers' headroom to the first worker pool", () => {
    const pools = capacityPools({
      backend: "eks",
      nodePools: [pool("system", "system", 2, 3, 2, 8), pool("workers", "worker", 6, 20, 4, 16)],
      instanceTypes: { system: ["t3.large"], workers: ["m6i.xlarge"] },
      karpenter: {},
    });
    const perNode = { cpuMillis: 4000 - 80, memoryMi: 16 * 1024 - 993 };
    expect(pools.map((p) => [p.name, p.maxNodes, p.karpenter?.nodes])).to.deep.equal([["system", 2, undefined], ["workers", 6, 14]]);
    expect(pools[1]?.perNode).to.deep.equal(perNode);
    expect(pools[1]?.karpenter?.allocatable).to.deep.equal({ cpuMillis: 14 * perNode.cpuMillis, memoryMi: 14 * perNode.memoryMi });
  });

  it("Karpenter's CPU limit bounds what it adds, scaled by the node's allocatable share", () => {
    const [workers] = capacityPools({ backend: "eks", nodePools: [pool("workers", "worker", 2, 4, 4, 16)], instanceTypes: { workers: ["m6i.xlarge"] }, karpenter: { maxNodes: 10, maxCpuCores: 8 } });
    expect(workers?.karpenter?.allocatable.cpuMillis).to.equal(8000 * (3920 / 4000));
  });
});

describe("capacity: apps at their most", () => {
  const spec = (extra: Record<string, unknown>) =>
    AppServiceConfig.parse({ image: "app:1.0.0", port: 8080, resources: { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 }, ...extra });

  it("counts the HPA maximum, else the fixed replicas", () => {
    expect(maxPods(spec({ autoscaling: { minReplicas: 3, maxReplicas: 10, cpuPercent: 70 } }))).to.equal(10);
    expect(maxPods(spec({ replicas: 4 }))).to.equal(4);
  });

  it("a pod requests the larger of its containers' sum and its largest init container", () => {
    expect(podRequests([{ cpuMillis: 250, memoryMi: 256 }], [{ cpuMillis: 500, memoryMi: 128 }])).to.deep.equal({ cpuMillis: 500, memoryMi: 256 });
    expect(podRequests([{ cpuMillis: 250, memoryMi: 256 }, { cpuMillis: 50, memoryMi: 64 }], [])).to.deep.equal({ cpuMillis: 300, memoryMi: 320 });
  });

  it("places a service on its pool, else its role", () => {
    const d = appDemand({ api: spec({ pool: "application", autoscaling: { minReplicas: 2, maxReplicas: 8, cpuPercent: 70 } }), web: spec({}) });
    expect(d.workloads.map((w) => [w.owner, w.target, w.pods, w.perPod])).to.deep.equal([
      ["app api", { pool: "application" }, 8, { cpuMillis: 250, memoryMi: 256 }],
      ["app web", { role: "worker" }, 2, { cpuMillis: 250, memoryMi: 256 }],
    ]);
  });
});

describe("capacity: evaluation", () => {
  it("fits: headroom is allocatable less DaemonSets, platform and apps", () => {
    const pools = [capacity("workers", "worker", 3, 4000, 16000)];
    const platform: Demand = { workloads: [{ owner: "prometheus", target: { role: "system" }, pods: 1, perPod: { cpuMillis: 250, memoryMi: 1024 } }], daemonSets: [{ owner: "alloy", perNode: { cpuMillis: 50, memoryMi: 128 }, runsOn: "untainted" }] };
    const report = evaluate(pools, platform, demand({ owner: "app api", target: { role: "worker" }, pods: 10, perPod: { cpuMillis: 500, memoryMi: 1024 } }));
    expect(report.overflows).to.deep.equal([]);
    expect(report.rows).to.deep.equal([
      { pool: "workers", nodes: "3", allocatable: { cpuMillis: 12000, memoryMi: 48000 }, platform: { cpuMillis: 400, memoryMi: 1408 }, apps: { cpuMillis: 5000, memoryMi: 10240 }, headroom: { cpuMillis: 6600, memoryMi: 36352 }, fits: true },
    ]);
  });

  it("a pool full of pinned pods overflows even when its role has room elsewhere; the role's demand goes to the other pool", () => {
    const pools = [capacity("a", "worker", 2, 2000, 8000), capacity("b", "worker", 2, 2000, 8000)];
    const report = evaluate(pools, demand(), demand(
      { owner: "app pinned", target: { pool: "a" }, pods: 5, perPod: { cpuMillis: 1000, memoryMi: 1000 } },
      { owner: "app free", target: { role: "worker" }, pods: 2, perPod: { cpuMillis: 1000, memoryMi: 1000 } },
    ));
    expect(report.overflows.map((o) => o.pools)).to.deep.equal([["a"]]);
    expect(report.rows.map((r) => [r.pool, r.apps.cpuMillis, r.fits])).to.deep.equal([["a", 5000, false], ["b", 2000, true]]);
  });

  it("role demand shares the room pinned pods leave, so the group fits", () => {
    const pools = [capacity("a", "worker", 2, 2000, 8000), capacity("b", "worker", 2, 2000, 8000)];
    const report = evaluate(pools, demand(), demand(
      { owner: "app pinned", target: { pool: "a" }, pods: 3, perPod: { cpuMillis: 1000, memoryMi: 1000 } },
      { owner: "app free", target: { role: "worker" }, pods: 5, perPod: { cpuMillis: 1000, memoryMi: 1000 } },
    ));
    expect(report.overflows).to.deep.equal([]);
    expect(report.rows.map((r) => [r.pool, r.apps.cpuMillis, r.headroom.cpuMillis])).to.deep.equal([["a", 4000, 0], ["b", 4000, 0]]);
  });

  it("a role no pool has goes to the untainted pools; a pool nobody has is reported, not guessed", () => {
    const pools = [capacity("workers", "worker", 1, 4000, 8000), capacity("db", "database", 1, 4000, 8000, true)];
    const report = evaluate(pools, demand({ owner: "grafana", target: { role: "system" }, pods: 1, perPod: { cpuMillis: 100, memoryMi: 256 } }), demand({ owner: "app x", target: { pool: "gone" }, pods: 1, perPod: { cpuMillis: 1, memoryMi: 1 } }));
    expect(report.rows.map((r) => [r.pool, r.platform.cpuMillis])).to.deep.equal([["workers", 100], ["db", 0]]);
    expect(report.unplaced).to.deep.equal([{ owner: "app x", target: "pool gone" }]);
  });

  it("prints one table row per pool and the overflow message with the numbers", () => {
    const pools = [{ ...capacity("workers", "worker", 2, 4000, 16284), sizeKey: "strata:infra.vsphere.nodePools.workers.count" }];
    const report = evaluate(pools, demand({ owner: "loki", target: { role: "system" }, pods: 1, perPod: { cpuMillis: 250, memoryMi: 512 } }), demand({ owner: "app api", target: { role: "worker" }, pods: 20, perPod: { cpuMillis: 500, memoryMi: 1024 } }));
    expect(capacityTable(report, "fail", ["a note"])).to.equal(
      [
        "Capacity at maximum size and HPA maximum (strata:apps.capacityCheck: fail)",
        "pool     max nodes  allocatable         platform           apps                 headroom             verdict",
        "workers  2          8.00 CPU / 31.8 Gi  0.25 CPU / 0.5 Gi  10.00 CPU / 20.0 Gi  -2.25 CPU / 11.3 Gi  OVER",
        "  note: a note",
      ].join("\n"),
    );
    expect(report.overflows.map(overflowMessage)).to.deep.equal([
      "strata:apps.capacityCheck: pool workers (2 nodes at most) cannot hold the requests at HPA maximum (got 10.25 CPU / 20.5 Gi requested of 8.00 CPU / 31.8 Gi allocatable; platform 0.25 CPU / 0.5 Gi, apps 10.00 CPU / 20.0 Gi); add nodes (strata:infra.vsphere.nodePools.workers.count), lower autoscaling.maxReplicas or requests, or set strata:apps.capacityCheck to warn",
    ]);
  });
});
