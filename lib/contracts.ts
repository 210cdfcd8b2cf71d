/**
 * The four layer contracts. Each layer's `index.ts` takes its config slice plus the previous
 * layer's contract and returns its own; nothing reaches into another layer's internals.
 *
 * Structural facts (backend, pools, namespace names) are plain values so a downstream layer can
 * decide which resources to declare. Anything produced by a resource, and every secret, is a
 * `pulumi.Output`. A contract read back from another stack (`lib/stack-reference.ts`) has the
 * same shape, so a layer never knows whether its input came from this program or a reference.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export const LAYERS = ["infra", "cluster", "platform", "apps"] as const;
export type Layer = (typeof LAYERS)[number];

export const BACKENDS = ["vsphere", "eks", "existing"] as const;
export type Backend = (typeof BACKENDS)[number];

export const POOL_ROLES = ["control-plane", "system", "worker", "storage", "database", "load-balancer"] as const;
/** What a node pool is for; the scheduling helper and the data services place pods by role. */
export type PoolRole = (typeof POOL_ROLES)[number];

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: (typeof TAINT_EFFECTS)[number];
}

/** A group of identical nodes. Capacity is per node so schedulers and quotas can be sized from it. */
export interface NodePool {
  readonly name: string;
  readonly role: PoolRole;
  /** Nodes in the pool now (the desired size on autoscaled backends). */
  readonly count: number;
  /** Upper bound the autoscaler may grow the pool to; equals `count` where scaling is manual. */
  readonly maxCount: number;
  readonly cpuCores: number;
  readonly memoryGi: number;
  /** Kubernetes node labels the kubelet or node group registers. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Per-node IPv4 addresses where the backend assigns them statically (vSphere); empty otherwise. */
  readonly addresses: readonly string[];
}

export interface ClusterNetwork {
  /** Pod CIDR the CNI allocates from; absent where the cloud CNI uses VPC addresses. */
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  readonly dnsDomain: string;
  /** VPC or node network CIDR. */
  readonly nodeCidr?: string;
  /** Port the API server listens on at the control-plane addresses (kubeadm `bindPort`); absent where the backend fixes it (EKS: 443). */
  readonly apiServerPort?: number;
}

/** What the EKS backend hands to later layers (IRSA/Pod Identity, load balancers, Karpenter). */
export interface EksExtras {
  readonly region: string;
  readonly accountId: pulumi.Output<string>;
  /** ARN of the EKS cluster; Pod Identity trusts name it (the `eks-cluster-arn` session tag). */
  readonly clusterArn: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly nodeRoleName: pulumi.Output<string>;
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  /** Object storage buckets by purpose (e.g. `objects`, `backups`). */
  readonly buckets: Readonly<Record<string, { readonly name: pulumi.Output<string>; readonly arn: pulumi.Output<string> }>>;
  /**
   * IAM roles bound through EKS Pod Identity, by controller (`ebsCsi`, `loadBalancerController`,
   * `karpenter`, `velero`): the cluster layer installs each under this namespace/service account.
   */
  readonly podIdentities: Readonly<Record<string, PodIdentityBinding>>;
  /**
   * IAM roles assumed through IRSA (the OIDC provider), by workload (`postgresBackups`), for
   * software without Pod Identity support; the platform layer annotates the service account.
   */
  readonly irsaRoles?: Readonly<Record<string, PodIdentityBinding>>;
  /** What the Karpenter Helm release needs; absent when Karpenter is off. */
  readonly karpenter?: {
    /** SQS queue receiving interruption events (`settings.interruptionQueue`). */
    readonly interruptionQueueName: pulumi.Output<string>;
    /** IAM role of the nodes Karpenter launches (`EC2NodeClass.spec.role`). */
    readonly nodeRoleName: pulumi.Output<string>;
  };
}

/** A Kubernetes service account that assumes an IAM role through EKS Pod Identity. */
export interface PodIdentityBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: pulumi.Output<string>;
}

/** A vCenter login handed to an in-cluster service. */
export interface VsphereAccount {
  readonly username: pulumi.Output<string>;
  /** Always secret. */
  readonly password: pulumi.Output<string>;
}

