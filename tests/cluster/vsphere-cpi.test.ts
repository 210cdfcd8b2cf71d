/**
 * The vSphere cloud provider (CPI): its chart values against the upstream chart, the config and
 * credentials it reads, and where it sits in the vSphere plan (before the CNI and the CSI driver).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { parse } from "yaml";
import { cpiConfigDigest, cpiCredentials, cpiVsphereConf, vsphereCpiValues } from "../../cluster/vsphere-cpi/values";
import { CHARTS, KUBERNETES_VERSION } from "../../lib/catalog";
import { chartSource } from "../../lib/helm";
import { placementFor } from "../../lib/placement";
import { clusterConfig, DEV_CLUSTER, eksInfra, PROD_CLUSTER, VSPHERE_POOLS, vsphereInfra } from "./fixtures";
import { runCluster, type Run } from "./mock-run";
import { chartReference } from "./reference";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The published chart's values.yaml in the chart reference data. */
const UPSTREAM_VALUES = parse(readFileSync(join(chartReference(), "vsphere-cpi", "values.yaml"), "utf8")) as Record<string, unknown>;
const UPSTREAM_CHART = parse(readFileSync(join(chartReference(), "vsphere-cpi", "Chart.yaml"), "utf8")) as { version: string };

/**
 * Key paths of `values` the upstream values.yaml lacks; a key whose upstream default is not a
 * non-empty map (`tolerations`, `affinity`, `resources`) is free-form and ends the walk.
 */
function unknownKeys(values: Record<string, unknown>, upstream: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    if (!(key in upstream)) return [`${prefix}${key}`];
    const theirs = upstream[key];
    return isMap(value) && isMap(theirs) && Object.keys(theirs).length > 0 ? unknownKeys(value, theirs, `${prefix}${key}.`) : [];
  });
}

interface CpiConf {
  readonly global: Record<string, unknown>;
  readonly vcenter: Record<string, { server: string; datacenters: string[] }>;
}

describe("vSphere cloud provider: chart values and config", () => {
  const controlPlane = placementFor(VSPHERE_POOLS)("control-plane");
  const values = vsphereCpiValues(controlPlane, "0123456789abcdef");

  it("pins a chart version the Helm repository publishes, and sets only keys it has", () => {
    expect(CHARTS["vsphere-cpi"].version).to.equal(UPSTREAM_CHART.version);
    expect(unknownKeys(values, UPSTREAM_VALUES)).to.deep.equal([]);
    expect(unknownKeys({ daemonset: { imageTag: "x" } }, UPSTREAM_VALUES), "the walk reports a key the chart lacks").to.deep.equal(["daemonset.imageTag"]);
  });

  it("runs the v1.35.1 patch image over the published 1.35.0 chart", () => {
    const upstream = UPSTREAM_VALUES["daemonset"] as { image: string; tag: string };
    expect(upstream.tag).to.equal("v1.35.0");
    expect({ image: values.daemonset.image, tag: values.daemonset.tag }).to.deep.equal({ image: upstream.image, tag: "v1.35.1" });
  });

  it("pins the CPI minor that matches the cluster's Kubernetes minor", () => {
    expect(CHARTS["vsphere-cpi"].version.split(".").slice(0, 2).join(".")).to.equal(KUBERNETES_VERSION);
  });

  it("leaves the chart's own config off, so its DaemonSet mounts strata's `cloud-config` ConfigMap", () => {
    // templates/daemonset.yaml (1.35.0): the volume is `cloud-config` unless config.enabled.
    expect(values.config).to.deep.equal({ enabled: false });
  });

  it("runs on control-plane nodes only, through every taint a node has before the CPI and the CNI", () => {
    const terms = values.daemonset.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms).to.have.length(1);
    expect(terms[0]!.matchExpressions).to.deep.equal([
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists" },
      { key: "strata.io/pool", operator: "In", values: ["cp"] },
      { key: "strata.io/role", operator: "In", values: ["control-plane"] },
    ]);
    expect(values.daemonset.tolerations).to.deep.include.members([
      { key: "node.cloudprovider.kubernetes.io/uninitialized", operator: "Equal", value: "true", effect: "NoSchedule" },
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
      // The pool's own taint (fixtures: strata.io/role=control-plane).
      { key: "strata.io/role", operator: "Equal", value: "control-plane", effect: "NoSchedule" },
    ]);
  });

  it("resolves vCenter through the node, since CoreDNS waits for the CPI to initialise a node", () => {
    expect(values.daemonset.dnsPolicy).to.equal("Default");
  });

  it("writes the YAML vsphere.conf with the insecure flag as configured and no credentials", () => {
    const conf = (insecure: boolean) => parse(cpiVsphereConf({ vcenterServer: "vc.example.internal", datacenter: "dc1", insecure })) as CpiConf;
    expect(conf(false).global).to.deep.equal({ port: 443, insecureFlag: false, secretName: "vsphere-cloud-secret", secretNamespace: "kube-system" });
    expect(conf(true).global["insecureFlag"]).to.equal(true);
    expect(conf(false).vcenter).to.deep.equal({ "vc.example.internal": { server: "vc.example.internal", datacenters: ["dc1"] } });
  });

  it("pins vCenter's certificate by thumbprint when one is configured", () => {
    const conf = parse(cpiVsphereConf({ vcenterServer: "vc.example.internal", datacenter: "dc1", insecure: false, thumbprint: "AB:".repeat(19) + "CD" })) as CpiConf;
    expect(conf.vcenter["vc.example.internal"]).to.deep.equal({ server: "vc.example.internal", datacenters: ["dc1"], thumbprint: "AB:".repeat(19) + "CD" });
    expect(conf.global["insecureFlag"]).to.equal(false);
  });

  it("issue #21: trusts vCenter's CA from the file the chart mounts beside vsphere.conf, and restarts on a new CA", () => {
    const conf = parse(cpiVsphereConf({ vcenterServer: "vc.example.internal", datacenter: "dc1", insecure: false, caFile: true })) as CpiConf;
    expect(conf.vcenter["vc.example.internal"]).to.deep.equal({ server: "vc.example.internal", datacenters: ["dc1"], caFile: "/etc/cloud/vcenter-ca.pem" });
    expect(cpiConfigDigest("conf", "CA-1")).to.not.equal(cpiConfigDigest("conf", "CA-2"));
    expect(cpiConfigDigest("conf")).to.not.equal(cpiConfigDigest("conf", "CA-1"));
  });

  it("keys the credentials by vCenter server, as the CPI's credential manager reads them", () => {
    expect(cpiCredentials("vc.example.internal", "cpi@vsphere.local", "pw")).to.deep.equal({
      "vc.example.internal.username": "cpi@vsphere.local",
      "vc.example.internal.password": "pw",
    });
  });
});

