/**
 * A custom resource validates against the openAPIV3Schema of the CRD version it names. A CR whose
 * CRD is not in the reference data is a warning: it was not checked, which must be visible.
 */
import type { ValidateFunction } from "ajv";
import { type Crd, type CrdIndex, type CrdVersion, crdKey } from "./crds";
import type { Finding } from "./findings";
import { compileSchema, schemaProblems } from "./json-schema";

const compiled = new WeakMap<CrdVersion, ValidateFunction | Error>();

export function customResourceFindings(
  resource: string,
  object: Readonly<Record<string, unknown>>,
  group: string,
  version: string,
  kind: string,
  crds: CrdIndex,
): Finding[] {
  const finding = (severity: Finding["severity"], path: string, message: string): Finding => ({ severity, check: "custom-resource", resource, path, message });
  const crd = crds.get(crdKey(group, kind));
  if (crd === undefined) {
    return [finding("warning", "", `not checked: no CRD for ${kind} (${group}) in the chart reference data`)];
  }
  const served = crd.versions.filter((candidate) => candidate.served);
  const match = served.find((candidate) => candidate.name === version);
  if (match === undefined) {
    const names = served.map((candidate) => candidate.name).join(", ") || "none";
    return [finding("error", "apiVersion", `${group}/${version} is not served by the ${kind} CRD (${crd.file}); served versions: ${names}`)];
  }
  const validate = compiledFor(match);
  if (validate === undefined) {
    return [finding("warning", "", `not checked: the ${kind} CRD (${crd.file}) has no schema for ${version}`)];
  }
  if (validate instanceof Error) {
    return [finding("warning", "", `not checked: the ${kind} CRD schema (${crd.file}) does not compile: ${validate.message}`)];
  }
  return schemaProblems(validate, object).map((problem) => finding("error", problem.path, `${problem.message} (${describeCrd(crd, version)})`));
}

function describeCrd(crd: Crd, version: string): string {
  return `CRD ${crd.kind} ${version}, ${crd.file}`;
}

function compiledFor(version: CrdVersion): ValidateFunction | Error | undefined {
  if (version.schema === undefined) {
    return undefined;
  }
  let entry = compiled.get(version);
  if (entry === undefined) {
    try {
      entry = compileSchema(version.schema);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    compiled.set(version, entry);
  }
  return entry;
}
