/**
 * Readiness gate: a dynamic resource whose create/update polls `https://<endpoint>/readyz` with the
 * admin client certificate until the API answers 200 and that certificate can read the
 * kube-system namespace, then until every declared Kubernetes node is registered and Ready
 * (`node-readiness.ts`), or the timeout passes (each wait has its own). The cluster layer
 * waits on its output. Preview never calls create/update, so nothing waits there; under mocks the
 * resource is mocked like any other and this provider code does not run.
 */
import * as pulumi from "@pulumi/pulumi";
import { type NodeItem, type NodeLister, type PodItem, type PodLister, pollUntilNodesUp, pollUntilPodsReady } from "./node-readiness";

export const READINESS_DEFAULTS = { timeoutSeconds: 1800 } as const;

export interface ApiReadinessArgs {
  /** Base URL of the API, e.g. `https://10.20.0.10:6443`. */
  readonly url: pulumi.Input<string>;
  /** Host name the API certificate is checked against (the endpoint's DNS name). */
  readonly serverName: pulumi.Input<string>;
  readonly caPem: pulumi.Input<string>;
  readonly certPem: pulumi.Input<string>;
  /** Admin client key; secret. */
  readonly keyPem: pulumi.Input<string>;
  /** Give up after this many seconds. @default 1800 */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Anything whose change should re-check readiness (e.g. node ids). @default [] */
  readonly triggers?: pulumi.Input<pulumi.Input<string>[]>;
  /** Kubernetes node names that must be registered and Ready. @default [] */
  readonly nodeNames?: readonly string[];
  /** kube-system pods (static pods' mirrors, e.g. `kube-apiserver-<node>`) that must be Ready. @default [] */
  readonly readyPods?: readonly string[];
}

interface ProbeInputs {
  readonly url: string;
  readonly serverName: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly timeoutSeconds: number;
  readonly triggers: string[];
  readonly nodeNames: string[];
  readonly readyPods: string[];
}

/** What the resource keeps in its outputs: no client key or certificate. */
type ProbeOutputs = Omit<ProbeInputs, "keyPem" | "certPem"> & { ready: boolean };

/** What the admin client must be allowed to read: proves the credentials work, not only the anonymous /readyz. */
export const ADMIN_PROBE_PATH = "/api/v1/namespaces/kube-system";

/** One GET with the admin client certificate: the HTTP status, or the error text. */
export type Getter = (path: string) => Promise<number | string>;

/**
 * Polls until /readyz answers 200 and the admin credentials can read the kube-system namespace,
 * or the timeout passes. Self-contained: dynamic providers are serialised as closures.
 */
export async function pollUntilReady(
  base: string,
  timeoutSeconds: number,
  get: Getter,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = Date.now,
): Promise<void> {
  const deadline = now() + timeoutSeconds * 1000;
  let last = "no answer yet";
  for (;;) {
    const ready = await get("/readyz");
    if (ready === 200) {
      const admin = await get(ADMIN_PROBE_PATH);
      if (admin === 200) return;
      last = `/readyz answered 200 but the admin credentials got ${typeof admin === "number" ? `HTTP ${admin}` : admin} on ${ADMIN_PROBE_PATH}`;
    } else {
      last = `/readyz: ${typeof ready === "number" ? `HTTP ${ready}` : ready}`;
    }
    if (now() >= deadline) {
      throw new Error(
        `the Kubernetes API at ${base} was not ready for the admin client after ${timeoutSeconds}s (last answer: ${last}); ` +
          "check the control-plane VMs' consoles and /var/log/cloud-init-output.log, then run `pulumi up` again",
      );
    }
    await pause(10_000);
  }
}

