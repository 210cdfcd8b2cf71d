/**
 * Runs the cluster layer under Pulumi mocks and records every resource: type, name, resolved
 * inputs, provider, parent and explicit `dependsOn` (as resource names).
 */
import * as pulumi from "@pulumi/pulumi";
import { buildCluster } from "../../cluster";
import type { ClusterConfig } from "../../config/cluster";
import type { ClusterOutputs, InfraOutputs } from "../../lib/contracts";

export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  inputs: Record<string, unknown>;
  readonly parent?: string;
  readonly provider?: string;
  readonly dependsOn: readonly string[];
}

export interface Run {
  readonly resources: readonly Recorded[];
  readonly outputs: ClusterOutputs;
  byType(type: string): Recorded[];
  one(type: string, name: string): Recorded;
}

class Root extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("strata:test:Root", name, {}, opts);
  }
}

export async function runCluster(config: ClusterConfig, infra: InfraOutputs): Promise<Run> {
  const names = new Map<pulumi.Resource, string>();
  const registered: pulumi.Resource[] = [];
  const records: Recorded[] = [];
  const resolved = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resolved.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
        const state: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>) };
        if (args.type === "tls:index/privateKey:PrivateKey") state["privateKeyPem"] = "mock-secret-private-key";
        if (args.type === "tls:index/selfSignedCert:SelfSignedCert") state["certPem"] = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "strata",
    infra.clusterName,
    false,
  );
  const record: pulumi.ResourceTransformation = (args) => {
    names.set(args.resource, args.name);
    registered.push(args.resource);
    const opts = args.opts as pulumi.CustomResourceOptions;
    const deps = Array.isArray(opts.dependsOn) ? opts.dependsOn : opts.dependsOn ? [opts.dependsOn] : [];
    const provider = opts.provider;
    const parent = opts.parent;
    records.push({
      type: args.type,
      name: args.name,
      custom: args.resource instanceof pulumi.CustomResource,
      inputs: {},
      ...(parent ? { parent: names.get(parent) ?? "?" } : {}),
      ...(provider ? { provider: names.get(provider) ?? "?" } : {}),
      dependsOn: deps.map((dep) => (pulumi.Resource.isInstance(dep) ? (names.get(dep) ?? "?") : "<output>")),
    });
    return undefined;
  };
  const root = new Root(`root-${infra.clusterName}`, { transformations: [record] });
  const outputs = buildCluster(config, infra, { protectStatefulResources: false }, { parent: root });
  // Every registration has finished once every URN resolves (components included).
  await Promise.all(registered.map((resource) => promiseOf(resource.urn)));
  for (const r of records) r.inputs = resolved.get(`${r.type}::${r.name}`) ?? {};
  return {
    resources: records,
    outputs,
    byType: (type) => records.filter((r) => r.type === type),
    one: (type, name) => {
      const found = records.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}; have ${records.filter((r) => r.type === type).map((r) => r.name).join(", ")}`);
      return found;
    },
  };
}

/** Resolves an Output in a test without `done` callbacks. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => { resolve(value); return value; }));
}
