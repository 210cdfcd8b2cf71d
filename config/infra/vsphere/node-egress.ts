/**
 * How nodes reach the outside: an optional HTTP(S) proxy (`strata:infra.vsphere.proxy`) for apt,
 * containerd and the kubelet, and registry mirrors (`strata:infra.vsphere.registryMirrors`) for
 * containerd. URLs are checked here; `infra/vsphere/node-egress.ts` renders them.
 */
import { z } from "zod";
import { strictObject } from "../../common";

/** A registry as image references name it: a DNS name or IPv4 address, optional port. */
const REGISTRY_HOST = /^(?=.{1,253}(:\d{1,5})?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

/**
 * Why `value` is not an http(s) URL of the kind `what` allows, or undefined. Credentials are
 * refused: the URL is plain config and lands in the nodes' files.
 */
function urlProblem(value: string, allowPath: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must use http:// or https:// (has ${url.protocol.slice(0, -1)})`;
  if (url.username !== "" || url.password !== "") return "must not carry credentials: it is plain config and is written to every node; allow the nodes by address on the proxy or registry instead";
  if (url.search !== "" || url.hash !== "") return "must not have a query or fragment";
  if (!allowPath && url.pathname !== "/") return "must be scheme://host[:port] without a path";
  if (/[\s"'\\]/.test(value)) return "must not contain spaces, quotes or backslashes";
  return undefined;
}

const url = (allowPath: boolean, example: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = urlProblem(value, allowPath);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: `${problem}; e.g. ${example}` });
  });

/** One `NO_PROXY` entry: a host, a `.domain` suffix, an address or a CIDR. */
const noProxyEntry = z
  .string()
  .regex(/^[A-Za-z0-9.*:/_-]+$/, { error: "must be a host name, .domain suffix, IP address or CIDR, without spaces or commas; e.g. .emis.local or 10.30.0.0/16" });

export const nodeProxy = strictObject({
  http: url(false, "http://proxy.emis.local:3128").optional().describe("Proxy for http:// requests (`HTTP_PROXY`, apt's `Acquire::http::Proxy`)."),
  https: url(false, "http://proxy.emis.local:3128").optional().describe("Proxy for https:// requests (`HTTPS_PROXY`, apt's `Acquire::https::Proxy`); usually the same http:// URL as `http`."),
  noProxy: z
    .array(noProxyEntry)
    .default([])
    .describe(
      "Destinations reached directly, added to what strata always puts in `NO_PROXY`: localhost, the pod and service CIDRs, every node network, `.svc`, `.<dnsDomain>`, the API endpoint's name and VIP, and vCenter.",
    ),
}).superRefine((proxy, ctx) => {
  if (proxy.http === undefined && proxy.https === undefined) {
    ctx.addIssue({ code: "custom", message: "sets neither http nor https; set at least one, e.g. {http: http://proxy.emis.local:3128, https: http://proxy.emis.local:3128}, or remove proxy" });
  }
});

export const registryMirrors = z
  .record(
    z.string().regex(REGISTRY_HOST, { error: "must be a registry host as image names carry it, e.g. docker.io, registry.k8s.io or harbor.emis.local:5000" }),
    url(true, "https://mirror.emis.local, or an API root such as https://harbor.emis.local/v2/dockerhub-proxy"),
  )
  .describe("Pull-through mirrors for containerd by registry host, e.g. `{docker.io: https://mirror.emis.local}`; containerd tries the mirror first, then the registry itself. A mirror URL with a path is its API root (containerd's `override_path`).");

export type NodeProxyConfig = z.infer<typeof nodeProxy>;