/** What the vSphere backend hands to later layers (CSI/CPI, MetalLB, the LB nodes). */
export interface VsphereExtras {
  readonly vcenterServer: string;
  readonly datacenter: string;
  readonly insecure: boolean;
  /**
   * SHA-1 fingerprint of vCenter's certificate (`AA:BB:…`): the cloud provider and the CSI driver
   * trust exactly that certificate, e.g. one signed by vCenter's own CA. @default - absent: trust the images' CAs
   */
  readonly thumbprint?: string;
  /**
   * PEM bundle of the CA(s) that sign vCenter's certificate (usually its VMCA root): the cloud
   * provider's `caFile` and the CSI driver's `ca-file`. Public, not a secret. @default - absent
   */
  readonly caBundle?: string;
  /** vCenter account of the cloud provider (read-only; the provisioning account only outside prod). */
  readonly cpi: VsphereAccount;
  /** vCenter account of the CSI driver (CNS roles; the provisioning account only outside prod). */
  readonly csi: VsphereAccount;
  /** Floating address of the API server (HAProxy/keepalived or kube-vip). */
  readonly apiVip: string;
  /**
   * Address the load-balancer nodes forward 80/443 to: the Gateway's MetalLB address. The
   * cluster layer gives the shared Gateway exactly this address.
   */
  readonly ingressAddress?: string;
  /** Storage policy names the CSI storage classes bind to, by purpose. */
  readonly storagePolicies: Readonly<Record<string, string>>;
  /**
   * Storage-node data disks by purpose: the pools that carry them and the mount paths every node
   * of those pools has. The cluster layer publishes a local storage class per purpose on them.
   * @default - absent: no pool has purposed data disks
   */
  readonly dataDisks?: Readonly<Partial<Record<DataDiskPurpose, DataDiskSet>>>;
  /**
   * Worker pools whose VMs machine-controller creates and cluster-autoscaler sizes
   * (docs/adr/0001-vsphere-autoscaled-pools.md). @default - absent: every pool is Pulumi's
   */
  readonly autoscaledPools?: readonly AutoscaledVspherePool[];
  /**
   * vCenter account machine-controller clones, configures and deletes the autoscaled pools' VMs
   * with (its own; the provisioning account only outside prod). @default - absent: no pool autoscales
   */
  readonly machineController?: VsphereAccount;
}

/** Everything a MachineDeployment needs to make VMs like the ones Pulumi makes for a pool. */
export interface AutoscaledVspherePool {
  readonly pool: string;
  readonly min: number;
  readonly max: number;
  /** Template VM the machines are cloned from (the stack's `vsphere.template`). */
  readonly template: string;
  readonly computeCluster: string;
  /** Resource pool path. @default - absent: the compute cluster's root pool */
  readonly resourcePool?: string;
  /** The cluster's VM folder, as a path under the datacenter's `vm` folder. */
  readonly folder: string;
  /** Datastore of the pool's OS-disk tier. */
  readonly datastore: string;
  readonly portGroup: string;
  readonly cpus: number;
  readonly memoryGi: number;
  readonly osDiskGi: number;
  /** Keep the machines on different ESXi hosts (machine-controller's soft DRS rule per MachineSet). */
  readonly antiAffinity: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** SSH keys of the admin user, as on Pulumi's nodes. */
  readonly sshAuthorizedKeys: readonly string[];
}

export const DATA_DISK_PURPOSES = ["object", "object-fast"] as const;
/** What a storage node's data disk holds: object-store bulk data (HDD) or its metadata/index (SSD). */
export type DataDiskPurpose = (typeof DATA_DISK_PURPOSES)[number];

/** Data disks of one purpose across the storage pools. */
export interface DataDiskSet {
  /** Pools whose nodes carry these disks. */
  readonly pools: readonly string[];
  /** Mount paths present on every node of those pools. */
  readonly paths: readonly string[];
}

export interface InfraOutputs {
  readonly backend: Backend;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /**
   * Admin kubeconfig contents; always secret. Absent when the cluster is reached through a
   * context of the local kubeconfig (`kubeContext`) instead.
   */
  readonly kubeconfig?: pulumi.Output<string>;
  /** kubeconfig context to select, in `kubeconfig` or in the local kubeconfig. */
  readonly kubeContext?: string;
  readonly apiEndpoint: pulumi.Output<string>;
  readonly nodePools: readonly NodePool[];
  readonly network: ClusterNetwork;
  readonly eks?: EksExtras;
  readonly vsphere?: VsphereExtras;
  /** Resolves once the API server answers; the cluster layer waits on it before declaring anything. */
  readonly ready: pulumi.Output<boolean>;
  /**
   * The readiness gate as resources: when present, the cluster layer's Kubernetes provider is
   * ordered after them (`dependsOn`) instead of waiting on `ready`'s value, so its config stays
   * known at preview while a VM is replaced. @default - wait on `ready`
   */
  readonly readyGate?: readonly pulumi.Resource[];
  /**
   * Identity of the cluster the kubeconfig reaches (the Kubernetes provider's `clusterIdentifier`):
   * the provider is replaced only when it changes, not when the kubeconfig's credentials do.
   * @default - none: the provider compares the kubeconfig's active cluster
   */
  readonly clusterIdentifier?: pulumi.Output<string>;
}

