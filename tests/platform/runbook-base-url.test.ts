/** Issue #23: prod alerts link runbooks on-call can open; a placeholder or strata's own repository is warned about. */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { observabilityConfig, runbookBaseUrlNote } from "../../config/platform/observability";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../lib/prometheus-rules";

const withBase = (runbookBaseUrl?: string) => observabilityConfig.parse(runbookBaseUrl === undefined ? {} : { runbookBaseUrl });

describe("issue #23: the runbook base URL in prod", () => {
  it("issue #23: warns in prod on the default (strata's own repository) and on reserved example hosts, naming the key and the fix", () => {
    expect(runbookBaseUrlNote(withBase(), "prod")).to.equal(
      `strata:platform.observability.runbookBaseUrl: every prod alert's runbook_url points at strata's own repository, not your copy of it (got ${JSON.stringify(DEFAULT_RUNBOOK_BASE_URL)}); ` +
        "set it to where your team serves docs/runbooks/ (your Git server's blob URL or an internal docs site): " +
        "`pulumi config set --path 'strata:platform.observability.runbookBaseUrl' https://<host>/<path>/docs/runbooks`",
    );
    for (const url of ["https://git.emis.example/strata/-/blob/main/docs/runbooks", "https://example.com/runbooks", "https://docs.example.org/r", "https://runbooks.invalid"]) {
      expect(runbookBaseUrlNote(withBase(url), "prod"), url).to.match(/^strata:platform\.observability\.runbookBaseUrl: every prod alert's runbook_url points at a placeholder host \(got "/);
    }
  });

  it("issue #23: says nothing for a team's own host, outside prod, or without observability", () => {
    expect(runbookBaseUrlNote(withBase("https://git.corp.internal/platform/strata/-/blob/main/docs/runbooks"), "prod")).to.equal(undefined);
    expect(runbookBaseUrlNote(withBase("https://notexample.com/runbooks"), "prod")).to.equal(undefined);
    expect(runbookBaseUrlNote(withBase(), "dev")).to.equal(undefined);
    expect(runbookBaseUrlNote(undefined, "prod")).to.equal(undefined);
  });

  it("issue #23: Pulumi.prod.yaml carries a placeholder the plan warns on, listed in the placeholder table", () => {
    const stack = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, { observability: Record<string, unknown> }> };
    const url = stack.config["strata:platform"]?.observability["runbookBaseUrl"] as string;
    expect(runbookBaseUrlNote(withBase(url), "prod")).to.match(/placeholder host/);
    expect(readFileSync(join(__dirname, "..", "..", "infra", "vsphere", "README.md"), "utf8")).to.include(`| \`strata:platform.observability.runbookBaseUrl\` | \`${url}\``);
  });
});
