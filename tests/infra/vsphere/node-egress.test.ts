/**
 * issue #21: nodes behind an HTTP(S) proxy and with registry mirrors: the files cloud-init writes
 * for apt, containerd and the kubelet, the computed NO_PROXY, and the checks on the URLs.
 */
import { spawnSync } from "node:child_process";
import { expect } from "chai";
import type { VsphereInfraConfig } from "../../../config/infra/vsphere";
import { parseConfig } from "../../../config/schema";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { nodePrepScript } from "../../../infra/vsphere/scripts";
import { cloudConfig, fileIn } from "./docs";
import { FAKE_MATERIAL, problemsOf, rawInfra, VSPHERE_CONNECTION, withFixedWorkers } from "./fixtures";

const PROXY = { http: "http://proxy.emis.local:3128", https: "http://proxy.emis.local:3128", noProxy: [".emis.local", "10.30.0.0/16"] };
const MIRRORS = { "docker.io": "https://mirror.emis.local", "registry.k8s.io": "https://harbor.emis.local/v2/k8s-proxy" };

/** The prod infra with `vsphere` keys replaced. */
function prodWith(settings: Record<string, unknown>): Record<string, unknown> {
  // Fixed workers: the prod stack's autoscaled workers have no Pulumi VMs to render documents for.
  const infra = withFixedWorkers(rawInfra()) as { vsphere: Record<string, unknown> };
  Object.assign(infra.vsphere, settings);
  return infra;
}

function parsed(settings: Record<string, unknown>): VsphereInfraConfig {
  const config = parseConfig({ environment: "prod", infra: prodWith(settings), hasKubeconfig: false, vsphere: VSPHERE_CONNECTION });
  if (config.infra?.backend !== "vsphere") throw new Error("not vSphere");
  return config.infra;
}

