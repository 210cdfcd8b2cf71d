import { expect } from "chai";
import { chartNameOf, loadChartReference, parseSource } from "../../tools/verify/chart-reference";
import { releaseInputs, sourceFindings, versionFindings } from "../../tools/verify/helm-release";
import { FIXTURE_CHARTS, release } from "./plans";

function pinFindings(inputs: Record<string, unknown>) {
  const planned = release("demo", inputs);
  const parsed = releaseInputs(planned);
  const chart = loadChartReference(FIXTURE_CHARTS, chartNameOf(parsed.chart));
  if (chart === undefined) {
    throw new Error(`fixture chart for ${parsed.chart} missing`);
  }
  return [...versionFindings("release demo", parsed, chart), ...sourceFindings("release demo", parsed, chart)];
}

describe("verify: chart versions and sources against SOURCE.txt", () => {
  it("finds the chart folder from a name, a repo/name or an oci:// reference", () => {
    expect(chartNameOf("demo-app")).to.equal("demo-app");
    expect(chartNameOf("example/demo-app")).to.equal("demo-app");
    expect(chartNameOf("oci://registry.example.test/charts/demo-app")).to.equal("demo-app");
  });

  it("reads the released version, not the placeholder in Chart.yaml", () => {
    expect(pinFindings({})).to.deep.equal([]);
  });

  it("reports a version that differs from the reference release", () => {
    expect(pinFindings({ version: "1.2.4" })).to.deep.equal([
      {
        severity: "error",
        check: "chart-version",
        resource: "release demo",
        path: "version",
        message: 'pinned "1.2.4" differs from the reference release "1.2.3" (SOURCE.txt chart_version)',
      },
    ]);
  });

  it("reports a missing version pin", () => {
    const [finding] = pinFindings({ version: undefined });
    expect(finding?.message).to.equal('no chart version pinned; pin "1.2.3"');
  });

  it("rejects a leading v unless SOURCE.txt says both spellings are published", () => {
    const [unprefixed] = pinFindings({ chart: "prefixed", version: "2.0.0", repositoryOpts: { repo: "https://charts.example.test/prefixed" } });
    expect(unprefixed?.message).to.equal('"2.0.0" is not a published version; the chart is published only as "v2.0.0"');
    const modern = { chart: "oci://registry.example.test/charts/modern-chart", repositoryOpts: undefined };
    expect(pinFindings({ ...modern, version: "0.5.0" })).to.deep.equal([]);
    expect(pinFindings({ ...modern, version: "v0.5.0" })).to.deep.equal([]);
  });

  it("reports a component that publishes no chart", () => {
    const [finding] = pinFindings({ chart: "widgets-operator", version: "1.0.0" });
    expect(finding?.severity).to.equal("error");
    expect(finding?.message).to.contain("publishes no Helm chart");
  });

  it("warns about a repository or OCI location the reference data does not list", () => {
    const repo = pinFindings({ repositoryOpts: { repo: "https://mirror.example.test/charts" } });
    expect(repo.map((finding) => [finding.severity, finding.path])).to.deep.equal([["warning", "repositoryOpts.repo"]]);
    const oci = pinFindings({ chart: "oci://mirror.example.test/demo-app", repositoryOpts: undefined });
    expect(oci.map((finding) => [finding.severity, finding.path])).to.deep.equal([["warning", "chart"]]);
    expect(pinFindings({ chart: "oci://registry.example.test/charts/demo-app", repositoryOpts: undefined })).to.deep.equal([]);
  });

  it("parses SOURCE.txt fields, with notes in parentheses", () => {
    const source = parseSource(
      [
        "chart_version: v1.9.0 (also published as 1.9.0)",
        "helm_repo: none (OCI only)",
        "oci: oci://docker.io/envoyproxy/gateway-helm",
        "install: helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.0",
      ].join("\n"),
    );
    expect(source).to.deep.equal({
      chartVersions: ["v1.9.0", "1.9.0"],
      helmRepos: [],
      ociRefs: ["oci://docker.io/envoyproxy/gateway-helm", "oci://docker.io/envoyproxy/gateway-helm"],
    });
  });
});
