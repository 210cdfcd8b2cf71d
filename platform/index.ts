/**
 * The platform layer: shared data services, observability and backups. Takes the resolved
 * `strata:platform` slice and the infra and cluster contracts, returns `PlatformOutputs`: one
 * `Endpoint` per enabled data service, the object store, observability URLs. Each service lives
 * in `platform/<service>/` and is built here by one line when its slice is enabled.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/platform";
import { storageClassFor } from "../config/platform/common";
import { appBucketPurposes, veleroCopiesVolumeData } from "../config/platform/backup-coverage";
import { appBucketsCopied } from "../config/platform";
import { BACKUP_PREFIXES } from "../lib/bucket-layout";
import { backupTarget } from "./backup-target";
import { secretDigest } from "../lib/secret-digest";
import { ConfigError, describeValue } from "../config/errors";
import type { Environment } from "../config/schema";
import { deferredMonitoringCrds } from "../lib/monitoring-crds";
import type { ClusterOutputs, EksExtras, Endpoint, InfraOutputs, ObjectStore, Placement, PlatformOutputs, PoolRole } from "../lib/contracts";
import type { PbmIdentity } from "./mongodb/backup-calls";
import { Backups } from "./backups";
import { EtcdSnapshotUpload } from "./etcd-backup";
import { backupStore } from "./backup-store";
import { backupTargetEgress } from "./backup-target-egress";
import { Observability } from "./observability";
import { buildDataServices } from "./data-services";
import { VELERO_SERVICE_ACCOUNT } from "./backups/values";
import { s3ObjectStore, Seaweedfs } from "./object-store";
import { backUpAppBuckets } from "./object-store/bucket-backup";
import type { BackupTarget } from "./data-service";
import { telemetryIdentities } from "./observability/store-identity";
import { clusterAddresses } from "../cluster/network-policies/addresses";
import { Postgres } from "./postgres";
import { CLIENT_PASSWORD_KEY, PostgresClientDatabase } from "./postgres/client-database";
import { resolveGrafana } from "../config/platform/observability";
import { GRAFANA_DATABASE_SECRET } from "./observability/grafana-values";
import { Keda } from "./keda";
import { Redis } from "./redis";
import { SecretStores } from "./secrets";
import { RELOADER_ANNOTATION, secretsReplicas } from "./secrets/values";

/** The contracts the platform layer builds on (from this program or a stack reference). */
export interface PlatformUpstream {
  readonly infra: InfraOutputs;
  readonly cluster: ClusterOutputs;
}

/** Environment-dependent settings from the composition root. */
export interface PlatformOptions {
  readonly environment: Environment;
  /** `protect` operator releases and data-bearing resources. */
  readonly protectStatefulResources: boolean;
  /**
   * Copy the in-cluster object store's app buckets (all but `backups`) to this target, continuously
   * (platform/object-store/bucket-backup.ts); its `credentialsSecret` must exist in the data namespace.
   * @default - the backup target, where it is an S3 bucket outside the cluster
   */
  readonly appBucketBackupTarget?: pulumi.Output<BackupTarget>;
}

export interface PlatformLayerArgs extends PlatformUpstream {
  /** The resolved `strata:platform` slice. */
  readonly config: PlatformConfig;
  readonly options: PlatformOptions;
}

/** Every platform-layer resource, parented to one component per cluster. */
export class PlatformLayer extends pulumi.ComponentResource {
  /** The layer's contract. */
  public readonly outputs: PlatformOutputs;

