/** The readiness gate proves admin access, not only the anonymous /readyz (issue 8, item 7). */
import { expect } from "chai";
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