describe("vSphere nodes: proxy and registry mirrors", () => {
  const infra = parsed({ proxy: PROXY, registryMirrors: MIRRORS });
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes, "vcenter.emis.local");
  const docOf = (role: string) => cloudConfig(nodeDocuments(nodes.find((n) => n.role === role)!, plan, FAKE_MATERIAL).userData);

  it("issue #21: gives containerd and the kubelet the proxy, keeping the cluster's own destinations direct", () => {
    const doc = docOf("worker");
    const env = fileIn(doc, "/etc/strata/proxy.env")!;
    const noProxy = [
      "localhost",
      "127.0.0.1",
      "10.244.0.0/16",
      "10.96.0.0/12",
      "10.20.0.0/23",
      ".svc",
      ".cluster.local",
      infra.vsphere.apiEndpoint.dnsName,
      infra.vsphere.apiEndpoint.vip,
      "vcenter.emis.local",
      ".emis.local",
      "10.30.0.0/16",
    ].join(",");
    expect(env.split("\n")).to.include.members([
      "HTTP_PROXY=http://proxy.emis.local:3128",
      "HTTPS_PROXY=http://proxy.emis.local:3128",
      `NO_PROXY=${noProxy}`,
      "http_proxy=http://proxy.emis.local:3128",
      "https_proxy=http://proxy.emis.local:3128",
      `no_proxy=${noProxy}`,
    ]);
    for (const unit of ["containerd", "kubelet"]) {
      expect(fileIn(doc, `/etc/systemd/system/${unit}.service.d/10-strata-proxy.conf`), unit).to.equal("[Service]\nEnvironmentFile=/etc/strata/proxy.env\n");
    }
    expect(fileIn(doc, "/etc/apt/apt.conf.d/90strata-proxy")).to.equal('Acquire::http::Proxy "http://proxy.emis.local:3128";\nAcquire::https::Proxy "http://proxy.emis.local:3128";\n');
  });

  it("issue #21: gives load balancers apt's proxy only (they run neither containerd nor the kubelet) and no mirrors", () => {
    const doc = docOf("load-balancer");
    expect(fileIn(doc, "/etc/apt/apt.conf.d/90strata-proxy")).to.include("Acquire::http::Proxy");
    expect(fileIn(doc, "/etc/systemd/system/containerd.service.d/10-strata-proxy.conf")).to.equal(undefined);
    expect(fileIn(doc, "/etc/containerd/certs.d/docker.io/hosts.toml")).to.equal(undefined);
  });

  it("issue #21: writes one hosts.toml per mirrored registry, the mirror before the registry itself", () => {
    const doc = docOf("control-plane");
    expect(fileIn(doc, "/etc/containerd/certs.d/docker.io/hosts.toml")).to.equal('server = "https://registry-1.docker.io"\n\n[host."https://mirror.emis.local"]\n  capabilities = ["pull", "resolve"]\n');
    expect(fileIn(doc, "/etc/containerd/certs.d/registry.k8s.io/hosts.toml")).to.equal(
      'server = "https://registry.k8s.io"\n\n[host."https://harbor.emis.local/v2/k8s-proxy"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n',
    );
  });

  it("writes the proxy and mirror files before any script runs, and nothing without the settings", () => {
    const paths = docOf("worker").write_files.map((f) => f.path);
    expect(paths.indexOf("/etc/strata/proxy.env")).to.be.lessThan(paths.findIndex((p) => p.endsWith(".sh")));
    const bare = parsed({});
    const bareNodes = nodeSpecs(bare);
    const doc = cloudConfig(nodeDocuments(bareNodes.find((n) => n.role === "worker")!, bootstrapPlan(bare, bareNodes), FAKE_MATERIAL).userData);
    expect(doc.write_files.map((f) => f.path).filter((p) => p.includes("proxy") || p.includes("certs.d"))).to.deep.equal([]);
  });

  it("issue #21: node prep points containerd's CRI at the hosts directory, sources the proxy for curl, and passes shellcheck", () => {
    const prep = nodePrepScript({ channel: "v1.35", kubernetes: "1.35.3-1.1", containerd: "1.7.*", pauseImage: "registry.k8s.io/pause:3.10.1" });
    expect(prep).to.include(`-e 's#config_path = ""#config_path = "/etc/containerd/certs.d"#'`);
    expect(prep).to.include(`! grep -q 'config_path = "/etc/containerd/certs.d"' /etc/containerd/config.toml`);
    expect(prep.indexOf(". /etc/strata/proxy.env")).to.be.lessThan(prep.indexOf("fetch_key\n"));
    expect(prep.indexOf("systemctl daemon-reload")).to.be.lessThan(prep.indexOf("systemctl restart containerd"));
    const check = spawnSync("shellcheck", ["-s", "bash", "-"], { input: prep, encoding: "utf8" });
    expect(check.error, "shellcheck is installed").to.equal(undefined);
    expect(check.stdout + check.stderr).to.equal("");
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ["a proxy with credentials", { proxy: { http: "http://user:pw@proxy.emis.local:3128" } }, "strata:infra.vsphere.proxy.http: must not carry credentials"],
    ["a proxy that is not http(s)", { proxy: { https: "socks5://proxy.emis.local:1080" } }, "strata:infra.vsphere.proxy.https: must use http:// or https:// (has socks5)"],
    ["a proxy with a path", { proxy: { http: "http://proxy.emis.local:3128/x" } }, "strata:infra.vsphere.proxy.http: must be scheme://host[:port] without a path"],
    ["a proxy without a URL", { proxy: { noProxy: [".emis.local"] } }, "strata:infra.vsphere.proxy: sets neither http nor https"],
    ["a noProxy entry with a comma", { proxy: { http: "http://p:3128", noProxy: ["a,b"] } }, "strata:infra.vsphere.proxy.noProxy[0]: must be a host name"],
    ["a mirror that is not a URL", { registryMirrors: { "docker.io": "mirror.emis.local" } }, "strata:infra.vsphere.registryMirrors.docker.io: must be an absolute http:// or https:// URL"],
    ["a registry key that is a URL", { registryMirrors: { "https://docker.io": "https://mirror.emis.local" } }, "must be a registry host as image names carry it"],
  ];
  for (const [what, settings, message] of refused) {
    it(`issue #21: refuses ${what} at parse time`, () => {
      const problems = problemsOf(prodWith(settings));
      expect(problems.some((p) => p.includes(message)), problems.join("\n")).to.equal(true);
    });
  }
});
