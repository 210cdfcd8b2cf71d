/**
 * A throw-away git repository holding a tiny Pulumi program with strata's layer type tokens, so
 * the plan diff and graph can be tested on real commits quickly.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixtureConfig {
  readonly buckets: number;
  readonly namespace: string;
  readonly withSecret: boolean;
}

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as k8s from "@pulumi/kubernetes";

const config = new pulumi.Config("small");
class Infra extends pulumi.ComponentResource {
  public readonly buckets: random.RandomPet[];
  constructor(name: string) {
    super("strata:infra:Small", name, {});
    this.buckets = Array.from({ length: config.requireNumber("buckets") }, (_, i) => new random.RandomPet(\`\${name}-\${i + 1}\`, { prefix: \`small-\${i + 1}\` }, { parent: this }));
    this.registerOutputs({});
  }
}
class Cluster extends pulumi.ComponentResource {
  constructor(name: string, infra: Infra) {
    super("strata:cluster:Small", name, {});
    const provider = new k8s.Provider(\`\${name}-k8s\`, { kubeconfig: "{}" }, { parent: this, dependsOn: infra.buckets });
    const ns = new k8s.core.v1.Namespace(\`\${name}-ns\`, { metadata: { name: config.require("namespace") } }, { parent: this, provider });
    new k8s.core.v1.ConfigMap(\`\${name}-settings\`, { metadata: { name: "settings", namespace: ns.metadata.name }, data: { buckets: String(infra.buckets.length) } }, { parent: this, provider });
    if (config.requireBoolean("withSecret")) {
      new k8s.core.v1.Secret(\`\${name}-token\`, { metadata: { name: "token", namespace: ns.metadata.name }, stringData: { token: "x" } }, { parent: this, provider });
    }
    this.registerOutputs({});
  }
}
const infra = new Infra("small");
new Cluster("small", infra);
`;

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=strata", "-c", "user.email=strata@example.invalid", "-c", "commit.gpgsign=false", ...args], { encoding: "utf8" }).trim();
}

export class FixtureRepo {
  readonly dir = mkdtempSync(join(tmpdir(), "strata-diff-repo-"));

  constructor() {
    git(this.dir, "init", "-q", "-b", "main");
    writeFileSync(join(this.dir, "Pulumi.yaml"), "name: small\nruntime: nodejs\n");
    writeFileSync(join(this.dir, "index.ts"), PROGRAM);
  }

  /** Writes the stack config and commits; returns the commit id. */
  commit(config: FixtureConfig, message: string): string {
    const lines = ["config:", `  small:buckets: "${config.buckets}"`, `  small:namespace: ${config.namespace}`, `  small:withSecret: "${String(config.withSecret)}"`, ""];
    writeFileSync(join(this.dir, "Pulumi.small.yaml"), lines.join("\n"));
    git(this.dir, "add", "-A");
    git(this.dir, "commit", "-q", "-m", message);
    return git(this.dir, "rev-parse", "HEAD");
  }
}
