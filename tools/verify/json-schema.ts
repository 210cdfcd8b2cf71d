/**
 * JSON Schema validation with ajv, shared by the values.schema.json and CRD checks: picks the
 * draft a schema declares, registers the formats Kubernetes schemas use, and turns ajv errors
 * into readable problems.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { SECRET_PLACEHOLDER } from "../engine/plan-document";
import { goRegExp } from "./go-regexp";
import { childPath, pointerToPath, valueAtPointer } from "./key-path";

/** One thing wrong with a document: where (key path) and why. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export type SchemaDialect = "draft-07" | "2019-09" | "2020-12";

/** Go `time.Duration` strings (`90s`, `1h30m`), which is what `format: duration` means in Kubernetes schemas. */
const GO_DURATION = /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/;

/**
 * `$schema` picks the dialect; a missing or unversioned `$schema` (`http://json-schema.org/schema#`)
 * is read as draft-07, which is what Helm's validator accepts for the charts we pin.
 */
export function dialectOf(schema: Readonly<Record<string, unknown>>): SchemaDialect {
  const declared = typeof schema["$schema"] === "string" ? schema["$schema"] : "";
  if (declared.includes("2020-12")) {
    return "2020-12";
  }
  if (declared.includes("2019-09")) {
    return "2019-09";
  }
  return "draft-07";
}

function newAjv(dialect: SchemaDialect): Ajv {
  // strict: false lets unknown keywords (x-kubernetes-*, descriptions in odd places) through;
  // logger: false keeps unknown formats from printing warnings, they are simply not checked.
  const options = { strict: false, allErrors: true, logger: false as const, code: { regExp: goRegExp } };
  const ajv = dialect === "2020-12" ? new Ajv2020(options) : dialect === "2019-09" ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("byte", /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat("duration", GO_DURATION);
  return ajv;
}

/** Compiles a schema with the ajv matching its dialect. Throws with ajv's reason when the schema itself is invalid. */
export function compileSchema(schema: Readonly<Record<string, unknown>>): ValidateFunction {
  // The dialect is chosen here, so `$schema` is dropped: ajv rejects meta-schema URLs it has not
  // loaded (e.g. the https:// spelling of draft-07).
  const withoutMeta: Record<string, unknown> = { ...schema };
  delete withoutMeta["$schema"];
  return newAjv(dialectOf(schema)).compile(withoutMeta);
}

/**
 * Validates and reports problems. Errors on values that are the plan's secret placeholder are
 * dropped: the real value is unknown offline, so its type or format cannot be judged.
 */
export function schemaProblems(validate: ValidateFunction, document: unknown): Problem[] {
  return validate(document) ? [] : problemsFromErrors(validate.errors ?? [], document);
}

/** Readable problems from ajv errors about `document` (also used for validators compiled elsewhere). */
export function problemsFromErrors(ajvErrors: readonly ErrorObject[], document: unknown): Problem[] {
  const errors = ajvErrors.filter((error) => valueAtPointer(document, error.instancePath) !== SECRET_PLACEHOLDER);
  const problems = errors.filter((error) => !insideAlternative(error)).map((error) => describe(error, errors));
  return dedupe(problems);
}

/** Errors from inside one branch of anyOf/oneOf are summarised by the anyOf/oneOf error itself. */
function insideAlternative(error: ErrorObject): boolean {
  return /\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath);
}

function describe(error: ErrorObject, all: readonly ErrorObject[]): Problem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return { path: childPath(path, String(params["additionalProperty"])), message: "unknown field (not in the schema)" };
    case "unevaluatedProperties":
      return { path: childPath(path, String(params["unevaluatedProperty"])), message: "unknown field (not in the schema)" };
    case "required":
      return { path: childPath(path, String(params["missingProperty"])), message: "required field is missing" };
    case "enum":
      return { path, message: `must be one of ${JSON.stringify(params["allowedValues"])}` };
    case "anyOf":
    case "oneOf":
      return { path, message: alternativesMessage(error, all) };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** For int-or-string style alternatives, "must be integer or string" says more than "must match a schema in anyOf". */
function alternativesMessage(error: ErrorObject, all: readonly ErrorObject[]): string {
  const branchTypes = all
    .filter((other) => other.instancePath === error.instancePath && other.keyword === "type")
    .filter((other) => other.schemaPath.startsWith(`${error.schemaPath}/`))
    .map((other) => String((other.params as Record<string, unknown>)["type"]));
  if (branchTypes.length > 0) {
    return `must be ${[...new Set(branchTypes)].join(" or ")}`;
  }
  return `${error.message ?? "does not match"} (${error.keyword})`;
}

function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
