/** Reads the `strata:*` keys from the Pulumi stack config and validates them. */
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, STRATA_KEYS, type StrataConfig } from "./schema";

export interface LoadedConfig {
  readonly config: StrataConfig;
  /** `strata:kubeconfig`, read as a secret; only the `existing` backend uses it. */
  readonly kubeconfig?: pulumi.Output<string>;
}

export function loadConfig(): LoadedConfig {
  const cfg = new pulumi.Config("strata");
  const known = new Set<string>(STRATA_KEYS.map((key) => `strata:${key}`));
  const unknownKeys = Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith("strata:") && !known.has(key));
  const kubeconfig = cfg.getSecret("kubeconfig");
  const config = parseConfig({
    environment: cfg.get("environment"),
    layers: cfg.getObject("layers"),
    upstreamStack: cfg.get("upstreamStack"),
    infra: cfg.getObject("infra"),
    cluster: cfg.getObject("cluster"),
    platform: cfg.getObject("platform"),
    apps: cfg.getObject("apps"),
    awsRegion: new pulumi.Config("aws").get("region"),
    hasKubeconfig: kubeconfig !== undefined,
    unknownKeys,
  });
  return kubeconfig === undefined ? { config } : { config, kubeconfig };
}
