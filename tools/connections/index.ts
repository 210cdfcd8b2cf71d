/**
 * The connection check as a library: every path the plan needs (declared by components, implied
 * by routes and monitors) proven over the whole plan, and route attachments checked. Used by
 * `npm run verify` (a broken connection is an error) and `npm run plan` (the table).
 */
import type { PlanDocument } from "../engine/plan-document";
import { attachmentResults, ruleResults } from "./attachments";
import { CHECKS, checkConnections, failed, type ConnectionResult, type Verdict } from "./check";
import { needsOf } from "./derive";
import { worldOf } from "./world";

export type { CheckName, ConnectionResult, Verdict } from "./check";
export { CHECKS, failed } from "./check";

export async function proveConnections(plan: PlanDocument): Promise<ConnectionResult[]> {
  const world = worldOf(plan);
  return [...(await checkConnections(world, needsOf(world), plan)), ...attachmentResults(world), ...ruleResults(world)];
}

/** One message per broken check, naming both ends and the missing piece. */
export function brokenConnections(results: readonly ConnectionResult[]): { connection: string; message: string }[] {
  return results.flatMap((r) =>
    CHECKS.flatMap((check) => {
      const verdict = r.checks[check];
      return failed(verdict) ? [{ connection: `${r.source} → ${r.destination}`, message: `${check}: ${verdict.missing} (${r.purpose}; from ${r.origin})` }] : [];
    }),
  );
}

const mark = (v: Verdict): string => ("na" in v ? "-" : v.ok ? "✓" : "✗");

/** The connection table: one row per connection, one column per check (✓ proven, ✗ broken, - not applicable). */
export function formatConnectionTable(results: readonly ConnectionResult[]): string {
  const rows = results.map((r) => [r.source, r.destination, r.purpose, ...CHECKS.map((c) => mark(r.checks[c]))]);
  const header = ["source", "destination", "purpose", ...CHECKS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const broken = results.filter((r) => CHECKS.some((c) => failed(r.checks[c]))).length;
  return [line(header), ...rows.map(line), `${results.length} connection(s), ${broken} broken`].join("\n");
}