export const NAMESPACE_PURPOSES = ["gateway", "operators", "data", "monitoring", "backup"] as const;
/** Platform namespaces strata owns, by what runs there. App namespaces are listed separately. */
export type NamespacePurpose = (typeof NAMESPACE_PURPOSES)[number];

/**
 * Storage classes by what they hold. `object` and `object-fast` are node-local volumes on the
 * storage nodes' data disks (vSphere): object-store bulk data and its metadata/index. Backends
 * without such disks leave them out; consumers fall back to `default`.
 */
export const STORAGE_PURPOSES = ["default", "database", "database-io2", "local", "object", "object-fast"] as const;
export type StoragePurpose = (typeof STORAGE_PURPOSES)[number];

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  /** The environment's base domain; apps attach hostnames under it. */
  readonly domain: string;
  /** Address the gateway is reachable on, once its load balancer exists. */
  readonly address: pulumi.Output<string>;
  /** HTTPS listener names (apex, wildcard) by domain: `parentRefs[*].sectionName` for routes and policies. */
  readonly listeners?: Readonly<Record<string, readonly string[]>>;
  /** Rate limits are counted once by Envoy Gateway's rate-limit service (type Global), not per replica. @default false */
  readonly globalRateLimit?: boolean;
}

export interface IssuerRefs {
  /** ClusterIssuer for public (ACME) domains. */
  readonly public?: string;
  /** ClusterIssuer backed by strata's internal CA, for private domains such as `*.local`. */
  readonly internal?: string;
}

/** nodeSelector + tolerations that place a pod on a pool role. */
export interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly {
    readonly key: string;
    readonly operator: "Equal" | "Exists";
    readonly value?: string;
    readonly effect: Taint["effect"];
  }[];
}

/** What every scrape target names. */
interface ScrapeTargetBase {
  /** Name of the monitor, unique in the stack, e.g. `cert-manager`. */
  readonly name: string;
  /** Namespace of the Services or pods. */
  readonly namespace: string;
  /** Labels of the Services (`service`) or pods (`pods`) to scrape. */
  readonly selector: Readonly<Record<string, string>>;
  /** Name of the Service port (`service`) or container port (`pods`). */
  readonly port: string;
  /** HTTP path of the metrics, e.g. `/metrics`. */
  readonly path: string;
}
/**
 * Metrics an add-on of the cluster layer serves. The cluster layer runs before the Prometheus
 * Operator CRDs exist (the platform's observability installs them), so it publishes what to
 * scrape and the platform declares the ServiceMonitor or PodMonitor once the CRDs are there.
 */
export type ScrapeTarget =
  /** A ServiceMonitor over Services labelled `selector`; `service` names the one the add-on has. */
  | (ScrapeTargetBase & { readonly kind: "service"; readonly service: string })
  /** A PodMonitor over pods labelled `selector` (no Service leads to their metrics port). */
  | (ScrapeTargetBase & { readonly kind: "pods" });

export interface ClusterOutputs {
  readonly provider: k8s.Provider;
  readonly namespaces: Readonly<Record<NamespacePurpose, string>> & { readonly apps: readonly string[] };
  readonly storageClasses: Readonly<Partial<Record<StoragePurpose, string>>>;
  readonly gateway?: GatewayRef;
  readonly issuers: IssuerRefs;
  /** Turns a pool role into the nodeSelector and tolerations that land a pod there. */
  readonly placementFor: (role: PoolRole) => Placement;
  /**
   * Places a pod on one named pool (its labels, its taints tolerated), for services that own a
   * pool where a role has several (one database pool per engine). Throws for an unknown pool.
   */
  readonly placementForPool: (poolName: string) => Placement;
  /** What the cluster's add-ons serve to Prometheus (cert-manager, the Envoy proxies and their controller). @default - none */
  readonly scrapeTargets?: readonly ScrapeTarget[];
  /** The Istio ambient mesh, when `strata:cluster.mesh.enabled`: its mTLS mode, the namespaces meshed by label and whether the Gateway's proxies are meshed. */
  readonly mesh?: { readonly mtls: "strict" | "permissive"; readonly namespaces: readonly string[]; readonly gateway: boolean };
  /**
   * The VPA recommender runs (`strata:cluster.vpa.enabled`): app Deployments get a
   * VerticalPodAutoscaler in recommendation mode, created after this resource (its CRD).
   * @default - no VPA
   */
  readonly verticalPodAutoscaler?: { readonly crds: pulumi.Resource };
}

