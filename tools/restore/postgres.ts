/**
 * PostgreSQL: a CloudNativePG Cluster bootstrapped by `recovery` from the Barman Cloud plugin's
 * archive of the stack's cluster (base backup + WAL, to `--to` or to the end of the archive).
 *
 * CloudNativePG never recovers in place: recovery bootstraps a new cluster
 * (cloudnative-pg docs, "Recovery"). The recovered cluster keeps the stack's name, so its
 * Services, the Pooler, the apps' Secret and, on EKS, the IRSA role (which trusts exactly the
 * `<namespace>:<cluster>` service account) all apply to it unchanged. The plugin reads the
 * source from `externalClusters[].plugin` with `barmanObjectName` and `serverName`, and the new
 * cluster archives its WAL under a server name of its own: the ObjectStore CRD forbids
 * `serverName` there and points to the Cluster's plugin parameter instead, and an archive that
 * already holds WAL fails the new cluster's empty-archive check
 * (plugin-barman-cloud docs, "Usage" / "Object stores"; barmancloud.cnpg.io_objectstores.yaml).
 * The restore runs in a Job labelled `cnpg.io/jobRole: full-recovery` (cloudnative-pg
 * `jobRoleFullRecovery` under `utils.JobRoleLabelName`), the one Job the plugin's lifecycle hook
 * adds its sidecar to; it runs as the cluster's service account, so IRSA applies to it too.
 */
import { at, list, objectsOf, record, text, type RenderedObject } from "./plan-objects";
import { nameStamp, type RestoreRequest } from "./request";
import { RestoreRefused, type RestorePlan } from "./types";
import type { PlanDocument } from "../engine/plan-document";

/** The name the Barman Cloud plugin registers with the operator (plugin-barman-cloud docs, "Usage"). */
const BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
/** `externalClusters` entry the recovery reads from. */
const SOURCE_NAME = "origin";