describe("vSphere cloud provider: in the cluster plan", () => {
  let prod: Run;
  before(async () => {
    // Plain passwords, so secret marking cannot come from the input and every copy can be traced.
    const infra = vsphereInfra();
    const vsphere = { ...infra.vsphere!, cpi: { username: infra.vsphere!.cpi.username, password: pulumi.output("plain-password") }, csi: { username: infra.vsphere!.csi.username, password: pulumi.output("plain-csi-password") } };
    prod = await runCluster(clusterConfig(PROD_CLUSTER), { ...infra, vsphere });
  });

  it("installs the pinned vsphere-cpi chart in kube-system", () => {
    const release = prod.one(RELEASE, "prod-vsphere-cpi-release");
    expect(release.inputs).to.deep.include({ chart: chartSource("vsphere-cpi").chart, version: CHARTS["vsphere-cpi"].version, namespace: "kube-system", name: "vsphere-cpi" });
    expect(release.inputs).to.deep.nested.include({ "repositoryOpts.repo": "https://kubernetes.github.io/cloud-provider-vsphere" });
    expect(release.dependsOn).to.have.members(["prod-vsphere-cpi-credentials", "prod-vsphere-cpi-config"]);
  });

  it("keeps the vCenter credentials in a secret Secret and the infra layer's vCenter in the config", () => {
    const secret = prod.one("kubernetes:core/v1:Secret", "prod-vsphere-cpi-credentials");
    expect(secret.inputs).to.deep.nested.include({ "metadata.name": "vsphere-cloud-secret", "metadata.namespace": "kube-system" });
    const data = secret.inputs["data"] as Record<string, unknown>;
    expect(data, "data is a secret").to.have.property(SECRET_SIG);
    const decoded = Object.entries(data["value"] as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, "base64").toString()]);
    expect(Object.fromEntries(decoded)).to.deep.equal({ "vcenter.example.internal.username": "svc-k8s-cpi@vsphere.local", "vcenter.example.internal.password": "plain-password" });
    const config = prod.one("kubernetes:core/v1:ConfigMap", "prod-vsphere-cpi-config");
    expect(config.inputs).to.deep.nested.include({ "metadata.name": "cloud-config", "metadata.namespace": "kube-system" });
    const conf = parse((config.inputs["data"] as Record<string, string>)["vsphere.conf"]!) as CpiConf;
    expect(conf.global["insecureFlag"]).to.equal(false);
    expect(conf.vcenter["vcenter.example.internal"]?.datacenters).to.deep.equal(["dc1"]);
    const leaks = prod.resources.filter((r) => r.type !== "kubernetes:core/v1:Secret" && JSON.stringify(r.inputs).includes("plain-password"));
    expect(leaks.map((r) => r.name), "the password only ever sits in Secrets").to.deep.equal([]);
  });

  it("issue #20: the CPI logs in with its own account and the CSI driver with its own, never each other's", () => {
    const cpi = prod.one("kubernetes:core/v1:Secret", "prod-vsphere-cpi-credentials");
    const cpiData = (cpi.inputs["data"] as { value: Record<string, string> }).value;
    const decoded = Object.values(cpiData).map((value) => Buffer.from(value, "base64").toString());
    expect(decoded).to.have.members(["svc-k8s-cpi@vsphere.local", "plain-password"]);
    const csi = prod.one("kubernetes:core/v1:Secret", "prod-vsphere-csi-config");
    const conf = (csi.inputs["stringData"] as { value: Record<string, string> }).value["csi-vsphere.conf"]!;
    expect(conf).to.include('user = "svc-k8s-csi@vsphere.local"').and.include('password = "plain-csi-password"');
    expect(conf).to.not.include('"plain-password"');
  });

  // Issue #9, item 10: tigera-operator and calico-node tolerate the uninitialised taint and need
  // nothing from the CPI, so Calico installs beside it; the CSI controller needs initialised nodes.
  it("installs beside the CNI and before the CSI driver", () => {
    expect(prod.one(RELEASE, "prod-calico-crds").dependsOn).to.not.include("prod-vsphere-cpi");
    expect(prod.one("kubernetes:yaml/v2:ConfigFile", "prod-vsphere-csi-driver").dependsOn).to.include("prod-vsphere-cpi");
  });

  it("is not installed on EKS", async () => {
    const dev = await runCluster(clusterConfig(DEV_CLUSTER), eksInfra());
    expect(dev.byType(RELEASE).map((r) => r.inputs["chart"])).to.not.include("vsphere-cpi");
    expect(dev.resources.filter((r) => r.name.includes("vsphere-cpi"))).to.be.empty;
  });
});
