/**
 * Bootstrap robustness (issue 8, item 4): apt waits for the lock and retries, every install, init
 * and join is retried with backoff and logs each attempt, and a failed init keeps the staged CAs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { userData } from "../../../infra/vsphere/cloud-init";
import { kubeadmInitScript, kubeadmJoinScript, loadBalancerScript, nodePrepScript, retryFunction } from "../../../infra/vsphere/scripts";

const ENDPOINT = { host: "api.example", vip: "10.0.0.10", port: 6443 };
const PINS = { channel: "v1.35", kubernetes: "1.35.3-1.1", containerd: "1.7.*", pauseImage: "registry.k8s.io/pause:3.10.1" };

/** Runs `retry` in bash with `sleep` stood in, on a command that fails `failures` times. */
function runRetry(failures: number): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "strata-retry-"));
  try {
    writeFileSync(join(dir, "sleep"), "#!/bin/sh\necho \"slept $1\" >> \"$(dirname \"$0\")/sleeps\"\n");
    chmodSync(join(dir, "sleep"), 0o755);
    const flaky = ["flaky() {", `  n=$(cat "${dir}/n" 2>/dev/null || echo 0)`, `  echo $((n + 1)) > "${dir}/n"`, `  [ "$n" -ge ${failures} ]`, "}"];
    const script = [...retryFunction(), ...flaky, 'retry "installing things" flaky', `cat "${dir}/sleeps" 2>/dev/null || true`].join("\n");
    const result = spawnSync("bash", ["-euo", "pipefail", "-c", script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}` }, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("vSphere bootstrap robustness", () => {
  it("retries with exponential backoff and says so on each attempt", () => {
    const ok = runRetry(2);
    expect(ok.status).to.equal(0);
    expect(ok.stderr).to.equal(
      "strata: installing things failed (attempt 1 of 6); retrying in 5s\nstrata: installing things failed (attempt 2 of 6); retrying in 10s\n",
    );
    expect(ok.stdout).to.equal("strata: installing things\nstrata: installing things: done\nslept 5\nslept 10\n");
  });

  it("gives up after a bounded number of attempts with a clear line", () => {
    const failed = runRetry(99);
    expect(failed.status).to.equal(1);
    const lines = failed.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).to.equal("strata: installing things failed 6 times; giving up");
    expect(lines.slice(0, -1).map((line) => /retrying in (\d+)s/.exec(line)?.[1])).to.deep.equal(["5", "10", "20", "40", "80"]);
  });

  it("waits for apt's lock and retries downloads in cloud-init's installs and in every script", () => {
    const doc = parse(userData({ hostname: "n", adminUser: "a", sshAuthorizedKeys: [], files: [], commands: ["/bin/true"] }).replace(/^#cloud-config\n/, "")) as { apt: { conf: string } };
    expect(doc.apt.conf).to.equal('DPkg::Lock::Timeout "600";\nAcquire::Retries "5";\n');
    const apt = "apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5";
    const prep = nodePrepScript(PINS);
    expect(prep).to.include(`retry "apt-get update" ${apt} update`).and.include(`retry "installing containerd \${CONTAINERD_VERSION} and Kubernetes \${K8S_PACKAGE}" ${apt} install -y`);
    expect(prep).to.include('retry "fetching the Kubernetes package key for ${K8S_CHANNEL}" fetch_key');
    expect(prep.split("\n").filter((line) => /^apt-get /.test(line))).to.deep.equal([]);
    expect(loadBalancerScript({ haproxy: "2.8.*", keepalived: "1:2.2.*" }, "10.0.0.5")).to.include(`retry "installing haproxy and keepalived" ${apt} install -y`);
  });

  it("stops node prep when containerd's config lacks the 1.7 keys it sets (containerd 2.x moved them)", () => {
    const prep = nodePrepScript(PINS);
    const check = prep.indexOf("if ! grep -q 'SystemdCgroup = true' /etc/containerd/config.toml");
    expect(check).to.be.greaterThan(prep.indexOf("> /etc/containerd/config.toml"));
    expect(check).to.be.lessThan(prep.indexOf("systemctl restart containerd"));
    expect(prep.slice(check)).to.include("this node prep supports containerd 1.7 only\" >&2\n  exit 1");
  });

  it("retries kubeadm init and join, restoring the staged CAs that kubeadm reset deletes", () => {
    const init = kubeadmInitScript(ENDPOINT, false, "10.0.0.11", ["10.0.0.12"]);
    expect(init).to.include("cp -a /etc/kubernetes/pki/. /etc/strata/pki-staged/\ninit_attempt() {");
    expect(init).to.include("  kubeadm reset --force --cri-socket unix:///var/run/containerd/containerd.sock\n  cp -a /etc/strata/pki-staged/. /etc/kubernetes/pki/\n  return 1");
    expect(init).to.include('retry "kubeadm init" init_attempt\nrm -rf /etc/strata/pki-staged');
    expect(kubeadmJoinScript(ENDPOINT, false, false, "10.0.0.21")).to.include('retry "kubeadm join" join_attempt');
  });
});
