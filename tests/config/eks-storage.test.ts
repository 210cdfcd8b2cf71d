/**
 * issue #22: EKS volumes are gp3 unless a data service opts into the io2 class, whose IOPS follow
 * each volume's size within io2's limits; the repo's stacks say what their seeds say.
 */
import { expect } from "chai";
import { ConfigError } from "../../config/errors";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig, type StackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";

/** The dev stack with its `strata:<key>` slices changed by `edit`. */
function devWith(edit: (slices: Record<string, Record<string, unknown>>) => void): StackConfig {
  const stack = loadStackConfig(REPO_ROOT, "dev");
  const slices = Object.fromEntries(["cluster", "platform"].map((key) => [key, JSON.parse(stack.config[`strata:${key}`] ?? "{}") as Record<string, unknown>]));
  edit(slices);
  return { ...stack, config: { ...stack.config, ...Object.fromEntries(Object.entries(slices).map(([key, value]) => [`strata:${key}`, JSON.stringify(value)])) } };
}

function problemsOf(stack: StackConfig): readonly string[] {
  try {
    parseStackConfig(stack);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("config was accepted");
}

describe("EKS storage classes by service", () => {
  it("issue #22: dev declares no io2 class and keeps its data services on gp3", () => {
    const config = parseStackConfig(loadStackConfig(REPO_ROOT, "dev"));
    expect(config.cluster.eks.io2).to.equal(undefined);
    expect(config.platform?.postgres.storage.purpose).to.equal("database");
  });

  it("issue #22: a service asking for io2 on a cluster without the class is refused with the key to set", () => {
    const stack = devWith((s) => {
      (s["platform"]!["postgres"] as Record<string, unknown>)["storage"] = { sizeGi: 20, purpose: "database-io2" };
    });
    expect(problemsOf(stack)).to.include(
      'strata:platform.postgres.storage.purpose: the cluster declares no io2 class (got "database-io2"); set strata:cluster.eks.io2.iopsPerGi to declare it, or use database (gp3, Retain)',
    );
  });

  it("issue #22: io2 IOPS per GiB above io2's 1,000:1 ratio is refused", () => {
    const stack = devWith((s) => {
      (s["cluster"]!["eks"] as Record<string, unknown>)["io2"] = { iopsPerGi: 1500 };
    });
    expect(problemsOf(stack).join("\n")).to.contain("strata:cluster.eks.io2.iopsPerGi: must be at most 1000, io2's largest IOPS-to-GiB ratio");
  });

  it("issue #22: the flat databaseIops key is gone", () => {
    const stack = devWith((s) => {
      (s["cluster"]!["eks"] as Record<string, unknown>)["databaseIops"] = 10000;
    });
    expect(problemsOf(stack).join("\n")).to.contain("strata:cluster.eks");
  });
});
