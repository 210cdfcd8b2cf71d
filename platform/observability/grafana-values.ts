/**
 * Pure: the values of kube-prometheus-stack's Grafana subchart (grafana-community/helm-charts
 * grafana-12.11.1, charts/grafana/values.yaml: `replicas`, `podDisruptionBudget`, `persistence`,
 * `envValueFrom`, `affinity`, `grafana.ini`). One Grafana keeps its state in SQLite on a volume
 * (the chart's StatefulSet); more share the platform's PostgreSQL and keep no volume (the chart's
 * Deployment), spread one per node with a PodDisruptionBudget.
 */
import { type ConnectionDeclaration, fromWorkload, serviceOfHost, type WorkloadDeclaration } from "../../lib/connections";
import { type ObservabilitySettings, type Scheduling, spreadOverNodes } from "./settings";

/** Names of objects strata creates beside the release and the chart reads by name. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** Secret in the monitoring namespace with the password of Grafana's PostgreSQL role. */
export const GRAFANA_DATABASE_SECRET = "grafana-database";
/** Label and value the Grafana sidecar loads dashboards and datasources by. */
export const DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;

/** Labels of the Grafana pods (`grafana.selectorLabels` under the release `kube-prometheus-stack`). */
const GRAFANA_POD_LABELS = { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "kube-prometheus-stack" } as const;

/**
 * Grafana's shared database: a role and database of its own in the platform's PostgreSQL
 * (platform/postgres/client-database.ts).
 */
export interface GrafanaDatabase {
  /**
   * The primary's Service (`<cluster>-rw.<namespace>.svc`), not PgBouncer: Grafana's migrations
   * hold a session-level lock (grafana/grafana#44101, `migration_locking`) and its driver's
   * unnamed prepared statements fail when transaction pooling moves them between server
   * connections (grafana/grafana#74260), so it needs a session of its own.
   */
  readonly host: string;
  readonly port: number;
  /** Database name. */
  readonly name: string;
  /** The role Grafana logs in as, owner of that database. */
  readonly user: string;
  /** Secret in the monitoring namespace and its key holding the role's password. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
}

/**
 * `ssl_mode` of Grafana's PostgreSQL connection. CloudNativePG serves TLS only, with a server
 * certificate from a CA it generates at run time into `<cluster>-ca` in the data namespace, beside
 * that CA's private key; the certificate is not known at plan time and copying the Secret would
 * hand the CA's key to the monitoring namespace. `require` encrypts the connection without
 * checking the server's name; the path stays inside the cluster between two namespaces whose
 * NetworkPolicies admit it. verify-full needs a server CA strata issues itself
 * (`Cluster.spec.certificates.serverCASecret`), which it does not yet.
 */
export const GRAFANA_DATABASE_SSL_MODE = "require";

export interface GrafanaValuesInput {
  readonly settings: ObservabilitySettings;
  readonly scheduling: Scheduling;
  /** Storage class of the SQLite volume, with one replica; the cluster default when absent. */
  readonly storageClass?: string;
  /** Grafana's public URL, when it is exposed. @default - none */
  readonly url?: string;
  /** Datasources beside Prometheus and Alertmanager (logs, traces), as the chart takes them. */
  readonly additionalDataSources: readonly Record<string, unknown>[];
  /** Grafana's `auth.jwt` when the gateway signs users in (`grafanaJwtAuth`). @default - Grafana's own login form only */
  readonly jwtAuth?: Record<string, unknown>;
  /** The shared database; required when `settings.grafana.sharedDatabase`. @default - SQLite on a volume */
  readonly database?: GrafanaDatabase;
}

/** `[database]` of grafana.ini for PostgreSQL; the password arrives as `GF_DATABASE_PASSWORD`, which overrides the file's key. */
export function grafanaDatabaseIni(database: GrafanaDatabase): Record<string, string> {
  return { type: "postgres", host: `${database.host}:${database.port}`, name: database.name, user: database.user, ssl_mode: GRAFANA_DATABASE_SSL_MODE };
}

export function grafanaValues(input: GrafanaValuesInput) {
  const { settings, scheduling } = input;
  const { replicas, sharedDatabase } = settings.grafana;
  if (sharedDatabase && input.database === undefined) throw new Error("grafanaValues: more than one Grafana needs its shared database");
  const database = sharedDatabase ? input.database : undefined;
  return {
    replicas,
    // The chart renders a PodDisruptionBudget for any non-empty map (templates/poddisruptionbudget.yaml).
    podDisruptionBudget: replicas > 1 ? { minAvailable: replicas - 1 } : {},
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
    persistence:
      database === undefined
        ? {
            enabled: true,
            type: "sts",
            ...(input.storageClass === undefined ? {} : { storageClassName: input.storageClass }),
            accessModes: ["ReadWriteOnce"],
            size: `${settings.grafana.storageGi}Gi`,
          }
        : // Users, preferences and UI-made dashboards are in PostgreSQL; nothing on the pod's disk outlives it.
          { enabled: false },
    ...(database === undefined ? {} : { envValueFrom: { GF_DATABASE_PASSWORD: { secretKeyRef: { name: database.passwordSecret.name, key: database.passwordSecret.key } } } }),
    "grafana.ini": {
      ...(input.url === undefined ? {} : { server: { root_url: input.url } }),
      ...(database === undefined ? {} : { database: grafanaDatabaseIni(database) }),
      auth: { disable_login_form: false },
      ...(input.jwtAuth === undefined ? {} : { "auth.jwt": input.jwtAuth }),
      "auth.anonymous": { enabled: false },
      users: { allow_sign_up: false },
      analytics: { reporting_enabled: false, check_for_updates: false },
    },
    sidecar: {
      dashboards: {
        enabled: true,
        label: DASHBOARD_LABEL.key,
        labelValue: DASHBOARD_LABEL.value,
        searchNamespace: "ALL",
        folderAnnotation: "grafana_folder",
        provider: { allowUiUpdates: false, foldersFromFilesStructure: true },
      },
      datasources: { enabled: true, defaultDatasourceEnabled: true, isDefaultDatasource: true, alertmanager: { enabled: true } },
    },
    additionalDataSources: input.additionalDataSources,
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    nodeSelector: scheduling.nodeSelector,
    tolerations: scheduling.tolerations,
    affinity: spreadOverNodes(scheduling, GRAFANA_POD_LABELS, replicas).affinity,
  };
}

/** Grafana → its database: the primary's Service in the data namespace, with the password's Secret in Grafana's namespace. */
export function grafanaDatabaseConnection(grafana: WorkloadDeclaration, database: GrafanaDatabase): ConnectionDeclaration {
  const service = serviceOfHost(database.host);
  if (service === undefined) throw new Error(`grafanaDatabaseConnection: ${database.host} is not an in-cluster Service`);
  return {
    purpose: "Grafana's shared database (PostgreSQL)",
    from: fromWorkload(grafana),
    to: { kind: "service", namespace: service.namespace, name: service.name, port: database.port },
    secrets: [{ name: database.passwordSecret.name, keys: [database.passwordSecret.key] }],
  };
}
