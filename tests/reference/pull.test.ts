import { expect } from "chai";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CHARTS, type ChartPin } from "../../lib/catalog";
import { HelmMissing, helmPullArgs, layoutProblems, pinsToPull, pullReference, sourceText } from "../../tools/reference/pull";
import { loadChartReference, parseSource } from "../../tools/verify/chart-reference";
import { defaultChartsDir, missingReferenceMessage, referenceCacheDir } from "../../tools/verify/reference-dir";

const REPO = resolve(__dirname, "..", "..");

/**
 * A stand-in for `helm` that needs no network: `helm pull <ref> [--repo <url>] --version <v>
 * --untar --untardir <dir>` unpacks a chart named after the last segment of <ref> with a
 * values.yaml, a CRD and a subchart CRD; a chart named "unreachable" fails like a registry error.
 */
const FAKE_HELM = `#!/bin/sh
[ "$1" = version ] && { echo v3.19.0; exit 0; }
shift; ref=$1; shift
while [ $# -gt 0 ]; do case $1 in --version) version=$2; shift;; --untardir) dir=$2; shift;; esac; shift; done
name=\${ref##*/}
[ "$name" = unreachable ] && { echo "Error: failed to fetch $ref: 404 Not Found" >&2; exit 1; }
mkdir -p "$dir/$name/crds" "$dir/$name/charts/sub/crds" "$dir/$name/templates"
printf 'apiVersion: v2\\nname: %s\\nversion: %s\\n' "$name" "$version" > "$dir/$name/Chart.yaml"
printf 'replicaCount: 1\\n' > "$dir/$name/values.yaml"
printf 'kind: CustomResourceDefinition\\n' > "$dir/$name/crds/own.yaml"
printf 'kind: CustomResourceDefinition\\n' > "$dir/$name/charts/sub/crds/sub.yaml"
printf 'kind: Deployment\\n' > "$dir/$name/templates/deployment.yaml"
`;

describe("issue #24: reference data a user can get (npm run reference:pull)", () => {
  let work: string;
  let bin: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "strata-pull-"));
    bin = join(work, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "helm"), FAKE_HELM);
    chmodSync(join(bin, "helm"), 0o755);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("pulls an OCI chart by reference and a repository chart through --repo, at the pinned version", () => {
    expect(helmPullArgs(CHARTS["cert-manager"], "/d")).to.deep.equal(["pull", "oci://quay.io/jetstack/charts/cert-manager", "--version", "v1.21.1", "--untar", "--untardir", "/d"]);
    expect(helmPullArgs(CHARTS.metallb, "/d")).to.deep.equal(["pull", "metallb", "--repo", "https://metallb.github.io/metallb", "--version", "0.16.1", "--untar", "--untardir", "/d"]);
  });

  it("pulls each chart name of lib/catalog.ts once", () => {
    const names = pinsToPull().map((p) => p.chart);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include.members(Object.values(CHARTS).map((p) => p.chart));
  });

  it("writes a SOURCE.txt verify reads back as the pinned version and source", () => {
    expect(parseSource(sourceText(CHARTS.karpenter))).to.deep.equal({ chartVersions: ["1.14.1"], helmRepos: [], ociRefs: ["oci://public.ecr.aws/karpenter/karpenter"] });
    expect(parseSource(sourceText(CHARTS.metallb))).to.deep.equal({ chartVersions: ["0.16.1"], helmRepos: ["https://metallb.github.io/metallb"], ociRefs: [] });
  });

  it("end to end with a helm on PATH: lays out each chart like shared/reference/charts, reports the one it could not pull", () => {
    const out = join(work, "charts");
    const pins: ChartPin[] = [CHARTS.metallb, CHARTS.karpenter, { source: "oci://example.com/charts/unreachable", chart: "unreachable", version: "1.0.0" }];
    const result = pullReference(out, pins, { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    expect(result.pulled).to.deep.equal(["metallb", "karpenter"]);
    expect(result.failed).to.deep.equal({ unreachable: "Error: failed to fetch oci://example.com/charts/unreachable: 404 Not Found" });
    expect(layoutProblems(out, [CHARTS.metallb, CHARTS.karpenter])).to.deep.equal([]);
    expect(layoutProblems(out, pins)).to.deep.equal(["unreachable/SOURCE.txt is missing", "unreachable/Chart.yaml is missing", "unreachable/values.yaml is missing"]);
    expect(existsSync(join(out, "metallb", "crds", "own.yaml")) && existsSync(join(out, "metallb", "crds", "sub.yaml"))).to.equal(true);
    expect(existsSync(join(out, "metallb", "templates"))).to.equal(false);
    expect(readFileSync(join(out, "INDEX.md"), "utf8")).to.contain("| karpenter | 1.14.1 | oci://public.ecr.aws/karpenter/karpenter |");
    const reference = loadChartReference(out, "metallb");
    expect(reference?.source?.chartVersions).to.deep.equal(["0.16.1"]);
    expect(reference?.values).to.deep.equal({ replicaCount: 1 });
  });

  it("without helm on PATH, says to install it and names the command", () => {
    const empty = join(work, "empty");
    mkdirSync(empty);
    expect(() => pullReference(join(work, "charts"), [CHARTS.metallb], { ...process.env, PATH: empty })).to.throw(HelmMissing, "helm is not on PATH: install Helm 3 (https://helm.sh/docs/intro/install/) and run `npm run reference:pull` again");
  });

  it("verify reads STRATA_CHART_REFERENCE, else ../shared/reference/charts when present, else the pulled cache", () => {
    expect(defaultChartsDir({ STRATA_CHART_REFERENCE: "/ci/charts" }, () => true)).to.equal("/ci/charts");
    expect(defaultChartsDir({}, () => true)).to.equal(resolve(REPO, "..", "shared", "reference", "charts"));
    expect(defaultChartsDir({}, () => false)).to.equal(join(REPO, ".strata", "reference", "charts"));
    expect(referenceCacheDir()).to.equal(join(REPO, ".strata", "reference", "charts"));
    expect(readFileSync(join(REPO, ".gitignore"), "utf8").split("\n")).to.include("/.strata/");
  });

  it("a missing cache gives one message naming the command and the variable", () => {
    expect(missingReferenceMessage("/r/.strata/reference/charts")).to.equal(
      "no chart reference data at /r/.strata/reference/charts: run `npm run reference:pull` (needs helm and the network) to fill .strata/reference/charts, or set STRATA_CHART_REFERENCE to a folder laid out like it",
    );
    expect(layoutProblems(join(work, "nowhere"))).to.deep.equal([`${join(work, "nowhere")} does not exist`]);
  });
});
