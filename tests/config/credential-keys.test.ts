/** Credentials in config: refused in clear, at parse time (whole keys) and by the offline plan (leaves). */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../config/errors";
import { parseConfig, type RawConfig } from "../../config/schema";
import { clearCredentialProblems } from "../../tools/engine/credential-leaves";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { validRaw } from "./valid-config";

function problemsOf(raw: RawConfig): readonly string[] {
  try {
    parseConfig(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

function stackFile(content: string) {
  const dir = mkdtempSync(join(tmpdir(), "strata-credentials-"));
  writeFileSync(join(dir, "Pulumi.yaml"), "name: strata\n");
  writeFileSync(join(dir, "Pulumi.t.yaml"), content);
  return loadStackConfig(dir, "t");
}

describe("config: credential keys are refused in clear", () => {
  it("issue #20: refuses strata:kubeconfig stored in clear, like vsphere:password, without repeating it", () => {
    expect(problemsOf({ ...validRaw(), hasKubeconfig: true, kubeconfigIsSecret: false })).to.deep.equal([
      "strata:kubeconfig: is stored in clear (got a plain value, not shown); store it encrypted with `pulumi config set --secret strata:kubeconfig < kubeconfig.yaml`",
    ]);
  });

  it("accepts a secret strata:kubeconfig, and no kubeconfig at all", () => {
    expect(problemsOf({ ...validRaw(), hasKubeconfig: true, kubeconfigIsSecret: true })).to.deep.equal([]);
    expect(problemsOf({ ...validRaw(), hasKubeconfig: false, kubeconfigIsSecret: false })).to.deep.equal([]);
  });

  it("issue #20: the offline plan refuses each credential leaf of strata:platform kept in clear beside secure ones (the program sees only a secret strata:platform)", () => {
    const config = stackFile(`config:
  strata:platform:
    backups:
      target:
        type: s3
        bucket: offsite
        region: eu-central-1
        credentials:
          accessKeyId: AKIAIOSFODNN7EXAMPLE
          secretAccessKey:
            secure: v1:c2VjcmV0
    observability:
      alerting:
        receivers:
          ops:
            type: slack
            channel: "#alerts"
            url:
              secure: v1:aHR0cHM6Ly9ob29rcw==
          pager:
            type: pagerduty
            routingKey: routing-key-in-clear
`);
    expect(config.secretKeys).to.include("strata:platform");
    expect(clearCredentialProblems(config)).to.deep.equal([
      "strata:platform.backups.target.credentials.accessKeyId: is stored in clear in the stack file (got a plain value, not shown); set it with `pulumi config set --secret --path 'strata:platform.backups.target.credentials.accessKeyId' <value>`",
      "strata:platform.observability.alerting.receivers.pager.routingKey: is stored in clear in the stack file (got a plain value, not shown); set it with `pulumi config set --secret --path 'strata:platform.observability.alerting.receivers.pager.routingKey' <value>`",
    ]);
  });

  it("passes the stacks of this repository whose credentials are all secure", () => {
    for (const [stack, file] of [["prod", "Pulumi.prod.yaml"], ["tartware", "examples/tartware/Pulumi.tartware.yaml"], ["receivers", "tests/fixtures/stacks/observability-receivers.yaml"]] as const) {
      expect(clearCredentialProblems(loadStackConfig(join(__dirname, "..", ".."), stack, join(__dirname, "..", "..", file))), stack).to.deep.equal([]);
    }
  });
});
