/**
 * `npm run verify:boot -- --out <plan-out> [--node <vm>]… [--one-per-shape]`: boots the rendered
 * vSphere node documents (`<out>/infra/cloud-init/<vm>/{user-data,meta-data,network-config}.yaml`)
 * in QEMU VMs with the node's hardware (vmxnet3 NIC, PVSCSI disks) on an isolated network, and
 * checks what the node looks like after cloud-init: address, route and DNS on the NIC that carries
 * them, hostname, files and modes, data disks, sysctls, modules, swap, cloud-init's own verdict.
 * See tools/verify-boot/README.md. Exits 1 on a failed check, 2 on bad usage or missing tools.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BootOptions, USAGE, UsageError, parseBootArgs, renderNode, verdict } from "./verify-boot/cli";
import { type NodeExpectation, expectationsOf } from "./verify-boot/expectations";
import { ensureImage, type Image } from "./verify-boot/image";
import { type CheckResult, type Facts, judge } from "./verify-boot/judge";
import { PATH } from "./verify-boot/process";
import { onePerShape } from "./verify-boot/select";
import { type Accel, QEMU, boot, detectAccel, makeDataDisks, makeSeed } from "./verify-boot/vm";
import { spawnSync } from "node:child_process";

const TOOLS: readonly (readonly [string, string])[] = [
  [QEMU, "qemu-system-x86"],
  ["mmdebstrap", "mmdebstrap"],
  ["genisoimage", "genisoimage"],
  ["mke2fs", "e2fsprogs"],
];

interface Node {
  /** The `--out` folder the documents come from. */
  readonly plan: string;
  readonly name: string;
  readonly dir: string;
  readonly files: { readonly userData: string; readonly metaData: string; readonly networkConfig: string };
  readonly expectation: NodeExpectation;
}

/** Every VM with documents under the `--out` folders, by name (names must not repeat across plans). */
function allNodes(options: BootOptions): Node[] {
  const all: Node[] = [];
  for (const out of options.outs) {
    const root = join(out, "infra", "cloud-init");
    if (!existsSync(root)) throw new UsageError(`${root} does not exist; run \`npm run plan -- --stack <s> --out ${out}\` for a vSphere stack first`);
    const names = readdirSync(root).filter((name) => existsSync(join(root, name, "user-data.yaml"))).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    for (const name of names) {
      if (all.some((node) => node.name === name)) throw new UsageError(`--out: VM ${name} is in more than one plan; boot those plans separately`);
      all.push(nodeOf(options, out, name, join(root, name)));
    }
  }
  return all;
}

function nodeOf(options: BootOptions, plan: string, name: string, dir: string): Node {
  const files = {
    userData: join(dir, "user-data.yaml"),
    metaData: join(dir, "meta-data.yaml"),
    networkConfig: options.networkConfig ?? join(dir, "network-config.yaml"),
  };
  const expectation = expectationsOf({
    name,
    userData: readFileSync(files.userData, "utf8"),
    metaData: readFileSync(files.metaData, "utf8"),
    networkConfig: readFileSync(files.networkConfig, "utf8"),
  });
  return { plan, name, dir, files, expectation };
}

function loadNodes(options: BootOptions): Node[] {
  const all = allNodes(options);
  const unknown = options.nodes.filter((name) => !all.some((node) => node.name === name));
  if (unknown.length > 0) throw new UsageError(`--node: no documents for ${unknown.join(", ")} (have ${all.map((node) => node.name).join(", ")})`);
  if (options.nodes.length > 0) return all.filter((node) => options.nodes.includes(node.name));
  if (!options.onePerShape) return all;
  // Shapes are per plan: the dev example's control plane is booted as well as prod's.
  const chosen = options.outs.flatMap((out) =>
    onePerShape(all.filter((node) => node.plan === out).map((node) => ({ name: node.name, userData: readFileSync(node.files.userData, "utf8"), dataDisks: node.expectation.disks.length }))),
  );
  return all.filter((node) => chosen.includes(node.name));
}

async function bootNode(node: Node, image: Image, accel: Accel, work: string, deadline: number): Promise<{ seconds: number; results: CheckResult[] }> {
  const dir = join(work, node.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const seed = makeSeed(dir, node.files, node.expectation);
  const dataDisks = makeDataDisks(dir, node.expectation);
  const mac = node.expectation.interfaces[0]?.matchMac;
  const plan = { image, accel, seed, dataDisks, ...(mac !== undefined ? { mac } : {}), console: join(dir, "console.log"), facts: join(dir, "facts.log"), deadline, memoryMiB: 1024 };
  // The guest waits up to `deadline` for cloud-init; booting and shutting down get their own allowance.
  const outcome = await boot(plan, deadline + (accel === "kvm" ? 180 : 600));
  for (const disk of dataDisks) rmSync(disk.file, { force: true });
  if (outcome.facts === undefined) {
    const why = outcome.timedOut ? "timed out" : `QEMU exited ${outcome.exitCode ?? "by signal"}`;
    return { seconds: outcome.seconds, results: [{ check: "boot", outcome: "fail", detail: `no report from the VM (${why}); console tail (${join(dir, "console.log")}):\n${outcome.consoleTail.replace(/^/gm, "      ")}` }] };
  }
  return { seconds: outcome.seconds, results: judge(node.expectation, outcome.facts as Facts) };
}

async function pool<T, R>(items: readonly T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const options = parseBootArgs(argv);
  for (const [command, debianPackage] of TOOLS) {
    if (spawnSync("sh", ["-c", `command -v ${command}`], { env: { ...process.env, PATH } }).status !== 0) {
      console.error(`verify-boot: \`${command}\` is not installed; install it with: apt-get install -y ${debianPackage}`);
      return 2;
    }
  }
  if (options.imageOnly) {
    const image = ensureImage(options.cache, options.mirror, (line) => console.log(`verify-boot: ${line}`));
    console.log(`verify-boot: image ready: ${image.root}`);
    return 0;
  }
  const nodes = loadNodes(options);
  if (nodes.length === 0) {
    console.log(`verify-boot: no vSphere node documents under ${options.outs.join(", ")}; nothing to boot`);
    return 0;
  }
  const image = ensureImage(options.cache, options.mirror, (line) => console.log(`verify-boot: ${line}`));
  const accel = options.accel === "auto" ? detectAccel() : options.accel;
  const work = options.work ?? mkdtempSync(join(tmpdir(), "strata-verify-boot-"));
  console.log(`verify-boot: booting ${nodes.map((n) => n.name).join(", ")} (${accel.toUpperCase()}, ${options.jobs} at a time, logs in ${work})`);
  const started = Date.now();
  const reports = await pool(nodes, options.jobs, async (node) => {
    const report = await bootNode(node, image, accel, work, options.deadline);
    console.log(renderNode(node.name, report.seconds, report.results));
    return report.results;
  });
  const ok = verdict(reports, options.expectFailure);
  const seconds = Math.round((Date.now() - started) / 1000);
  const what = options.expectFailure !== undefined ? `expected the ${options.expectFailure} check to fail on every node: ${ok ? "it did" : "it did not"}` : ok ? "all checks passed" : "checks failed";
  console.log(`verify-boot: ${nodes.length} VMs in ${seconds} s; ${what}`);
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `verify-boot: ${message}\n\n${USAGE}` : `verify-boot: ${message}`);
    process.exitCode = 2;
  },
);
