/**
 * `plan --out` files for a vSphere VM: the cloud-init documents decoded from its guestinfo
 * extraConfig, and every embedded shell script on its own so shellcheck can read it. Paths are
 * relative to the layer folder: `<out>/infra/cloud-init/<vm>/{user-data,meta-data,network-config}.yaml`
 * and `<out>/infra/cloud-init/<vm>/scripts/<name>.sh`.
 */
import { gunzipSync } from "node:zlib";
import { parse, stringify } from "yaml";
import type { CapturedResource, RenderedFile, Renderer } from "./types";

function decode(value: unknown, encoding: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const bytes = Buffer.from(value, "base64");
  if (encoding === "gzip+base64") return gunzipSync(bytes).toString("utf8");
  if (encoding === "base64") return bytes.toString("utf8");
  return value;
}

interface UserDataFile {
  readonly path?: unknown;
  readonly content?: unknown;
}

/** `#!` files from write_files, named after their file name. */
function scripts(userData: string): { name: string; content: string }[] {
  const doc = parse(userData.replace(/^#cloud-config\n/, "")) as { write_files?: UserDataFile[] } | null;
  return (doc?.write_files ?? []).flatMap((file) => {
    if (typeof file.path !== "string" || typeof file.content !== "string" || !file.content.startsWith("#!")) return [];
    const base = file.path.split("/").pop() ?? "script";
    return [{ name: base.endsWith(".sh") ? base.slice(0, -3) : base, content: file.content }];
  });
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----\n?/g;

/** Every string of a parsed document through `redact`, so the placeholder is quoted where YAML needs it. */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item, redact)]));
  return value;
}

/**
 * Redacts every string of the document before it is written again: inside write_files contents
 * secrets appear verbatim (in the YAML text a multi-line PEM is indented and would slip past a
 * plain string match), and a secret plain scalar (the break-glass password hash) would otherwise
 * become `[secret]`, a YAML list. Any private key block that is still there is dropped as well.
 */
function redactUserData(userData: string, redact: (text: string) => string): string {
  const doc = parse(userData.replace(/^#cloud-config\n/, "")) as { write_files?: { content?: unknown }[] } | null;
  const files = (doc?.write_files ?? []).map((file) =>
    typeof file.content === "string" ? { ...file, content: redact(file.content).replace(PRIVATE_KEY, "[secret]\n") } : file,
  );
  const redacted = doc === null ? {} : redactStrings({ ...doc, ...(doc.write_files === undefined ? {} : { write_files: files }) }, redact);
  return redact(`#cloud-config\n${stringify(redacted, { lineWidth: 0 })}`);
}

export const renderVirtualMachine: Renderer = (resource: CapturedResource, redact): readonly RenderedFile[] => {
  const extra = resource.rawInputs["extraConfig"] as Record<string, unknown> | undefined;
  if (extra === undefined) return [];
  const vm = typeof resource.rawInputs["name"] === "string" ? resource.rawInputs["name"] : resource.name;
  const dir = `cloud-init/${vm}`;
  const files: RenderedFile[] = [];
  const userData = decode(extra["guestinfo.userdata"], extra["guestinfo.userdata.encoding"]);
  const metaText = decode(extra["guestinfo.metadata"], extra["guestinfo.metadata.encoding"]);
  if (metaText !== undefined) {
    const meta = (parse(metaText) ?? {}) as Record<string, unknown>;
    const { network, ...rest } = meta;
    files.push({ path: `${dir}/meta-data.yaml`, content: redact(stringify(rest, { lineWidth: 0 })) });
    if (network !== undefined) files.push({ path: `${dir}/network-config.yaml`, content: redact(stringify(network, { lineWidth: 0 })) });
  }
  if (userData !== undefined) {
    files.push({ path: `${dir}/user-data.yaml`, content: redactUserData(userData, redact) });
    for (const script of scripts(userData)) files.push({ path: `${dir}/scripts/${script.name}.sh`, content: redact(script.content) });
  }
  return files;
};
