/** Shared inputs for the vSphere tests: the example stack configs, parsed once. */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { VsphereInfraConfig } from "../../../config/infra/vsphere";
import type { BootstrapMaterial } from "../../../infra/vsphere/bootstrap";
import { discoveryHash } from "../../../infra/vsphere/tokens";
import { parseConfig } from "../../../config/schema";
import type { RunOptions, RunResult } from "../../../tools/engine/run";
import { planStack } from "../../harness";

const ROOT = join(__dirname, "..", "..", "..");

/** The vSphere stack configs: prod is the prod stack itself, dev an example. */
const STACK_FILES = { "vsphere-prod.yaml": "Pulumi.prod.yaml", "vsphere-dev.yaml": join("examples", "vsphere-dev.yaml") } as const;

/** The `config:` block of a vSphere stack file. */
export function exampleConfig(file: keyof typeof STACK_FILES): Record<string, unknown> {
  const doc = parse(readFileSync(join(ROOT, STACK_FILES[file]), "utf8")) as { config: Record<string, unknown> };
  return doc.config;
}

/** A fresh, mutable copy of an example's raw `strata:infra` value. */
export function rawInfra(file: "vsphere-prod.yaml" | "vsphere-dev.yaml" = "vsphere-prod.yaml"): Record<string, unknown> {
  return structuredClone(exampleConfig(file)["strata:infra"]) as Record<string, unknown>;
}

/** A complete vCenter connection (`vsphere:*`), as a stack with a secret password has it. */
export const VSPHERE_CONNECTION = {
  server: "vcenter.emis.local",
  user: "svc-strata@vsphere.local",
  hasPassword: true,
  passwordIsSecret: true,
  accountPasswords: { cpi: { isSet: true, isSecret: true }, csi: { isSet: true, isSecret: true }, machineController: { isSet: true, isSecret: true } },
} as const;

/** The problems parseConfig reports for a raw infra value (empty when it parses); the password keys are set for the accounts it names. */
export function problemsOf(infra: unknown, environment: "prod" | "dev" = "prod"): string[] {
  const accounts = (infra as { vsphere?: { accounts?: Record<string, unknown> } } | undefined)?.vsphere?.accounts ?? {};
  const accountPasswords = Object.fromEntries(["cpi", "csi", "machineController"].filter((kind) => accounts[kind] !== undefined).map((kind) => [kind, { isSet: true, isSecret: true }]));
  try {
    // As the examples have it: the dev lab accepts vCenter's certificate unverified.
    parseConfig({ environment, infra, hasKubeconfig: false, vsphere: { ...VSPHERE_CONNECTION, accountPasswords, ...(environment === "dev" ? { allowUnverifiedSsl: true } : {}) } });
    return [];
  } catch (error) {
    return [...((error as { problems?: string[] }).problems ?? [String(error)])];
  }
}

/**
 * The prod stack's raw infra with `workers` as the fixed pool of 6 static addresses it was before
 * the EMIS seed's 6-20 autoscaling (issue #21), for tests of how Pulumi's own worker VMs are
 * validated and boot: an autoscaled pool has no Pulumi VMs.
 */
export function withFixedWorkers(infra: Record<string, unknown>): Record<string, unknown> {
  const pools = (infra["vsphere"] as { nodePools: Record<string, Record<string, unknown>> }).nodePools;
  const { autoscaling: _autoscaled, ...workers } = pools["workers"]!;
  pools["workers"] = { ...workers, count: 6, addressRange: "10.20.0.21-10.20.0.40" };
  return infra;
}

/**
 * Pulumi.prod.yaml with fixed workers (`withFixedWorkers`) at `count`, written to `dir`: the plans
 * of how Pulumi's own worker VMs are created, replaced and ordered.
 */
export function prodWithFixedWorkersFile(dir: string, count = 6): string {
  const doc = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
  const infra = withFixedWorkers(doc.config["strata:infra"]!);
  ((infra["vsphere"] as { nodePools: Record<string, Record<string, unknown>> }).nodePools["workers"]!)["count"] = count;
  const file = join(dir, `prod-workers-${count}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

/** The parsed prod infra with fixed workers (`withFixedWorkers`). */
export function parsedFixedWorkersInfra(): VsphereInfraConfig {
  const config = parseConfig({ environment: "prod", infra: withFixedWorkers(rawInfra()), hasKubeconfig: false, vsphere: VSPHERE_CONNECTION });
  if (config.infra?.backend !== "vsphere") throw new Error("the prod stack does not describe a vSphere cluster");
  return config.infra;
}

/** The parsed vSphere infra slice of an example. */
export function parsedInfra(file: "vsphere-prod.yaml" | "vsphere-dev.yaml" = "vsphere-prod.yaml"): VsphereInfraConfig {
  // The dev example has no accounts of its own (and so no password keys).
  const vsphere = file === "vsphere-dev.yaml" ? { ...VSPHERE_CONNECTION, accountPasswords: {}, allowUnverifiedSsl: true } : VSPHERE_CONNECTION;
  const config = parseConfig({ environment: file === "vsphere-dev.yaml" ? "dev" : "prod", infra: rawInfra(file), hasKubeconfig: false, vsphere });
  if (config.infra?.backend !== "vsphere") throw new Error(`${file} does not describe a vSphere cluster`);
  return config.infra;
}

/** The mocked run of an example; the same options everywhere so tests share one run. */
export function exampleRun(file: "vsphere-prod.yaml" | "vsphere-dev.yaml"): RunOptions {
  return file === "vsphere-prod.yaml" ? { stack: "prod" } : { stack: "dev", configFile: join(ROOT, STACK_FILES[file]) };
}

/** The offline plan of an example (one mocked run per example, shared by every test file). */
export function planExample(file: "vsphere-prod.yaml" | "vsphere-dev.yaml"): Promise<RunResult> {
  return planStack(exampleRun(file));
}

/** Bootstrap material with recognisable stand-ins, for rendering node documents without the engine. */
const caPublicKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
export const FAKE_MATERIAL: BootstrapMaterial = {
  secrets: { token: "abcdef.0123456789abcdef", certificateKey: "a".repeat(64), caCertHash: discoveryHash(caPublicKey) },
  pki: { caCert: "CA", caKey: "CAKEY", etcdCaCert: "ETCD", etcdCaKey: "ETCDKEY", frontProxyCaCert: "FP", frontProxyCaKey: "FPKEY", saKey: "SAKEY", saPub: "SAPUB" },
  vrrpPassword: "vrrpPass",
  encryptionKey: Buffer.alloc(32, 7).toString("base64"),
};
