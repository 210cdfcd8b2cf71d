/**
 * Issue #25: on EKS, an app using an external RDS database with `iamAuth` is declared under
 * Pulumi mocks with a Pod Identity role whose inline policy allows `rds-db:connect` on its
 * database user in the cluster's account, egress to the Pod Identity agent beside the database's
 * range, no password anywhere, and a connection the check proves with that role and call.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "../../apps";
import { AppsConfig } from "../../config/apps";
import type { ClusterOutputs, InfraOutputs, PlatformOutputs } from "../../lib/contracts";
import { declaredConnections, resetConnections } from "../../lib/connections";

const ACCOUNT = "123456789012";
const none = () => ({ nodeSelector: {}, tolerations: [] });
const cluster = (provider: k8s.Provider): ClusterOutputs => ({
  provider,
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero", apps: ["apps"] },
  storageClasses: {},
  issuers: {},
  placementFor: none,
  placementForPool: none,
});
const platform: PlatformOutputs = { endpoints: {}, observability: {}, secretStores: {}, reloaderAnnotation: "secret.reloader.stakater.com/reload" };
const infra = {
  backend: "eks",
  clusterName: "strata-test",
  eks: { region: "eu-central-1", accountId: pulumi.output(ACCOUNT), clusterArn: pulumi.output(`arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/strata-test`), buckets: {} },
} as unknown as InfraOutputs;

const apps = AppsConfig.parse({
  external: {
    "orders-db": {
      kind: "postgres",
      host: "orders.cluster-abc.eu-central-1.rds.amazonaws.com",
      cidrs: ["10.0.64.0/20"],
      tls: { enabled: true },
      username: "orders",
      database: "orders",
      iamAuth: { region: "eu-central-1", dbiResourceId: "db-ABCDEFGHIJKL0123456789" },
    },
  },
  services: {
    orders: {
      image: "ghcr.io/acme/orders:1.0.0",
      port: 8080,
      resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
      uses: ["orders-db"],
      connectionEnv: { DB_HOST: "orders-db.host", DB_PORT: "orders-db.port", DB_USER: "orders-db.username", DB_NAME: "orders-db.database" },
    },
  },
});

interface Declared {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

async function declare(): Promise<Declared[]> {
  const declared: Declared[] = [];
  resetConnections();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const arn = args.type === "aws:iam/role:Role" ? { arn: `arn:aws:iam::${ACCOUNT}:role/${args.name}` } : {};
        return { id: `${args.name}-id`, state: { ...(args.inputs as Record<string, unknown>), ...arn } };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "strata",
    "external-iam-test",
    false,
  );
  buildApps(apps, cluster(new k8s.Provider("test", {})), platform, infra);
  for (let last = -1, quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    quiet = declared.length === last ? quiet + 1 : 0;
    last = declared.length;
  }
  return declared;
}

const resolve = <T>(value: pulumi.Input<T>): Promise<T> => new Promise((done) => pulumi.output(value).apply((v) => done(v as T)));

describe("issue #25: an external RDS database with IAM authentication, under mocks", function () {
  this.timeout(60_000);

  it("gives the app's role rds-db:connect on its database user, egress to the agent and the range, and no password", async () => {
    const all = await declare();
    const policy = all.find((d) => d.type === "aws:iam/rolePolicy:RolePolicy");
    expect((JSON.parse(String(policy?.inputs["policy"])) as { Statement: unknown[] }).Statement).to.deep.equal([
      { Sid: "RdsIamAuth", Effect: "Allow", Action: ["rds-db:connect"], Resource: [`arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:db-ABCDEFGHIJKL0123456789/orders`] },
    ]);
    const association = all.find((d) => d.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(association?.inputs).to.include({ namespace: "apps", serviceAccount: "orders" });
    const egress = ((all.find((d) => d.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && d.name === "orders-network-policy")?.inputs["spec"] as { egress: { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[] }).egress)
      .filter((rule) => rule.to.some((peer) => peer.ipBlock !== undefined))
      .map((rule) => [rule.to[0]?.ipBlock?.cidr, rule.ports[0]?.port]);
    expect(egress).to.deep.equal([
      ["10.0.64.0/20", 5432],
      ["169.254.170.23/32", 80],
    ]);
    const env = ((all.find((d) => d.type === "kubernetes:apps/v1:Deployment")?.inputs["spec"] as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0]?.env ?? []).map((e) => e.name);
    expect(env).to.include.members(["DB_HOST", "DB_PORT", "DB_USER", "DB_NAME"]);
    expect(env.some((name) => /PASSWORD/.test(name))).to.equal(false);
  });

  it("declares the connection with the role, its service account and the rds-db:connect call", async () => {
    await declare();
    const connection = declaredConnections().connections.find((c) => c.to.kind === "external" && c.to.name === "orders-db");
    expect(connection?.to).to.deep.equal({ kind: "external", name: "orders-db", port: 5432, address: "10.0.64.1" });
    const aws = await resolve(connection?.aws ?? pulumi.output(undefined));
    expect(aws?.serviceAccount).to.deep.equal({ namespace: "apps", name: "orders" });
    expect(aws?.calls.map((c) => [c.action, c.resource])).to.deep.equal([["rds-db:connect", `arn:aws:rds-db:eu-central-1:${ACCOUNT}:dbuser:db-ABCDEFGHIJKL0123456789/orders`]]);
  });
});