  constructor(name: string, args: PlatformLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:PlatformLayer", name, {}, opts);
    const { config, infra, cluster, options } = args;
    const provider = cluster.provider;
    const ns = cluster.namespaces;
    const protect = options.protectStatefulResources;
    const parent = { parent: this };
    const classOf = (key: string, purpose: string): string => {
      const found = storageClassFor(cluster.storageClasses, purpose);
      if (found === undefined) {
        throw new ConfigError([`strata:platform.${key}.storage.purpose: the cluster has no storage class for this purpose (got ${describeValue(purpose)}); classes exist for ${Object.keys(cluster.storageClasses).join(", ") || "nothing"}`]);
      }
      return found;
    };
    const placeOn = (pool: string | undefined, role: PoolRole): Placement => (pool === undefined ? cluster.placementFor(role) : cluster.placementForPool(pool));
    const system = cluster.placementFor("system");
    const endpoints: Record<string, Endpoint> = {};
    const storeDeps: pulumi.Resource[] = [];
    // Monitors wait for the Prometheus Operator CRDs, which observability (declared last) installs.
    const monitoring = deferredMonitoringCrds();
    const monitoringCrds = monitoring.crds;
    // Charts whose monitors have no switch of their own declare them only with observability here.
    const monitors = config.observability !== undefined;
    // Redis, RabbitMQ and Kafka have no operator backup: their pods opt in to Velero's file-system backup.
    const veleroVolumeBackup = veleroCopiesVolumeData(config);
    // Settled however the block ends, so nothing waits on it after a configuration error.
    let observability: Observability | undefined;
    let objectStore: ObjectStore | undefined;
    let keda: Keda | undefined;
    let secretStores: SecretStores | undefined;
    let rabbitmqTopologyOperator: pulumi.Resource | undefined;
    let seaweedfs: Seaweedfs | undefined;
    try {
      const os = config.objectStore;
      if (os.enabled && infra.eks !== undefined) {
        if (infra.eks.buckets["backups"] === undefined) {
          throw new ConfigError(["strata:platform.objectStore.enabled: the EKS backend has no backups bucket (got true); set strata:infra.eks.buckets.backups.enabled to true"]);
        }
        objectStore = s3ObjectStore(infra.eks);
      } else if (os.enabled) {
        seaweedfs = new Seaweedfs(
          `${name}-object-store`,
          {
            provider,
            settings: os,
            namespace: ns.data,
            storageClass: classOf("objectStore", os.storage.purpose),
            metadataStorageClass: classOf("objectStore", "object-fast"),
            placement: placeOn(os.pool, "storage"),
            protect,
            monitoring: monitors,
            monitoringCrds,
          },
          parent,
        );
        objectStore = seaweedfs.store;
        storeDeps.push(seaweedfs.release);
      }

      // Every backup writer gets the target's store; apps and telemetry keep the object store.
      const backups = backupStore({
        target: config.backups.target,
        ...(objectStore === undefined ? {} : { objectStore }),
        ...(infra.eks === undefined ? {} : { eks: infra.eks }),
        refuseSameFailureDomain: options.environment === "prod",
      });
      const unbacked = backupsWithoutStore(config, backups);
      if (unbacked.length > 0) throw new ConfigError(unbacked);
      // The app buckets leave the cluster with the backups, where the target is outside it.
      const bucketTarget =
        options.appBucketBackupTarget ??
        (appBucketsCopied(config) && backups !== undefined
          ? backupTarget(`${name}-bucket-backup-credentials`, { service: "bucket-backup", namespace: ns.data, prefix: BACKUP_PREFIXES.buckets.replace(/\/$/, ""), objectStore: backups, provider, parent: this }).target
          : undefined);
      if (bucketTarget !== undefined && objectStore !== undefined && infra.eks === undefined) {
        const purposes = new Set(appBucketPurposes(config));
        backUpAppBuckets(
          `${name}-bucket-backup`,
          {
            provider,
            namespace: ns.data,
            buckets: Object.fromEntries(Object.entries(config.objectStore.buckets).filter(([purpose]) => purposes.has(purpose))),
            target: bucketTarget,
            placement: placeOn(config.objectStore.pool, "storage"),
            internalRanges: clusterAddresses(infra.backend, infra.network).internal,
            ...(config.backups.target.kind === "s3" ? { credentialsDigest: secretDigest(pulumi.secret(config.backups.target.credentials)) } : {}),
            dependsOn: storeDeps,
          },
          parent,
        );
      }
      // The control planes' etcd snapshots leave the nodes (vSphere: on EKS etcd is AWS's).
      if (infra.backend === "vsphere" && config.backups.etcd.enabled && backups?.identities !== undefined) {
        new EtcdSnapshotUpload(
          `${name}-etcd-snapshots`,
          {
            provider,
            cluster: infra.clusterName,
            store: backups,
            schedule: config.backups.etcd.schedule,
            internalRanges: clusterAddresses(infra.backend, infra.network).internal,
            kubernetesVersion: infra.kubernetesVersion,
            dependsOn: storeDeps,
          },
          parent,
        );
      }
      if (backups?.externalPort !== undefined && backups.externalPort !== 443) {
        backupTargetEgress(`${name}-backup-target-egress`, { namespaces: [ns.data, ns.backup], port: backups.externalPort, addresses: clusterAddresses(infra.backend, infra.network), provider }, parent);
      }

      const pg = config.postgres;
      const pgRole = infra.eks?.irsaRoles?.["postgresBackups"];
      if (pg.enabled && pgRole !== undefined && pgRole.namespace !== ns.data) {
        throw new ConfigError([
          `strata:cluster.namespaces.data.name: the PostgreSQL backup role trusts namespace ${pgRole.namespace} (got ${describeValue(ns.data)}); keep the data namespace named ${pgRole.namespace}`,
        ]);
      }
      let postgres: Postgres | undefined;
      if (pg.enabled) {
        postgres = new Postgres(
          `${name}-postgres`,
          {
            provider,
            settings: pg,
            operatorNamespace: ns.operators,
            namespace: ns.data,
            storageClass: classOf("postgres", pg.storage.purpose),
            placement: placeOn(pg.pool, "database"),
            systemPlacement: system,
            ...(backups === undefined ? {} : { objectStore: backups }),
            ...(pgRole === undefined ? {} : { backupRoleArn: pgRole.roleArn }),
            ...(infra.eks === undefined ? {} : { eks: infra.eks }),
            monitoring: pg.monitoring,
            monitoringCrds,
            protect,
          },
          parent,
        );
        endpoints["postgres"] = postgres.endpoint;
      }

      const redis = config.redis;
      if (redis.enabled) {
        endpoints["redis"] = new Redis(
          `${name}-redis`,
          { provider, settings: redis, namespace: ns.data, storageClass: classOf("redis", redis.storage.purpose), placement: placeOn(redis.pool, "database"), veleroVolumeBackup, protect, monitoring: monitors, monitoringCrds },
          parent,
        ).endpoint;
      }

      const { mysql, mongodb, rabbitmq, kafka } = config;
      const mongodbBackupIdentity = pbmIdentity(infra.eks, ns.data, mongodb.enabled && mongodb.backup.enabled);
      const dataServices = buildDataServices(
        name,
        { mysql, mongodb, rabbitmq, kafka, cluster, ...(backups === undefined ? {} : { objectStore: backups }), veleroVolumeBackup, protect, monitoringCrds, ...(mongodbBackupIdentity === undefined ? {} : { mongodbBackupIdentity }) },
        this,
      );
      Object.assign(endpoints, dataServices.endpoints);
      rabbitmqTopologyOperator = dataServices.rabbitmqTopologyOperator;

      if (config.backups.enabled && backups !== undefined) {
        const identity = infra.eks?.podIdentities["velero"];
        if (infra.eks !== undefined && (identity === undefined || identity.namespace !== ns.backup || identity.serviceAccount !== VELERO_SERVICE_ACCOUNT)) {
          throw new ConfigError([
            `strata:cluster.namespaces.backup.name: Velero's Pod Identity is bound in namespace ${identity?.namespace ?? "(none)"} (got ${describeValue(ns.backup)}); keep the backup namespace named ${identity?.namespace ?? "velero"}`,
          ]);
        }
        new Backups(
          `${name}-backups`,
          {
            provider,
            settings: config.backups,
            namespace: ns.backup,
            store: backups,
            dataNamespace: ns.data,
            appNamespaces: [...ns.apps, ...config.backups.extraNamespaces],
            placement: system,
            protect,
            dependsOn: storeDeps,
            monitoring: monitors,
            monitoringCrds,
            ...(infra.eks === undefined || identity === undefined ? {} : { eks: { extras: infra.eks, identity } }),
          },
          parent,
        );
      }

      if (config.observability !== undefined) {
        // On EKS, Loki and Tempo keep their data in the infra layer's logs and traces buckets
        // through their IRSA roles, whether or not the object store is on for the data services.
        const telemetryStore = objectStore ?? (infra.eks === undefined ? undefined : s3ObjectStore(infra.eks));
        // Several Grafana pods share their state in a role and database of their own in the platform's PostgreSQL.
        const grafana = resolveGrafana(config.observability, options.environment, postgres !== undefined);
        const grafanaDatabase =
          grafana.sharedDatabase && postgres !== undefined
            ? new PostgresClientDatabase(
                `${name}-grafana-database`,
                { provider, namespace: ns.data, name: "grafana", clientNamespace: ns.monitoring, clientSecretName: GRAFANA_DATABASE_SECRET, dependsOn: [postgres.cluster] },
                parent,
              )
            : undefined;
        observability = new Observability(
          `${name}-observability`,
          {
            provider,
            config: config.observability,
            environment: options.environment,
            backend: infra.backend,
            cluster,
            ...(telemetryStore === undefined ? {} : { objectStore: telemetryStore }),
            identities: telemetryIdentities(infra.eks, config.observability, ns.monitoring),
            addresses: clusterAddresses(infra.backend, infra.network),
            dependsOn: storeDeps,
            ...(grafanaDatabase === undefined
              ? {}
              : {
                  grafanaDatabase: {
                    connection: {
                      host: grafanaDatabase.connection.host,
                      port: grafanaDatabase.connection.port,
                      name: grafanaDatabase.connection.database,
                      user: grafanaDatabase.connection.user,
                      passwordSecret: { name: grafanaDatabase.connection.secretName, key: CLIENT_PASSWORD_KEY },
                    },
                    ready: grafanaDatabase,
                  },
                }),
          },
          parent,
        );
      }
      keda =
        config.keda.enabled
          ? new Keda(
              `${name}-keda`,
              {
                provider,
                namespace: ns.operators,
                monitoringNamespace: ns.monitoring,
                replicas: config.keda.replicas,
                placement: placeOn(config.keda.pool, "system"),
                // The API server's calls come from the control-plane/node range (the cluster layer's rule).
                ...(infra.network.nodeCidr === undefined ? {} : { controlPlane: [infra.network.nodeCidr] }),
                protect,
              },
              parent,
            )
          : undefined;
      if (Object.keys(config.secrets.stores).length > 0) {
        const aws = Object.entries(config.secrets.stores).find(([, store]) => store.provider !== "vault");
        if (aws !== undefined && infra.eks === undefined) {
          throw new ConfigError([`strata:platform.secrets.stores.${aws[0]}.provider: ${aws[1].provider} needs the eks backend (got ${describeValue(aws[1].provider)} on ${infra.backend}); use vault, or the eks backend`]);
        }
        secretStores = new SecretStores(
          `${name}-secrets`,
          {
            provider,
            namespace: ns.operators,
            stores: config.secrets.stores,
            appNamespaces: ns.apps,
            replicas: secretsReplicas(options.environment),
            placement: system,
            addresses: clusterAddresses(infra.backend, infra.network),
            monitoring: monitors,
            monitoringCrds,
            ...(infra.eks === undefined ? {} : { eks: infra.eks }),
            protect,
          },
          parent,
        );
      }
    } finally {
      monitoring.settle(observability === undefined ? [] : [observability.metricsRelease]);
      // Every consumer has its identity now (or the block failed): the gateway's identities are complete.
      seaweedfs?.identities.seal();
    }
    this.outputs = {
      endpoints,
      ...(objectStore === undefined ? {} : { objectStore }),
      observability: observability?.outputs ?? {},
      monitoringCrds,
      ...(keda === undefined ? {} : { keda: { namespace: ns.operators, release: keda.release } }),
      ...(rabbitmqTopologyOperator === undefined ? {} : { rabbitmqTopologyOperator }),
      secretStores: secretStores?.refs ?? {},
      reloaderAnnotation: RELOADER_ANNOTATION,
    };
    this.registerOutputs({ endpoints: Object.keys(endpoints) });
  }
}

