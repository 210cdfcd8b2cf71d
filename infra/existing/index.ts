/**
 * The `existing` backend: a running cluster strata deploys onto. Nothing is created; the
 * component turns the config and the kubeconfig into the infra contract.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExistingInfraConfig } from "../../config/infra/existing";
import type { InfraOutputs } from "../../lib/contracts";
import { apiServerOf } from "./api-endpoint";
import { describedPools } from "./pools";

export interface ExistingClusterArgs {
  /** The validated `strata:infra` slice. */
  readonly config: ExistingInfraConfig;
  /** kubeconfig contents from the secret `strata:kubeconfig`. @default - the local kubeconfig */
  readonly kubeconfig?: pulumi.Output<string>;
}

export class ExistingCluster extends pulumi.ComponentResource {
  public readonly outputs: InfraOutputs;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:ExistingCluster", name, {}, opts);
    const { config } = args;
    const context = config.existing.context;
    const kubeconfig = args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig);
    const apiEndpoint =
      kubeconfig === undefined
        ? pulumi.output(`kubeconfig context ${context ?? "(current)"}`)
        : pulumi.unsecret(kubeconfig.apply((text) => apiServerOf(text, context)));

    this.outputs = {
      backend: "existing",
      clusterName: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { kubeContext: context }),
      apiEndpoint,
      nodePools: describedPools(config.existing),
      network: {
        podCidr: config.network.podCidr,
        serviceCidr: config.network.serviceCidr,
        dnsDomain: config.network.dnsDomain,
      },
      ready: pulumi.output(true),
    };
    this.registerOutputs({ apiEndpoint });
  }
}