export const ENDPOINT_KINDS = ["postgresql", "mysql", "mongodb", "redis", "rabbitmq", "kafka"] as const;
/** The protocol an endpoint speaks, so an app can build the right client configuration. */
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

/**
 * What a Kafka client's configuration takes, beyond the endpoint's username and password: the
 * properties every client library names alike (`bootstrap.servers`, `security.protocol`,
 * `sasl.mechanism`) and the CA it verifies the brokers with.
 */
export interface KafkaClientSettings {
  /** `bootstrap.servers`: comma-separated `host:port` list, without scheme or credentials. */
  readonly bootstrapServers: pulumi.Output<string>;
  /** `security.protocol`: SCRAM over TLS. */
  readonly securityProtocol: "SASL_SSL";
  /** `sasl.mechanism`. */
  readonly saslMechanism: "SCRAM-SHA-512";
  /** The cluster CA certificate (PEM; public, not secret) that signs the brokers' certificates. */
  readonly caCert: pulumi.Output<string>;
  /** Secret (key `ca.crt`) the apps layer writes `caCert` into in every client namespace. */
  readonly caSecretName: string;
}

/** How a workload reaches one data service. */
export interface Endpoint {
  readonly kind: EndpointKind;
  /** Namespace the service (and `secretName`) lives in. */
  readonly namespace: string;
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /**
   * Every port the service publishes for clients at `host` and `readHost`, `port` first (MySQL's
   * read-only 3307, RabbitMQ's AMQPS 5671): the NetworkPolicies between the apps and the service
   * open each. Plain numbers, since policies are declared from them.
   */
  readonly ports: readonly number[];
  /** Read-only replicas, where the service has them. */
  readonly readHost?: pulumi.Output<string>;
  readonly database?: pulumi.Output<string>;
  readonly username: pulumi.Output<string>;
  /** Always secret. */
  readonly password: pulumi.Output<string>;
  /** Connection URL including credentials; always secret. Not a Kafka client's `bootstrap.servers`: see `kafka`. */
  readonly url: pulumi.Output<string>;
  /** Kubernetes Secret (in `namespace`) holding the credentials. */
  readonly secretName: pulumi.Output<string>;
  /** Kafka endpoints only: the client settings. @default - absent for the other kinds */
  readonly kafka?: KafkaClientSettings;
}

/** Static S3 credentials in a Kubernetes Secret; absent where a cloud identity is used (EKS). */
export interface ObjectStoreCredentials {
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Secret with keys `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`. */
  readonly secretName: string;
  /** Always secret. */
  readonly accessKeyId: pulumi.Output<string>;
  /** Always secret. */
  readonly secretAccessKey: pulumi.Output<string>;
}

export const OBJECT_STORE_PURPOSES = ["backups"] as const;

/** S3-compatible object storage: SeaweedFS in the cluster, or the infra layer's S3 buckets on EKS. */
export interface ObjectStore {
  /** S3 API URL, e.g. `http://seaweedfs-s3.data.svc:8333` or `https://s3.eu-central-1.amazonaws.com`. */
  readonly endpoint: pulumi.Output<string>;
  readonly region: string;
  /** Path-style addressing (`<endpoint>/<bucket>`); true for SeaweedFS. */
  readonly forcePathStyle: boolean;
  /** Bucket names by purpose; always has `backups`. */
  readonly buckets: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * The apps' static keys (read/write on the `apps` bucket only, nothing in the backups bucket);
   * absent where clients use a cloud identity (IRSA / Pod Identity on EKS).
   */
  readonly credentials?: ObjectStoreCredentials;
  /**
   * Where each platform consumer (a backup writer, Loki, Tempo) gets keys of its own, scoped by its
   * grants; absent with a cloud identity and in a contract read from another stack.
   */
  readonly identities?: ObjectStoreIdentityRegistry;
  /**
   * Set for a store outside the cluster reached with static keys (an external backup target):
   * the endpoint's TCP port, which egress policies and the connection check use. @default - in the cluster, or AWS S3 through a cloud identity
   */
  readonly externalPort?: number;
  /** PEM CA certificates the endpoint's certificate chains to, when it is not publicly trusted. @default - publicly trusted */
  readonly caBundle?: string;
}

