/** Pools rolled one member at a time and the health each member must show (issue #21). */
import { expect } from "chai";
import { type PodItem, podsNotReady, pollUntilPodsReady } from "../../../infra/vsphere/node-readiness";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { memberCheck, memberTriggers, predecessors, rollsOneAtATime } from "../../../infra/vsphere/rollout";
import { parsedInfra } from "./fixtures";

const VIP = "https://10.20.0.10:6443";

describe("vSphere rollout: one member at a time", () => {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const chained = (pool: string) => rollsOneAtATime(infra.vsphere.nodePools[pool]!);

  it("issue #21: control plane n waits for control plane n-1; the first waits for nobody", () => {
    const order = predecessors(nodes, chained);
    expect(order.get("emis-prod-control-plane-1")).to.equal(undefined);
    expect(order.get("emis-prod-control-plane-2")).to.equal("emis-prod-control-plane-1");
    expect(order.get("emis-prod-control-plane-3")).to.equal("emis-prod-control-plane-2");
  });

  it("issue #21: a control plane counts as joined once its own API server, which reads only its local etcd member, is Ready", () => {
    const cp = nodes.find((n) => n.name === "emis-prod-control-plane-2")!;
    expect(memberCheck(cp, VIP, 6443)).to.deep.equal({ url: VIP, nodeNames: ["emis-prod-control-plane-2"], readyPods: ["kube-apiserver-emis-prod-control-plane-2"] });
  });

  it("issue #21: rolls control planes, database, storage and load-balancer pools one VM at a time, plain workers in parallel", () => {
    const rolled = Object.entries(infra.vsphere.nodePools).filter(([, pool]) => rollsOneAtATime(pool)).map(([name]) => name).sort();
    expect(rolled).to.deep.equal(["control-plane", "load-balancers", "mongodb", "mysql", "redis", "storage"]);
    expect(rollsOneAtATime({ role: "worker" })).to.equal(false);
    expect(rollsOneAtATime({ role: "system", antiAffinity: false })).to.equal(false);
    // A pool declared as members that must not fail together is rolled like a quorum.
    expect(rollsOneAtATime({ role: "worker", antiAffinity: true })).to.equal(true);
    const order = predecessors(nodes, chained);
    expect(order.get("emis-prod-mysql-2")).to.equal("emis-prod-mysql-1");
    expect(order.get("emis-prod-workers-2")).to.equal(undefined);
  });

  it("issue #21: a member's gate re-runs when its size changes, so the next member waits for it after a resize", () => {
    expect(memberTriggers({ cpus: 8, memoryGi: 32 })).to.deep.equal(["cpus=8", "memoryGi=32"]);
    expect(memberTriggers({ cpus: 16, memoryGi: 32 })).to.not.deep.equal(memberTriggers({ cpus: 8, memoryGi: 32 }));
  });

  it("checks a load balancer through its own HAProxy, not the VIP its peer may hold", () => {
    const lb = nodes.find((n) => n.role === "load-balancer")!;
    expect(memberCheck(lb, VIP, 6443)).to.deep.equal({ url: `https://${lb.address}:6443`, nodeNames: [], readyPods: [] });
  });
});

describe("vSphere readiness gate: control-plane pods", () => {
  const pod = (name: string, ready: string, phase = "Running"): PodItem => ({ metadata: { name }, status: { phase, conditions: [{ type: "Ready", status: ready }] } });

  it("names pods that are missing or not Ready", () => {
    expect(podsNotReady(["kube-apiserver-a", "kube-apiserver-b", "kube-apiserver-c"], [pod("kube-apiserver-a", "True"), pod("kube-apiserver-c", "False")])).to.deep.equal([
      "kube-apiserver-b (no pod yet)",
      "kube-apiserver-c (Running, Ready=False)",
    ]);
  });

  it("waits for the pod, then gives up naming it", async () => {
    let t = 0;
    const pause = (ms: number) => ((t += ms), Promise.resolve());
    const answers: (readonly PodItem[] | string)[] = ["HTTP 503 on kube-system pods", [pod("kube-apiserver-a", "False")], [pod("kube-apiserver-a", "True")]];
    await pollUntilPodsReady(["kube-apiserver-a"], 60, () => Promise.resolve(answers.shift()!), pause, () => t);
    expect(t).to.equal(20_000);
    let error: Error | undefined;
    await pollUntilPodsReady(["kube-apiserver-a"], 30, () => Promise.resolve([pod("kube-apiserver-a", "False")]), pause, () => t).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/^1 of 1 control-plane pods were not Ready after 30s: kube-apiserver-a \(Running, Ready=False\); /);
  });
});
