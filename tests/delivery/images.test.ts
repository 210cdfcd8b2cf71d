import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CHARTS, IMAGES, MANIFESTS, PLUGINS, VSPHERE_NODE } from "../../lib/catalog";
import { mirrorList, pluginItems, type MirrorItem } from "../../tools/images";

const ROOT = join(__dirname, "..", "..");
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };

describe("npm run images (air-gapped mirror list)", () => {
  const items = mirrorList(packageJson);
  const has = (kind: MirrorItem["kind"], name: string, version: string) => items.some((i) => i.kind === kind && i.name === name && i.version === version);

  it("lists every chart of the catalog with its pinned version", () => {
    for (const [id, pin] of Object.entries(CHARTS)) {
      const name = pin.source.startsWith("oci://") ? pin.source : `${pin.source.replace(/\/$/, "")}/${pin.chart}`;
      expect(has("chart", name, pin.version), id).to.equal(true);
    }
    expect(items.filter((i) => i.kind === "chart")).to.have.length(Object.keys(CHARTS).length);
  });

  it("lists every manifest and every image the catalog pins", () => {
    for (const m of Object.values(MANIFESTS)) expect(has("manifest", m.url, m.version), m.url).to.equal(true);
    for (const i of Object.values(IMAGES)) expect(has("image", i.repository, i.tag), i.repository).to.equal(true);
    expect(has("image", "ghcr.io/kube-vip/kube-vip", VSPHERE_NODE.kubeVipImage.split(":").pop() ?? "")).to.equal(true);
    expect(has("image", "registry.k8s.io/pause", VSPHERE_NODE.pauseImage.split(":").pop() ?? "")).to.equal(true);
    expect(has("image", "registry.k8s.io/kube-apiserver", "v1.35.3")).to.equal(VSPHERE_NODE.kubernetesPackages["1.35"]?.package === "1.35.3-1.1");
  });

  it("lists one provider plugin per @pulumi provider dependency at the same version, and the catalog's plugins", () => {
    const plugins = pluginItems(packageJson);
    for (const [name, version] of Object.entries(packageJson.dependencies).filter(([n]) => n.startsWith("@pulumi/") && n !== "@pulumi/pulumi")) {
      expect(plugins.some((p) => `@pulumi/${p.name}` === name && p.version === version), name).to.equal(true);
    }
    for (const [name, version] of Object.entries(PLUGINS)) expect(has("plugin", name, version), name).to.equal(true);
    expect(pluginItems({ dependencies: { "@pulumi/pulumi": "3.0.0", "@pulumi/policy": "1.0.0", "@pulumi/gcp": "9.1.0" } }).map((p) => `${p.name}@${p.version}`)).to.include("gcp@9.1.0").and.not.include("pulumi@3.0.0");
  });

  it("prints the list through the npm script, and JSON with --json", () => {
    const json = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "tools", "images.ts"), "--json"], { encoding: "utf8" })) as MirrorItem[];
    expect(json).to.deep.equal(items);
  });
});