async function waitForReadyz(inputs: ProbeInputs): Promise<{ id: string; outs: ProbeOutputs }> {
  const https = process.getBuiltinModule("node:https");
  const base = inputs.url.replace(/\/$/, "");
  const get: Getter = (path) =>
    new Promise<number | string>((resolve) => {
      const request = https.get(`${base}${path}`, { ca: inputs.caPem, cert: inputs.certPem, key: inputs.keyPem, servername: inputs.serverName, timeout: 10_000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("timeout", () => request.destroy(new Error("request timed out after 10s")));
      request.on("error", (error) => resolve(error.message));
    });
  await pollUntilReady(base, inputs.timeoutSeconds, get);
  const list: NodeLister = () =>
    new Promise((resolve) => {
      const request = https.get(`${base}/api/v1/nodes`, { ca: inputs.caPem, cert: inputs.certPem, key: inputs.keyPem, servername: inputs.serverName, timeout: 10_000 }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          if (response.statusCode !== 200) return resolve(`HTTP ${String(response.statusCode)} on /api/v1/nodes`);
          try {
            resolve((JSON.parse(body) as { items: NodeItem[] }).items);
          } catch (error) {
            resolve(`unreadable node list: ${(error as Error).message}`);
          }
        });
      });
      request.on("timeout", () => request.destroy(new Error("request timed out after 10s")));
      request.on("error", (error) => resolve(error.message));
    });
  await pollUntilNodesUp(inputs.nodeNames, inputs.timeoutSeconds, list);
  if ((inputs.readyPods ?? []).length > 0) {
    const pods: PodLister = () =>
      new Promise((resolve) => {
        const url = `${base}/api/v1/namespaces/kube-system/pods?labelSelector=tier%3Dcontrol-plane`;
        const request = https.get(url, { ca: inputs.caPem, cert: inputs.certPem, key: inputs.keyPem, servername: inputs.serverName, timeout: 10_000 }, (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (body += chunk));
          response.on("end", () => {
            if (response.statusCode !== 200) return resolve(`HTTP ${String(response.statusCode)} on kube-system pods`);
            try {
              resolve((JSON.parse(body) as { items: PodItem[] }).items);
            } catch (error) {
              resolve(`unreadable pod list: ${(error as Error).message}`);
            }
          });
        });
        request.on("timeout", () => request.destroy(new Error("request timed out after 10s")));
        request.on("error", (error) => resolve(error.message));
      });
    await pollUntilPodsReady(inputs.readyPods, inputs.timeoutSeconds, pods);
  }
  const { keyPem: _key, certPem: _cert, ...kept } = inputs;
  return { id: `${base}/readyz`, outs: { ...kept, ready: true } };
}

const readinessProvider: pulumi.dynamic.ResourceProvider<ProbeInputs, ProbeOutputs> = {
  create: (inputs) => waitForReadyz(inputs),
  update: async (_id, _olds, news) => ({ outs: (await waitForReadyz(news)).outs }),
  diff: (_id, olds, news) =>
    Promise.resolve({
      changes:
        olds.url !== news.url ||
        olds.caPem !== news.caPem ||
        JSON.stringify(olds.triggers) !== JSON.stringify(news.triggers) ||
        JSON.stringify(olds.nodeNames ?? []) !== JSON.stringify(news.nodeNames) ||
        JSON.stringify(olds.readyPods ?? []) !== JSON.stringify(news.readyPods),
      replaces: [],
      deleteBeforeReplace: false,
    }),
};

export class ApiReadiness extends pulumi.dynamic.Resource {
  /** True once the API answered /readyz. */
  public declare readonly ready: pulumi.Output<boolean>;

  constructor(name: string, args: ApiReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      readinessProvider,
      name,
      { ...args, keyPem: pulumi.secret(args.keyPem), timeoutSeconds: args.timeoutSeconds ?? READINESS_DEFAULTS.timeoutSeconds, triggers: args.triggers ?? [], nodeNames: [...(args.nodeNames ?? [])], readyPods: [...(args.readyPods ?? [])], ready: undefined },
      opts,
      "strata",
      "ApiReadiness",
    );
  }
}
