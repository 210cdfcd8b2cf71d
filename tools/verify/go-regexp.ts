/**
 * Patterns in CRD schemas are Go RE2 expressions. Most read the same in JavaScript; the common
 * exception is a leading inline flag group such as `(?i)`, which becomes a RegExp flag here. A
 * pattern JavaScript still cannot compile is not checked rather than failing the whole schema.
 */
import type { RegExpEngine, RegExpLike } from "ajv/dist/types";

const LEADING_FLAGS = /^\(\?([ims]+)\)/;

class UncheckedPattern implements RegExpLike {
  public constructor(private readonly source: string) {}
  public test(): boolean {
    return true;
  }
  public toString(): string {
    return `unchecked:${this.source}`;
  }
}

function compileGoPattern(pattern: string, unicode: string): RegExpLike {
  const flags = LEADING_FLAGS.exec(pattern)?.[1] ?? "";
  const body = pattern.slice(flags === "" ? 0 : flags.length + 3);
  for (const candidate of [unicode + flags, flags]) {
    try {
      return new RegExp(body, candidate);
    } catch {
      // try the next flag set
    }
  }
  return new UncheckedPattern(pattern);
}

export const goRegExp: RegExpEngine = Object.assign(compileGoPattern, { code: "goRegExp" });
