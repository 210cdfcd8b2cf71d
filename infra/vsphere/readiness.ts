/**
 * Readiness gate: a dynamic resource whose create/update polls `https://<endpoint>/readyz` with the
 * admin client certificate until the API answers 200 or the timeout passes. The cluster layer
 * waits on its output. Preview never calls create/update, so nothing waits there; under mocks the
 * resource is mocked like any other and this provider code does not run.
 */
import * as pulumi from "@pulumi/pulumi";

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
}

interface ProbeInputs {
  readonly url: string;
  readonly serverName: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly timeoutSeconds: number;
  readonly triggers: string[];
}

/** What the resource keeps in its outputs: no client key or certificate. */
type ProbeOutputs = Omit<ProbeInputs, "keyPem" | "certPem"> & { ready: boolean };

/** Polls until /readyz answers 200. Self-contained: dynamic providers are serialised as closures. */
async function waitForReadyz(inputs: ProbeInputs): Promise<{ id: string; outs: ProbeOutputs }> {
  const https = process.getBuiltinModule("node:https");
  const deadline = Date.now() + inputs.timeoutSeconds * 1000;
  const target = `${inputs.url.replace(/\/$/, "")}/readyz`;
  let last = "no answer yet";
  for (;;) {
    const status = await new Promise<number | string>((resolve) => {
      const request = https.get(target, { ca: inputs.caPem, cert: inputs.certPem, key: inputs.keyPem, servername: inputs.serverName, timeout: 10_000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("timeout", () => request.destroy(new Error("request timed out after 10s")));
      request.on("error", (error) => resolve(error.message));
    });
    if (status === 200) {
      const { keyPem: _key, certPem: _cert, ...kept } = inputs;
      return { id: target, outs: { ...kept, ready: true } };
    }
    last = typeof status === "number" ? `HTTP ${status}` : status;
    if (Date.now() >= deadline) {
      throw new Error(
        `the Kubernetes API at ${target} was not ready after ${inputs.timeoutSeconds}s (last answer: ${last}); ` +
          "check the control-plane VMs' consoles and /var/log/cloud-init-output.log, then run `pulumi up` again",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

const readinessProvider: pulumi.dynamic.ResourceProvider<ProbeInputs, ProbeOutputs> = {
  create: (inputs) => waitForReadyz(inputs),
  update: async (_id, _olds, news) => ({ outs: (await waitForReadyz(news)).outs }),
  diff: (_id, olds, news) =>
    Promise.resolve({
      changes: olds.url !== news.url || olds.caPem !== news.caPem || JSON.stringify(olds.triggers) !== JSON.stringify(news.triggers),
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
      { ...args, keyPem: pulumi.secret(args.keyPem), timeoutSeconds: args.timeoutSeconds ?? READINESS_DEFAULTS.timeoutSeconds, triggers: args.triggers ?? [], ready: undefined },
      opts,
      "strata",
      "ApiReadiness",
    );
  }
}
