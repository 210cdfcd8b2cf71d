/**
 * `route.host`: a DNS name, and only that. A URL written in its place (`https://api.example.com/orders`)
 * is the common mistake; the message then says where its parts go.
 */
import { z } from "zod";
import { DNS_SUBDOMAIN } from "../common";

/** The fix for a URL-shaped host (scheme, path or port), or undefined when it is not one. */
export function urlHostHint(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:?#]*)(:\d+)?([/?#].*)?$/i.exec(value.trim());
  if (match === null) return undefined;
  const [, scheme, host, port, path] = match;
  if (scheme === undefined && port === undefined && path === undefined) return undefined;
  const parts = [scheme === undefined ? undefined : "a scheme", port === undefined ? undefined : "a port", path === undefined ? undefined : "a path"].filter((p) => p !== undefined);
  const pathFix = path === undefined || path === "/" ? "" : ` and put ${path.replace(/[?#].*$/, "")} in route.paths`;
  return `must be a host name only, without ${parts.join(" or ")}; write ${(host ?? "").toLowerCase()} here${pathFix} (the Gateway serves HTTPS on 443 itself)`;
}

/** A route's public host: an RFC 1123 subdomain, as `dnsSubdomain()`, with a pointed message for URLs. */
export function routeHost() {
  return z
    .string()
    .max(253, { error: "must be at most 253 characters" })
    .regex(DNS_SUBDOMAIN, { error: (issue) => urlHostHint(issue.input) ?? "must be a DNS name of lower-case labels separated by '.'" });
}
