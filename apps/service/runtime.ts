/**
 * What an `AppService` declares for the run-time keys: the autoscaler (HPA, or a KEDA
 * ScaledObject with custom metrics), the AWS identity on EKS and the object-store variables.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStoreField } from "../../config/apps/runtime";
import { customMetricKey } from "../../config/apps/runtime-checks";
import type { AppServiceSpec } from "../../config/apps/service";
import type { ObjectStore } from "../../lib/contracts";
import { autoscalerManifest } from "./autoscaler";
import { AppCloudIdentity, type RdsUser } from "./cloud-identity";
import { hostPortOf, objectStoreValue } from "./object-store";
import type { QueueTrigger } from "./queue-scaling";
import { scaledObjectManifest } from "./scaled-object";

/** The platform and infra facts the run-time keys need; each is absent when the app does not use it. */
export interface AppRuntimeArgs {
  /** The platform's object store and the name of the apps' bucket, for `uses: objectStore`. */
  readonly objectStore?: { readonly store: ObjectStore; readonly bucket: pulumi.Output<string> };
  /**
   * KEDA's namespace and release (CRDs), for custom-metric or queue scaling; Prometheus' in-cluster
   * query URL where the app scales on its request metrics.
   */
  readonly keda?: { readonly namespace: string; readonly prometheusAddress?: pulumi.Output<string>; readonly release?: pulumi.Resource };
  /** EKS: cluster name, region, account and cluster ARN (the role's trust), and the apps' bucket with its key, for `awsAccess` or the EKS object store. */
  readonly eks?: {
    readonly clusterName: string;
    readonly region: string;
    readonly accountId: pulumi.Output<string>;
    readonly clusterArn: pulumi.Output<string>;
    readonly bucket?: { readonly arn: pulumi.Output<string>; readonly keyArn: pulumi.Output<string> } };
  /** EKS: database users of the external RDS services the app reaches with IAM authentication (`strata:apps.external.<name>.iamAuth`). @default [] */
  readonly rdsUsers?: readonly RdsUser[];
}

type Labels = Readonly<Record<string, string>>;
type Child = { readonly parent: pulumi.Resource; readonly provider: k8s.Provider };

/** The value of `objectStore.<field>`; a secret output. */
export function objectStoreEnv(runtime: AppRuntimeArgs, field: ObjectStoreField): pulumi.Output<string> {
  const os = runtime.objectStore;
  if (os === undefined) throw new Error("objectStore is not in uses");
  const { store } = os;
  const creds = store.credentials;
  const keys: pulumi.Output<{ accessKey?: string; secretKey?: string }> =
    creds === undefined ? pulumi.output({}) : pulumi.all([creds.accessKeyId, creds.secretAccessKey]).apply(([accessKey, secretKey]) => ({ accessKey, secretKey }));
  return pulumi.all([store.endpoint, os.bucket, keys]).apply(([endpoint, bucket, k]) => objectStoreValue({ endpoint, bucket, region: store.region, ...k }, field));
}

/**
 * The HPA, or the ScaledObject (KEDA owns the HPA) when the spec scales on custom metrics or, for
 * a worker, on a broker (`queueTriggers`, from `declareQueueScaling`).
 */
export function declareAutoscaler(
  name: string,
  base: { readonly name: string; readonly namespace: string; readonly labels: Labels },
  spec: AppServiceSpec,
  runtime: AppRuntimeArgs,
  child: Child,
  queueTriggers?: pulumi.Output<readonly QueueTrigger[]>,
): void {
  const scaling = spec.autoscaling;
  if (scaling === undefined) return;
  if (customMetricKey(spec) === undefined && queueTriggers === undefined) {
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-autoscaler`, autoscalerManifest({ ...base, scaling }), child);
    return;
  }
  const keda = runtime.keda;
  if (keda === undefined) throw new Error(`AppService ${name}: custom-metric or queue scaling without KEDA`);
  const spec$ = pulumi
    .all([keda.prometheusAddress ?? pulumi.output(undefined), queueTriggers ?? pulumi.output([])])
    .apply(([prometheusAddress, triggers]) => scaledObjectManifest({ ...base, scaling, ...(prometheusAddress === undefined ? {} : { prometheusAddress }), queueTriggers: triggers }).spec);
  const manifest = scaledObjectManifest({ ...base, scaling: { ...scaling, requestsPerSecond: undefined, latencyMs: undefined } });
  new k8s.apiextensions.CustomResource(
    `${name}-scaled-object`,
    { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: manifest.metadata, spec: spec$ },
    { ...child, ...(keda.release === undefined ? {} : { dependsOn: [keda.release] }) },
  );
}

/** The app's IAM role and Pod Identity association on EKS, when it asks for AWS access or uses the EKS object store. */
export function declareCloudIdentity(name: string, namespace: string, spec: AppServiceSpec, runtime: AppRuntimeArgs, parent: pulumi.Resource): AppCloudIdentity | undefined {
  const eks = runtime.eks;
  const bucket = runtime.objectStore !== undefined && runtime.objectStore.store.credentials === undefined ? eks?.bucket : undefined;
  const rdsUsers = runtime.rdsUsers ?? [];
  if (eks === undefined || (spec.awsAccess === undefined && bucket === undefined && rdsUsers.length === 0)) return undefined;
  return new AppCloudIdentity(
    `${name}-aws`,
    {
      clusterName: eks.clusterName,
      accountId: eks.accountId,
      clusterArn: eks.clusterArn,
      namespace,
      serviceAccount: name,
      ...(spec.awsAccess === undefined ? {} : { access: spec.awsAccess }),
      ...(bucket === undefined ? {} : { bucket: { ...bucket, region: eks.region } }),
      ...(rdsUsers.length === 0 ? {} : { rdsUsers }),
    },
    { parent },
  );
}

/**
 * Where an in-cluster object store (SeaweedFS: it hands out static keys) serves S3, for the
 * NetworkPolicies at both ends: its namespace and the port of its endpoint URL. None for S3
 * outside the cluster (EKS), which the apps reach through `egress.ts`.
 */
export function inClusterStore(store: ObjectStore | undefined): { readonly namespace: string; readonly ports: readonly pulumi.Output<number>[] }[] {
  if (store?.credentials === undefined) return [];
  return [{ namespace: store.credentials.namespace, ports: [store.endpoint.apply((url) => Number(hostPortOf(url).split(":")[1]))] }];
}
