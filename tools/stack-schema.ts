/**
 * JSON Schema of a strata stack file (`Pulumi.<stack>.yaml`), generated from the same zod schemas
 * the parser uses, so editors complete and check the `config:` block as it is typed. Written to
 * `docs/strata.schema.json` by `npm run docs:config`; stack files point at it with the YAML
 * language server's modeline (`# yaml-language-server: $schema=<path relative to the file>`,
 * https://github.com/redhat-developer/yaml-language-server#using-inlined-schema).
 *
 * Draft-07, the newest draft the YAML language server supports. Cross-field rules (checks) are
 * not expressible here: the plan still runs them.
 */
import { join } from "node:path";
import { z } from "zod";
import { AppsConfig } from "../config/apps";
import { ClusterConfig } from "../config/cluster";
import { InfraConfig } from "../config/infra";
import { PlatformConfig } from "../config/platform";
import { environment, layers, upstreamStack } from "../config/schema";

type Schema = Record<string, unknown>;

/** `pulumi config set --secret` stores `{ secure: v1:<ciphertext> }` in place of the value. */
const SECURE: Schema = {
  type: "object",
  properties: { secure: { type: "string", description: "Ciphertext written by `pulumi config set --secret`." } },
  required: ["secure"],
  additionalProperties: false,
};
const SECURE_REF = { $ref: "#/definitions/secure" };

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean"]);

function isScalar(node: Schema): boolean {
  if (node.enum !== undefined || node.const !== undefined) return true;
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  return types.length > 0 && types.every((t) => SCALAR_TYPES.has(String(t)));
}

const CHILD_MAPS = ["properties", "patternProperties", "definitions"] as const;
const CHILD_LISTS = ["anyOf", "oneOf", "allOf"] as const;

/**
 * Every scalar may also be a secure value: `--secret --path` encrypts one leaf of a structured key
 * (a backup target's access key, a receiver's routing key) and leaves its siblings in clear.
 */
export function allowSecureLeaves(node: Schema): Schema {
  if (isScalar(node)) {
    const { description, ...rest } = node;
    return { ...(description === undefined ? {} : { description }), anyOf: [rest, SECURE_REF] };
  }
  const out: Schema = { ...node };
  for (const key of CHILD_MAPS) {
    const children = node[key];
    if (children !== undefined && typeof children === "object") {
      out[key] = Object.fromEntries(Object.entries(children as Record<string, Schema>).map(([name, child]) => [name, allowSecureLeaves(child)]));
    }
  }
  for (const key of CHILD_LISTS) {
    const variants = node[key];
    if (Array.isArray(variants)) out[key] = (variants as Schema[]).map(allowSecureLeaves);
  }
  if (typeof node.additionalProperties === "object") out.additionalProperties = allowSecureLeaves(node.additionalProperties as Schema);
  if (typeof node.items === "object" && !Array.isArray(node.items)) out.items = allowSecureLeaves(node.items as Schema);
  return out;
}

function slice(schema: z.ZodType, description: string): Schema {
  const { $schema: _draft, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-7" }) as Schema;
  return { ...allowSecureLeaves(json), ...(json.description === undefined ? { description } : {}) };
}

function secretOnly(description: string): Schema {
  return { description: `${description} Secret: set it with \`pulumi config set --secret\`.`, $ref: "#/definitions/secure" };
}

/** The `strata:*` keys of the `config:` block, each with its schema. */
function strataKeys(): Record<string, Schema> {
  return {
    "strata:environment": slice(environment, "Decides safe defaults: in prod, stateful resources are protected."),
    "strata:layers": slice(layers, "Layers this stack owns, consecutive among infra, cluster, platform, apps."),
    "strata:upstreamStack": slice(upstreamStack, "Stack the contracts of the layers below come from; required when strata:layers does not start at infra."),
    "strata:kubeconfig": secretOnly("Kubeconfig of an existing cluster (backend: existing)."),
    "strata:vsphereCpiPassword": secretOnly("Password of the vSphere cloud provider's own vCenter account."),
    "strata:vsphereCsiPassword": secretOnly("Password of the vSphere CSI driver's own vCenter account."),
    "strata:vsphereMachineControllerPassword": secretOnly("Password of machine-controller's own vCenter account (autoscaled vSphere pools)."),
    "strata:vsphereBreakGlassPasswordHash": secretOnly("Hash of the break-glass console password of the vSphere nodes."),
    "strata:infra": slice(InfraConfig, "The infra layer: nodes (vSphere, EKS or an existing cluster)."),
    "strata:cluster": slice(ClusterConfig, "The cluster layer."),
    "strata:platform": slice(PlatformConfig, "The platform layer: one key per service."),
    "strata:apps": slice(AppsConfig, "The apps layer."),
  };
}

/** The whole stack file: the `config:` block is checked; other namespaces (`aws:`, `vsphere:`, …) are left to their providers. */
export function stackFileSchema(): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "strata stack file (Pulumi.<stack>.yaml)",
    description: "Generated from the config schema (`config/`) by `npm run docs:config`; do not edit by hand. Reference: docs/config.md.",
    type: "object",
    properties: {
      config: {
        type: "object",
        description: "Stack configuration; strata reads the strata:* keys.",
        properties: strataKeys(),
        patternProperties: { "^(?!strata:)": {} },
        additionalProperties: false,
      },
    },
    definitions: { secure: SECURE },
  };
}

export const STACK_SCHEMA = join(__dirname, "..", "docs", "strata.schema.json");

export function stackFileSchemaText(): string {
  return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}