/** Backups asked for (on by default) where the upstream's backend left no store to write to. */
function backupsWithoutStore(config: PlatformConfig, store: ObjectStore | undefined): string[] {
  if (store !== undefined) return [];
  const writers = [
    ["postgres", config.postgres.enabled && config.postgres.backup.enabled],
    ["mysql", config.mysql.enabled && config.mysql.backup.enabled],
    ["mongodb", config.mongodb.enabled && config.mongodb.backup.enabled],
  ] as const;
  const problems = writers
    .filter(([, on]) => on)
    .map(
      ([service]) =>
        `strata:platform.${service}.backup: has no backup target on this cluster (got backups on); set strata:platform.backups.target, enable strata:platform.objectStore, or strata:infra.eks.buckets.backups on eks, or turn backups off`,
    );
  if (config.backups.enabled) problems.push("strata:platform.backups.enabled: Velero has no backup target on this cluster (got true); set strata:platform.backups.target");
  return problems;
}

/**
 * On EKS: MongoDB's backup identities (the infra layer's IRSA roles for the PBM agents and the
 * operator), which trust service accounts in one namespace: the data namespace must be it.
 */
function pbmIdentity(eks: EksExtras | undefined, dataNamespace: string, wanted: boolean): PbmIdentity | undefined {
  if (eks === undefined || !wanted) return undefined;
  const agents = eks.irsaRoles?.["mongodbBackups"];
  const operator = eks.irsaRoles?.["mongodbOperator"];
  if (agents === undefined || operator === undefined) {
    throw new ConfigError([
      "strata:platform.mongodb.backup.enabled: the EKS infra layer has no MongoDB backup roles (got true); enable strata:infra.eks.buckets.backups (and update the infra stack), or set it to false",
    ]);
  }
  if (agents.namespace !== dataNamespace || operator.namespace !== dataNamespace) {
    throw new ConfigError([
      `strata:cluster.namespaces.data.name: the MongoDB backup roles trust namespace ${agents.namespace} (got ${describeValue(dataNamespace)}); keep the data namespace named ${agents.namespace}`,
    ]);
  }
  return { eks, agents, operator };
}

export function buildPlatform(config: PlatformConfig, upstream: PlatformUpstream, options: PlatformOptions, opts?: pulumi.ComponentResourceOptions): PlatformOutputs {
  return new PlatformLayer(`${upstream.infra.clusterName}-platform`, { config, ...upstream, options }, opts).outputs;
}
