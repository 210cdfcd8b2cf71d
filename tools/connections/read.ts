/** Reading plan inputs, which are untyped JSON: an object, a list, a string or a label map, else empty. */
import type { Labels } from "../netpol/evaluate";

export type Obj = Readonly<Record<string, unknown>>;
export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const labelsOf = (v: unknown): Labels => Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === "string"));
