/** The readiness gate proves admin access, not only the anonymous /readyz (issue 8, item 7). */
import { expect } from "chai";
import { type NodeItem, nodesNotUp, pollUntilNodesUp } from "../../../infra/vsphere/node-readiness";
import { ADMIN_PROBE_PATH, type Getter, pollUntilReady } from "../../../infra/vsphere/readiness";

/** A getter answering from per-path scripts; the last answer of a script repeats. */
function scripted(answers: Record<string, (number | string)[]>): { get: Getter; calls: string[] } {
  const calls: string[] = [];
  const get: Getter = (path) => {
    calls.push(path);
    const list = answers[path]!;
    return Promise.resolve(list.length > 1 ? list.shift()! : list[0]!);
  };
  return { get, calls };
}

/** A clock that moves 10 s per pause, so timeouts pass without waiting. */
function fakeTime() {
  let t = 0;
  return { pause: (ms: number) => ((t += ms), Promise.resolve()), now: () => t };
}

describe("vSphere readiness gate", () => {
  it("passes only once the admin credentials can read kube-system", async () => {
    const { get, calls } = scripted({ "/readyz": ["connect ECONNREFUSED", 200], [ADMIN_PROBE_PATH]: [403, 200] });
    const time = fakeTime();
    await pollUntilReady("https://10.0.0.10:6443", 60, get, time.pause, time.now);
    expect(calls).to.deep.equal(["/readyz", "/readyz", ADMIN_PROBE_PATH, "/readyz", ADMIN_PROBE_PATH]);
  });

  it("times out with the admin refusal named", async () => {
    const { get } = scripted({ "/readyz": [200], [ADMIN_PROBE_PATH]: [401] });
    const time = fakeTime();
    let error: Error | undefined;
    await pollUntilReady("https://10.0.0.10:6443", 30, get, time.pause, time.now).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(
      "the Kubernetes API at https://10.0.0.10:6443 was not ready for the admin client after 30s (last answer: /readyz answered 200 but the admin credentials got HTTP 401 on /api/v1/namespaces/kube-system); " +
        "check the control-plane VMs' consoles and /var/log/cloud-init-output.log, then run `pulumi up` again",
    );
  });
});

describe("vSphere readiness gate: every declared node", () => {
  const ready = (name: string, status = "True", message = "kubelet is posting ready status"): NodeItem => ({
    metadata: { name },
    status: { conditions: [{ type: "Ready", status, reason: status === "True" ? "KubeletReady" : "KubeletNotReady", message }] },
  });

  it("issue #21: counts a node without the pod network as up, and names every node that is not", () => {
    const noCni = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";
    expect(nodesNotUp(["cp-1", "w-1", "w-2", "w-3"], [ready("cp-1"), ready("w-1", "False", noCni), ready("w-3", "Unknown", "Kubelet stopped posting node status.")])).to.deep.equal([
      "w-2 (not registered)",
      "w-3 (Ready=Unknown: KubeletNotReady)",
    ]);
  });

  it("issue #21: waits for late nodes, then gives up naming the missing ones", async () => {
    const time = fakeTime();
    const answers: (readonly NodeItem[] | string)[] = ["connect ECONNREFUSED", [ready("cp-1")], [ready("cp-1"), ready("w-1")]];
    await pollUntilNodesUp(["cp-1", "w-1"], 60, () => Promise.resolve(answers.shift()!), time.pause, time.now);
    const late = fakeTime();
    let error: Error | undefined;
    await pollUntilNodesUp(["cp-1", "w-1"], 30, () => Promise.resolve([ready("cp-1")]), late.pause, late.now).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/^1 of 2 declared nodes were not up after 30s: w-1 \(not registered\); check those VMs' consoles/);
  });
});
