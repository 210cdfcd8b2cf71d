/**
 * Generates `docs/config.md` from the config schema, so the reference cannot drift from what the
 * parser accepts, and `docs/strata.schema.json` (editors' completion, `tools/stack-schema.ts`).
 * `npm run docs:config` writes both; a test fails when either is stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { AppsConfig } from "../config/apps";
import { ClusterConfig } from "../config/cluster";
import { InfraConfig } from "../config/infra";
import { PlatformConfig } from "../config/platform";
import { STACK_SCHEMA, stackFileSchemaText } from "./stack-schema";

interface JsonSchema {
  readonly type?: string | string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
}

interface Row {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue: string;
  readonly description: string;
}

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(" \\| ");
  const base = Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
  if (base === "object" && typeof schema.additionalProperties === "object") return "map";
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < SAFE_MAX) bounds.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) bounds.push(`≤ ${schema.maxLength} chars`);
  return bounds.length > 0 ? `${base} (${bounds.join(", ")})` : base;
}

function rows(schema: JsonSchema, key: string, required: boolean): Row[] {
  const own: Row = {
    key,
    type: typeOf(schema),
    required,
    defaultValue: schema.default === undefined ? "" : `\`${JSON.stringify(schema.default)}\``,
    description: schema.description ?? "",
  };
  const children: Row[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) children.push(...rows(child, `${key}.${name}`, schema.required?.includes(name) ?? false));
  if (typeof schema.additionalProperties === "object") children.push(...rows(schema.additionalProperties, `${key}.<name>`, true));
  if (schema.items?.properties) children.push(...rows(schema.items, `${key}[]`, true));
  return [own, ...children];
}

function table(allRows: readonly Row[]): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| key | type | required | default | description |",
    "|---|---|---|---|---|",
    ...allRows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.required ? "yes" : ""} | ${r.defaultValue} | ${escape(r.description)} |`),
  ].join("\n");
}

function section(key: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  if (json.oneOf) {
    return json.oneOf
      .map((variant) => {
        const backend = variant.properties?.backend?.const;
        return `### \`${key}\` with \`backend: ${String(backend)}\`\n\n${table(rows(variant, key, true).slice(1))}`;
      })
      .join("\n\n");
  }
  const body = rows(json, key, false).slice(1);
  return `### \`${key}\`\n\n${body.length > 0 ? table(body) : "Nothing is configurable here yet."}`;
}

export function configReference(): string {
  return [
    "# strata configuration reference",
    "",
    "Generated from the config schema (`config/`) by `npm run docs:config`; do not edit by hand.",
    "Top-level keys (`strata:environment`, `strata:layers`, `strata:upstreamStack`, `strata:kubeconfig`) are described in the README.",
    "",
    section("strata:infra", InfraConfig),
    "",
    section("strata:cluster", ClusterConfig),
    "",
    section("strata:platform", PlatformConfig),
    "",
    section("strata:apps", AppsConfig),
    "",
  ].join("\n");
}

export const CONFIG_DOC = join(__dirname, "..", "docs", "config.md");

if (require.main === module) {
  writeFileSync(CONFIG_DOC, configReference());
  console.log(`wrote ${CONFIG_DOC}`);
  writeFileSync(STACK_SCHEMA, stackFileSchemaText());
  console.log(`wrote ${STACK_SCHEMA}`);
}