/** SeaweedFS action families a grant may carry. */
export type ObjectStoreAction = "Read" | "Write" | "List" | "Tagging";

/** One permission of an object-store consumer: actions on a bucket, or on one prefix of it. */
export interface ObjectStoreGrant {
  /** Bucket purpose (`strata:platform.objectStore.buckets` key, e.g. `backups`). */
  readonly bucket: string;
  /** Key prefix, with its trailing slash. @default - the whole bucket */
  readonly prefix?: string;
  /**
   * `Read` (GetObject, HeadObject), `Write` (PutObject, the multipart calls and DeleteObject: the
   * gateway authorises deletes as Write), `List` (ListObjects under the prefix), `Tagging`.
   */
  readonly actions: readonly ObjectStoreAction[];
}

/** Generated keys of one identity; always secret. */
export interface ObjectStoreIdentityKeys {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
}

/** Registers a consumer's identity in the store and returns its keys. */
export interface ObjectStoreIdentityRegistry {
  /** Keys of identity `consumer`, allowed `grants` only; the same name twice must carry the same grants. */
  identity(consumer: string, grants: readonly ObjectStoreGrant[]): ObjectStoreIdentityKeys;
}

export interface PlatformOutputs {
  /** One endpoint per enabled data service, keyed by service name (e.g. `postgres`, `redis`). */
  readonly endpoints: Readonly<Record<string, Endpoint>>;
  /** The object store backups and apps use; absent when none is enabled. */
  readonly objectStore?: ObjectStore;
  /** Observability UIs and APIs by name (e.g. `grafana`, `prometheus`). */
  readonly observability: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * Settles to what a ServiceMonitor/PodMonitor must wait for: the release installing the
   * Prometheus Operator CRDs when this program installs them in the same update; absent when the
   * contract comes from another stack (already deployed).
   */
  readonly monitoringCrds?: Promise<readonly pulumi.Resource[]>;
  /** KEDA, when enabled: apps with custom-metric scaling declare ScaledObjects. */
  readonly keda?: KedaRef;
  /**
   * The messaging-topology-operator's manifest (its CRDs), which the apps' RabbitMQ users,
   * vhosts and permissions wait for when this program installs it in the same update; absent
   * when the contract comes from another stack (already deployed).
   */
  readonly rabbitmqTopologyOperator?: pulumi.Resource;
  /**
   * The secret stores apps' `external: <store>/<path>` sources read through, by store name (the
   * key of `strata:platform.secrets.stores`); empty when none is configured.
   */
  readonly secretStores: Readonly<Record<string, SecretStoreRef>>;
  /**
   * The annotation a workload sets to the comma-separated names of the Secrets whose change must
   * roll it (Stakater Reloader): `secret.reloader.stakater.com/reload`.
   */
  readonly reloaderAnnotation: string;
}

/**
 * One platform secret store: a ClusterSecretStore of External Secrets Operator. An ExternalSecret
 * names it with `secretStoreRef: { kind: ClusterSecretStore, name }` from a namespace the store
 * admits, and a `remoteRef.key` that is the full name in the store, `<prefix><path>`: the store's
 * role or Vault policy reads nothing outside `prefix`.
 */
export interface SecretStoreRef {
  /** The ClusterSecretStore's name. */
  readonly name: string;
  readonly provider: "aws-secrets-manager" | "aws-parameter-store" | "vault";
  /** Every key the store may read starts with it (ends with `/`). */
  readonly prefix: string;
  /** How often ESO re-reads a secret (`1h`): an ExternalSecret's `refreshInterval`. */
  readonly refreshInterval: string;
}

/** Where KEDA runs; `release` (its CRDs) is absent when the contract comes from another stack. */
export interface KedaRef {
  readonly namespace: string;
  readonly release?: pulumi.Resource;
}

export interface AppUrls {
  /** Absent for the kinds that serve no port (worker, cronjob, job). */
  readonly internalUrl?: pulumi.Output<string>;
  readonly publicUrl?: pulumi.Output<string>;
}

export interface AppsOutputs {
  readonly apps: Readonly<Record<string, AppUrls>>;
}