export function postgresRestore(plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest): RestorePlan {
  const clusters = objectsOf(plan, "postgresql.cnpg.io/v1", "Cluster");
  const cluster = only(clusters, plan.stack);
  const archiver = list(cluster.spec["plugins"]).map(record).find((p) => p["name"] === BARMAN_PLUGIN && p["isWALArchiver"] === true && p["enabled"] !== false);
  const objectStoreName = text(at(archiver, "parameters", "barmanObjectName"));
  if (archiver === undefined || objectStoreName === undefined) {
    throw new RestoreRefused(
      `--service postgres: backups are off for Cluster ${cluster.metadata.namespace}/${cluster.metadata.name} in stack ${plan.stack} (no Barman Cloud plugin archives its WAL); ` +
        `nothing was archived to restore from; strata:platform.postgres.backup and the stack's backup target decide whether it is`,
    );
  }
  const { name, namespace } = cluster.metadata;
  const store = objectsOf(plan, "barmancloud.cnpg.io/v1", "ObjectStore").find((o) => o.metadata.namespace === namespace && o.metadata.name === objectStoreName);
  if (store === undefined) {
    throw new RestoreRefused(`--service postgres: Cluster ${namespace}/${name} archives to ObjectStore ${objectStoreName}, which stack ${plan.stack} does not render`);
  }
  const sourceServer = text(at(archiver, "parameters", "serverName")) ?? name;
  const newServer = `${name}-${nameStamp(request.now)}`;
  const initdb = record(at(cluster.spec, "bootstrap", "initdb"));
  const database = text(initdb["database"]) ?? "app";
  const { bootstrap: _bootstrap, plugins: _plugins, externalClusters: _external, ...kept } = cluster.spec;
  const recovery = {
    source: SOURCE_NAME,
    ...(text(initdb["database"]) === undefined ? {} : { database }),
    ...(text(initdb["owner"]) === undefined ? {} : { owner: initdb["owner"] }),
    // The owner's password is reset from the stack's Secret, so the apps' credentials keep working.
    ...(text(at(initdb, "secret", "name")) === undefined ? {} : { secret: { name: at(initdb, "secret", "name") } }),
    ...(request.toText === undefined ? {} : { recoveryTarget: { targetTime: request.toText } }),
  };
  const restored = {
    apiVersion: cluster.apiVersion,
    kind: cluster.kind,
    metadata: { name, namespace, ...(cluster.metadata["labels"] === undefined ? {} : { labels: cluster.metadata["labels"] }) },
    spec: {
      ...kept,
      bootstrap: { recovery },
      externalClusters: [{ name: SOURCE_NAME, plugin: { name: BARMAN_PLUGIN, parameters: { barmanObjectName: objectStoreName, serverName: sourceServer } } }],
      plugins: [{ name: BARMAN_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: objectStoreName, serverName: newServer } }],
    },
  };
  const file = `{{dir}}/postgres-recovery-cluster.yaml`;
  const instances = typeof kept["instances"] === "number" ? String(kept["instances"]) : "N";
  const ns = `kubectl -n ${namespace}`;
  const psql = (sql: string) => `${ns} exec "$PRIMARY" -c postgres -- psql -d ${database} -Atc "${sql}"`;
  const destination = text(at(store.spec, "configuration", "destinationPath")) ?? "(no destinationPath)";
  const endpoint = text(at(store.spec, "configuration", "endpointURL"));
  return {
    summary: `PostgreSQL cluster ${namespace}/${name} recovered from ${destination}${sourceServer} ${request.toText === undefined ? "to the end of its WAL archive" : `to ${request.toText}`}`,
    source: [
      `ObjectStore ${namespace}/${objectStoreName}: ${destination} (server ${sourceServer})${endpoint === undefined ? "" : ` at ${endpoint}`}`,
      `credentials: ${describeCredentials(store)}; retention ${text(store.spec["retentionPolicy"]) ?? "not set"}`,
      `the recovered cluster archives its own WAL as server ${newServer} in the same ObjectStore`,
    ],
    objects: [{ file: "postgres-recovery-cluster.yaml", object: restored }],
    steps: [
      {
        title: "Check that the archive has a base backup to start from (while the old cluster still exists)",
        commands: [`${ns} get backups.postgresql.cnpg.io -l cnpg.io/cluster=${name} -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,STOPPED:.status.stoppedAt`],
      },
      {
        title: `Delete the damaged cluster (its volumes go with it; the archive in the object store stays)`,
        commands: [`${ns} delete cluster.postgresql.cnpg.io ${name} --wait`],
      },
      { title: "Create the recovery cluster", commands: [`kubectl apply -f ${file}`] },
      {
        title: "Watch the recovery (the full-recovery Job restores the base backup and replays WAL; then the replicas join)",
        commands: [`${ns} logs -l cnpg.io/cluster=${name},cnpg.io/jobRole=full-recovery -f`, `${ns} wait cluster.postgresql.cnpg.io/${name} --for=condition=Ready --timeout=6h`],
      },
      {
        title: "Check it worked: the cluster is healthy, a query answers, recovery is over, the tables have their rows",
        commands: [
          `${ns} get cluster.postgresql.cnpg.io ${name} -o jsonpath='{.status.phase}{" "}{.status.readyInstances}/{.status.instances}{"\\n"}'   # Cluster in healthy state ${instances}/${instances}`,
          `PRIMARY=$(${ns} get cluster.postgresql.cnpg.io ${name} -o jsonpath='{.status.currentPrimary}')`,
          `${psql("SELECT 1")}   # 1`,
          `${psql("SELECT pg_is_in_recovery()")}   # f`,
          `echo "SELECT format('SELECT %L, count(*) FROM %I.%I', schemaname || '.' || relname, schemaname, relname) FROM pg_stat_user_tables ORDER BY 1 \\gexec" | ${ns} exec -i "$PRIMARY" -c postgres -- psql -d ${database} -At`,
        ],
      },
    ],
    warnings: [
      `This replaces ${namespace}/${name}: writes made after ${request.toText ?? "the last archived WAL"} are lost. Apps reconnect through the same Services and Pooler.`,
      `The stack's Cluster still says bootstrap.initdb and archives as server ${sourceServer}; run \`pulumi preview\` before the next \`pulumi up\` and keep the recovered cluster's archive (server ${newServer}) in mind.`,
    ],
  };
}

function describeCredentials(store: RenderedObject): string {
  const credentials = record(at(store.spec, "configuration", "s3Credentials"));
  if (credentials["inheritFromIAMRole"] === true) return "the instances' IAM role (IRSA)";
  const secret = text(at(credentials, "accessKeyId", "name"));
  return secret === undefined ? "none rendered" : `Secret ${store.metadata.namespace}/${secret}`;
}

function only(clusters: readonly RenderedObject[], stack: string): RenderedObject {
  const [cluster, ...others] = clusters;
  if (cluster === undefined) {
    throw new RestoreRefused(`--service postgres: stack ${stack} runs no PostgreSQL (strata:platform.postgres.enabled is not true); services it runs are listed by \`npm run plan -- --stack ${stack}\``);
  }
  if (others.length > 0) throw new RestoreRefused(`--service postgres: stack ${stack} renders ${clusters.length} CloudNativePG clusters; restore handles one`);
  return cluster;
}
