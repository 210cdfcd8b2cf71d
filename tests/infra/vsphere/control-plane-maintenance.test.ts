/**
 * issue #21: certificate renewal and etcd snapshots scheduled on the control planes: the systemd
 * units cloud-init writes, the scripts (shellcheck), the config checks, and node-exporter reading
 * the metrics they write.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { nodeTextfileValues } from "../../../platform/observability/node-textfile";
import { cloudConfig, fileIn } from "./docs";
import { FAKE_MATERIAL, parsedInfra, problemsOf, rawInfra } from "./fixtures";

const UNIT_DIR = "/etc/systemd/system";

function shellcheck(script: string): string {
  const check = spawnSync("shellcheck", ["-s", "bash", "-"], { input: script, encoding: "utf8" });
  expect(check.error, "shellcheck is installed").to.equal(undefined);
  return check.stdout + check.stderr;
}

describe("vSphere control planes: certificate renewal and etcd snapshots", () => {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  const docOf = (node: (typeof nodes)[number]) => cloudConfig(nodeDocuments(node, plan, FAKE_MATERIAL).userData);
  const controlPlanes = nodes.filter((n) => n.role === "control-plane");

  it("issue #21: schedules an etcd snapshot on every control plane with the defaults (every 6 hours, 7 days kept)", () => {
    expect(infra.vsphere.etcdSnapshots).to.deep.equal({ schedule: "*-*-* 00/6:00:00", keepLocalDays: 7 });
    for (const node of controlPlanes) {
      const doc = docOf(node);
      expect(fileIn(doc, `${UNIT_DIR}/strata-etcd-snapshot.timer`), node.name).to.include("OnCalendar=*-*-* 00/6:00:00\n").and.include("Persistent=true\n").and.include("WantedBy=timers.target\n");
      expect(fileIn(doc, `${UNIT_DIR}/strata-etcd-snapshot.service`), node.name).to.include("Type=oneshot\nExecStart=/usr/local/sbin/strata-etcd-snapshot.sh\n");
      const script = fileIn(doc, "/usr/local/sbin/strata-etcd-snapshot.sh")!;
      expect(script).to.include('KEEP_DAYS=7\n').and.include('find "$SNAPSHOT_DIR" -maxdepth 1 -name "etcd-*.db" -mtime +"$KEEP_DAYS" -delete');
      expect(script).to.include('crictl exec "$container" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key snapshot save "$staged"');
      expect(script.indexOf("etcdutl snapshot status")).to.be.lessThan(script.indexOf("strata_etcd_snapshot_last_success_timestamp_seconds $(date +%s)"));
    }
  });

  it("issue #21: renews kubeadm's leaf certificates weekly, each control plane on its own weekday", () => {
    const days = controlPlanes.map((node) => /OnCalendar=(\w+) /.exec(fileIn(docOf(node), `${UNIT_DIR}/strata-certs-renew.timer`)!)?.[1]);
    expect(days).to.deep.equal(["Tue", "Wed", "Thu"]);
    const script = fileIn(docOf(controlPlanes[0]!), "/usr/local/sbin/strata-certs-renew.sh")!;
    const renew = script.indexOf("kubeadm certs renew all");
    expect(script.indexOf('if [ "$expiry" -gt "$(( $(date +%s) + RENEW_DAYS * 86400 ))" ]; then')).to.be.within(0, renew);
    expect(script.indexOf('wait_for "etcd cluster healthy before renewal" etcd_healthy')).to.be.within(0, renew);
    // The documented restart: each manifest out of the kubelet's folder until its pod stops, then back.
    expect(script.slice(renew)).to.include(
      'for pod in etcd kube-apiserver kube-controller-manager kube-scheduler; do\n  mv "${MANIFESTS}/${pod}.yaml" "${PARKED}/${pod}.yaml"\n  wait_for "${pod} stopped" stopped "$pod"\n  mv "${PARKED}/${pod}.yaml" "${MANIFESTS}/${pod}.yaml"\n  wait_for "${pod} running" running "$pod"',
    );
    expect(script).to.include("PARKED=/etc/kubernetes/manifests-parked\n");
  });

  it("issue #21: enables the timers after the node has joined, and only on control planes", () => {
    for (const node of controlPlanes) {
      const steps = docOf(node).runcmd[0]!.split(" && ");
      expect(steps.at(-1), node.name).to.equal("/usr/local/sbin/strata-maintenance-timers.sh");
      expect(steps.at(-2), node.name).to.match(/strata-kubeadm-(init|join)\.sh$/);
      expect(fileIn(docOf(node), "/usr/local/sbin/strata-maintenance-timers.sh")).to.include("systemctl enable --now strata-etcd-snapshot.timer strata-certs-renew.timer\n");
    }
    for (const node of nodes.filter((n) => n.role !== "control-plane")) {
      const paths = docOf(node).write_files.map((f) => f.path);
      expect(paths.filter((p) => p.includes("strata-etcd") || p.includes("strata-certs") || p.includes("maintenance")), node.name).to.deep.equal([]);
    }
  });

  it("issue #21: every maintenance script passes shellcheck", () => {
    const doc = docOf(controlPlanes[0]!);
    for (const path of ["/usr/local/sbin/strata-etcd-snapshot.sh", "/usr/local/sbin/strata-certs-renew.sh", "/usr/local/sbin/strata-maintenance-timers.sh"]) {
      expect(shellcheck(fileIn(doc, path)!), path).to.equal("");
    }
  });

  it("takes the schedule and retention from config, and refuses a schedule less often than daily or a bad retention", () => {
    const custom = rawInfra() as { vsphere: Record<string, unknown> };
    custom.vsphere["etcdSnapshots"] = { schedule: "hourly", keepLocalDays: 3 };
    expect(problemsOf(custom)).to.deep.equal([]);
    const weekly = rawInfra() as { vsphere: Record<string, unknown> };
    weekly.vsphere["etcdSnapshots"] = { schedule: "weekly" };
    expect(problemsOf(weekly)[0]).to.match(/^strata:infra\.vsphere\.etcdSnapshots\.schedule: must be a systemd OnCalendar expression of at least daily frequency/);
    const forever = rawInfra() as { vsphere: Record<string, unknown> };
    forever.vsphere["etcdSnapshots"] = { keepLocalDays: 0 };
    expect(problemsOf(forever)[0]).to.match(/^strata:infra\.vsphere\.etcdSnapshots\.keepLocalDays: /);
  });

  it("issue #21: node-exporter reads the timers' textfile metrics, keeping kube-prometheus-stack's own filesystem filters", () => {
    const reference = parse(readFileSync(join(__dirname, "..", "..", "..", "..", "shared", "reference", "charts", "kube-prometheus-stack", "values.yaml"), "utf8")) as {
      "prometheus-node-exporter": { extraArgs: string[] };
    };
    expect(nodeTextfileValues().extraArgs).to.deep.equal([...reference["prometheus-node-exporter"].extraArgs, "--collector.textfile.directory=/host/root/var/lib/node_exporter/textfile_collector"]);
  });
});
