/**
 * Issue #19: the apps' buckets of the in-cluster SeaweedFS (EMIS's `emis-objects`) are copied
 * continuously to the backup target by `weed filer.backup`, without propagating deletes, with the
 * target's keys read from its Secret (never written into strata's objects).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { IMAGES } from "../../lib/catalog";
import { declaredConnections, resetConnections } from "../../lib/connections";
import type { BackupTarget } from "../../platform/data-service";
import { appBuckets, backUpAppBuckets, BucketBackup, podTemplateChecksum } from "../../platform/object-store/bucket-backup";
import {
  BUCKET_BACKUP_LABELS,
  bucketBackupConfig,
  bucketBackupConnections,
  bucketBackupDeploymentSpec,
  bucketBackupPolicies,
  type BucketBackupSpec,
  replicationToml,
  targetOf,
} from "../../platform/object-store/bucket-backup-objects";
import { seaweedfsLabels } from "../../platform/object-store/workloads";
import { mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";
import { validateKubernetesObject } from "../../tools/verify/kubernetes-schema";

/** An S3-compatible endpoint outside the cluster on MinIO's port, as a test target. */
const TARGET: BackupTarget = {
  endpoint: "https://backup.example.net:9000",
  region: "eu-west-1",
  bucket: "offsite-backups",
  prefix: "buckets",
  forcePathStyle: true,
  credentialsSecret: "offsite-backup-s3",
};
const placement = { nodeSelector: { "node.strata.io/role": "storage" }, tolerations: [{ key: "node.strata.io/storage", operator: "Exists" as const, effect: "NoSchedule" as const }] };
const INTERNAL = ["10.244.0.0/16", "10.96.0.0/12", "10.20.0.0/23", "169.254.0.0/16"];
/** `strata:platform.objectStore.buckets` of the EMIS prod stack. */
const PROD_BUCKETS = (parse(readFileSync(join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8")) as { config: { "strata:platform": { objectStore: { buckets: Record<string, string> } } } }).config["strata:platform"].objectStore.buckets;
const spec: BucketBackupSpec = { namespace: "data", buckets: appBuckets(PROD_BUCKETS), target: TARGET, placement, internalRanges: INTERNAL };

/** The pod template as plain data (the builder returns Pulumi input types). */
interface Container {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly args: string[];
  readonly env: unknown[];
  readonly securityContext: unknown;
  readonly readinessProbe?: { readonly exec: { readonly command: string[] }; readonly failureThreshold: number };
  readonly livenessProbe?: { readonly exec: { readonly command: string[] }; readonly failureThreshold: number; readonly periodSeconds: number };
}
interface PlainPod {
  readonly metadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  readonly spec: {
    readonly containers: Container[];
    readonly securityContext: Record<string, unknown>;
    readonly automountServiceAccountToken: boolean;
    readonly volumes: { readonly configMap?: { readonly items: unknown[] } }[];
    readonly nodeSelector: unknown;
    readonly tolerations: unknown;
  };
}
const podOf = (s: BucketBackupSpec, checksum = "sum"): PlainPod => bucketBackupDeploymentSpec(s, "bucket-backup-config", checksum).template as unknown as PlainPod;

/** `[table]` and `key = value` lines of the small TOML files strata writes (strings, booleans, numbers). */
function parseToml(text: string): Record<string, Record<string, unknown>> {
  const tables: Record<string, Record<string, unknown>> = {};
  let current: Record<string, unknown> | undefined;
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const table = /^\[([a-z0-9_.]+)\]$/.exec(line);
    if (table !== null) {
      current = tables[table[1] as string] = {};
      continue;
    }
    const pair = /^([a-z0-9_]+) = (.+)$/.exec(line);
    if (pair === null || current === undefined) throw new Error(`not TOML strata writes: ${line}`);
    current[pair[1] as string] = JSON.parse(pair[2] as string) as unknown;
  }
  return tables;
}

/**
 * What `S3Sink.Initialize` reads under `sink.s3.` (SeaweedFS 4.44, weed/replication/sink/s3sink/s3_sink.go),
 * plus `enabled`, which `findSink` checks (weed/command/filer_replication.go).
 */
const S3_SINK_KEYS = [
  "enabled", "region", "bucket", "directory", "endpoint", "acl", "is_incremental", "keep_part_size", "s3_disable_content_md5_validation",
  "s3_force_path_style", "uploader_max_upload_parts", "uploader_part_size", "uploader_concurrency", "aws_access_key_id", "aws_secret_access_key",
];

describe("app bucket copies (platform/object-store/bucket-backup)", () => {
  describe("which buckets", () => {
    it("issue #19: copies the EMIS prod stack's emis-objects, and every other app bucket, never the backups bucket", () => {
      expect(PROD_BUCKETS["objects"]).to.equal("emis-objects");
      expect(spec.buckets).to.deep.equal({ objects: "emis-objects", logs: "strata-logs", traces: "strata-traces" });
      const containers = podOf(spec).spec.containers;
      expect(containers.map((c) => c.name)).to.deep.equal(["copy-logs", "copy-objects", "copy-traces"]);
      expect(containers.find((c) => c.name === "copy-objects")?.args).to.include("-filerPath=/buckets/emis-objects");
      expect(containers.flatMap((c) => c.args).join(" ")).not.to.include("strata-backups");
    });

    it("refuses to copy the backups bucket into itself", () => {
      expect(() => new BucketBackup("x", { provider: {} as k8s.Provider, namespace: "data", buckets: PROD_BUCKETS, target: pulumi.output(TARGET), placement, internalRanges: INTERNAL })).to.throw(
        "x: the backups bucket is the copies' own store; copying it would copy backups into themselves",
      );
    });
  });

  describe("replication.toml", () => {
    const toml = parseToml(replicationToml(TARGET, "emis-objects"));

    it("enables the S3 sink alone, with only keys the sink reads", () => {
      expect(Object.keys(toml)).to.deep.equal(["sink.s3"]);
      for (const key of Object.keys(toml["sink.s3"] ?? {})) expect(S3_SINK_KEYS, key).to.include(key);
      expect(toml["sink.s3"]).to.deep.include({ enabled: true, endpoint: TARGET.endpoint, region: "eu-west-1", bucket: "offsite-backups", s3_force_path_style: true });
    });

    it("writes each bucket under its own folder of the target's prefix (its own offset: the sink's name and folder)", () => {
      expect(toml["sink.s3"]?.["directory"]).to.equal("/buckets/emis-objects");
      expect(parseToml(replicationToml({ ...TARGET, prefix: "/" }, "b"))["sink.s3"]?.["directory"]).to.equal("/b");
      const dirs = Object.values(bucketBackupConfig(spec)).map((t) => parseToml(t)["sink.s3"]?.["directory"]);
      expect(new Set(dirs).size).to.equal(dirs.length);
    });

    it("issue #19: does not propagate an app's deletes and keeps each day's version (incremental; upstream forces deletes off then)", () => {
      expect(toml["sink.s3"]?.["is_incremental"]).to.equal(true);
      const args = podOf(spec).spec.containers.flatMap((c) => c.args);
      expect(args.filter((a) => a.startsWith("-doDeleteFiles") || a.startsWith("-retentionDays"))).to.deep.equal([]);
    });

    it("holds no keys: the sink falls back to the SDK's environment chain", () => {
      expect(toml["sink.s3"]).not.to.have.any.keys("aws_access_key_id", "aws_secret_access_key");
    });
  });

  describe("Deployment", () => {
    const pod = podOf(spec, "abc");
    const objects = pod.spec.containers.find((c) => c.name === "copy-objects") as Container;

    it("runs the chart's SeaweedFS image, pinned in the catalog, as the image's non-root user with a read-only root", () => {
      expect(objects.image).to.equal(`${IMAGES.seaweedfs.repository}:${IMAGES.seaweedfs.tag}`);
      expect(objects.command).to.deep.equal(["/usr/bin/weed"]);
      expect(pod.spec.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 1000 });
      expect(objects.securityContext).to.deep.equal({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(pod.spec.automountServiceAccountToken).to.equal(false);
    });

    it("follows one filer pod through the filer's Service, with its toml from its own folder", () => {
      expect(objects.args.slice(0, 3)).to.deep.equal(["-logtostderr=true", "-config_dir=/etc/bucket-backup/objects", "filer.backup"]);
      expect(objects.args).to.include("-filer=seaweedfs-filer-0.seaweedfs-filer.data.svc:8888");
      const volume = pod.spec.volumes[0]?.configMap?.items;
      expect(volume).to.deep.include({ key: "objects.toml", path: "objects/replication.toml" });
    });

    it("is ready while its filer answers /healthz, and restarts after ten minutes without it (the command serves no port)", () => {
      const healthz = ["wget", "-q", "-O", "/dev/null", "http://seaweedfs-filer-0.seaweedfs-filer.data.svc:8888/healthz"];
      expect(objects.readinessProbe?.exec.command).to.deep.equal(healthz);
      expect(objects.livenessProbe?.exec.command).to.deep.equal(healthz);
      expect((objects.livenessProbe?.periodSeconds ?? 0) * (objects.livenessProbe?.failureThreshold ?? 0)).to.equal(600);
    });

    it("takes the keys from the target's Secret", () => {
      expect(objects.env).to.deep.equal([
        { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "offsite-backup-s3", key: "AWS_ACCESS_KEY_ID" } } },
        { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "offsite-backup-s3", key: "AWS_SECRET_ACCESS_KEY" } } },
      ]);
    });

    it("trusts a private endpoint's CA from the target's Secret through AWS_CA_BUNDLE, and only then", () => {
      expect(JSON.stringify(pod)).not.to.include("AWS_CA_BUNDLE");
      const withCa = podOf({ ...spec, target: { ...TARGET, caBundleKey: "ca.crt" } });
      const copy = withCa.spec.containers.find((c) => c.name === "copy-objects") as Container & { volumeMounts: unknown[] };
      expect(copy.env).to.deep.include({ name: "AWS_CA_BUNDLE", value: "/etc/bucket-backup-ca/ca.crt" });
      expect(copy.volumeMounts).to.deep.include({ name: "ca", mountPath: "/etc/bucket-backup-ca", readOnly: true });
      expect(withCa.spec.volumes).to.deep.include({ name: "ca", secret: { secretName: "offsite-backup-s3", items: [{ key: "ca.crt", path: "ca.crt" }] } });
      expect(bucketBackupConnections("data", { ...TARGET, caBundleKey: "ca.crt" })[2]?.secrets).to.deep.equal([{ name: "offsite-backup-s3", keys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ca.crt"] }]);
    });

    it("runs on the storage pool, one pod at a time, and rolls when a toml changes", () => {
      expect(pod.spec.nodeSelector).to.deep.equal(placement.nodeSelector);
      expect(pod.spec.tolerations).to.deep.equal(placement.tolerations);
      expect(pod.metadata.annotations).to.deep.equal({ "strata.io/config-sha256": "abc" });
      const whole = bucketBackupDeploymentSpec(spec, "c", "s");
      expect([whole.replicas, whole.strategy]).to.deep.equal([1, { type: "Recreate" }]);
      expect(pod.metadata.labels).to.include(BUCKET_BACKUP_LABELS);
    });
  });

  describe("NetworkPolicies (over a default-deny data namespace)", () => {
    const object = (p: { name: string; namespace: string; spec: unknown }) => ({ metadata: { name: p.name, namespace: p.namespace }, spec: p.spec }) as NetworkPolicyObject;
    const deny: NetworkPolicyObject = { metadata: { name: "default-deny", namespace: "data" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
    const own = bucketBackupPolicies(spec);
    const policies = [deny, object(own.egress), object(own.filerIngress)];
    const copier: PodEndpoint = { kind: "pod", namespace: "data", labels: BUCKET_BACKUP_LABELS };
    const filer: PodEndpoint = { kind: "pod", namespace: "data", labels: seaweedfsLabels("filer") };
    const app: PodEndpoint = { kind: "pod", namespace: "data", labels: { "app.kubernetes.io/name": "mysql" } };
    const outside = { kind: "address" as const, ip: "203.0.113.10" };
    const node = { kind: "address" as const, ip: "10.20.0.15" };

    it("lets the copier reach the filer's HTTP and gRPC ports, and the filer admit it", () => {
      for (const port of [8888, 18888]) expect(mayReach(policies, { from: copier, to: filer, port }), String(port)).to.equal(true);
      expect(mayReach(policies, { from: app, to: filer, port: 8888 })).to.equal(false);
    });

    it("lets the copier reach the target's port outside the cluster, and nothing inside on it", () => {
      expect(mayReach(policies, { from: copier, to: outside, port: 9000 })).to.equal(true);
      expect(mayReach(policies, { from: copier, to: outside, port: 22 })).to.equal(false);
      expect(mayReach(policies, { from: copier, to: node, port: 9000 })).to.equal(false);
    });

    it("reaches an in-cluster target through its Service's namespace instead", () => {
      const inCluster = { ...spec, target: { ...TARGET, endpoint: "http://seaweedfs-s3.data.svc:8333" } };
      expect(targetOf(inCluster.target)).to.deep.equal({ kind: "service", namespace: "data", name: "seaweedfs-s3", port: 8333 });
      expect((bucketBackupPolicies(inCluster).egress.spec.egress as unknown[])[1]).to.deep.equal({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "data" } } }], ports: [{ protocol: "TCP", port: 8333 }] });
    });
  });

  it("renders a Deployment, a ConfigMap and NetworkPolicies valid against the Kubernetes schema", async () => {
    const metadata = { name: "bucket-backup", namespace: "data" };
    expect(await validateKubernetesObject({ apiVersion: "apps/v1", kind: "Deployment", metadata, spec: bucketBackupDeploymentSpec(spec, "bucket-backup-config", "sum") })).to.deep.equal([]);
    expect(await validateKubernetesObject({ apiVersion: "v1", kind: "ConfigMap", metadata, data: bucketBackupConfig(spec) })).to.deep.equal([]);
    for (const policy of Object.values(bucketBackupPolicies(spec))) {
      expect(await validateKubernetesObject({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: policy.name, namespace: policy.namespace }, spec: policy.spec })).to.deep.equal([]);
    }
  });

  describe("connections", () => {
    it("declares the filer's two ports and the target with the Secret its keys come from", () => {
      const declared = bucketBackupConnections("data", TARGET).map((c) => [c.to, c.secrets ?? []]);
      expect(declared).to.deep.equal([
        [{ kind: "service", namespace: "data", name: "seaweedfs-filer", port: 18888 }, []],
        [{ kind: "service", namespace: "data", name: "seaweedfs-filer", port: 8888 }, []],
        [{ kind: "external", name: "backup-target", port: 9000 }, [{ name: "offsite-backup-s3", keys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] }]],
      ]);
    });
  });

  it("issue #19: rolls the copier when the target's keys rotate (they reach it as environment variables)", () => {
    const config = bucketBackupConfig(spec);
    expect(podTemplateChecksum(config, "1111111111111111")).to.not.equal(podTemplateChecksum(config, "2222222222222222"));
    expect(podTemplateChecksum(config, "1111111111111111")).to.equal(podTemplateChecksum({ ...config }, "1111111111111111"));
  });

  describe("component (mocks)", () => {
    const recorded: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
    before(async () => {
      resetConnections();
      await pulumi.runtime.setMocks(
        {
          newResource: (args) => {
            recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
            return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
          },
          call: (args) => args.inputs as Record<string, unknown>,
        },
        "strata",
        "bucket-backup-test",
        false,
      );
      const args = { provider: new k8s.Provider("test", {}), namespace: "data", target: pulumi.output(TARGET), placement, internalRanges: INTERNAL };
      expect(backUpAppBuckets("none", { ...args, buckets: { backups: "strata-backups" } })).to.equal(undefined);
      backUpAppBuckets("prod", { ...args, buckets: PROD_BUCKETS });
      for (let last = -1, quiet = 0; quiet < 3; ) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        quiet = recorded.length === last ? quiet + 1 : 0;
        last = recorded.length;
      }
    });
    after(() => resetConnections());
    const ofType = (type: string) => recorded.filter((r) => r.type === type);

    it("renders the Deployment, its ConfigMap and two NetworkPolicies in the data namespace", () => {
      expect(ofType("kubernetes:apps/v1:Deployment").map((r) => r.inputs["metadata"] as { name: string; namespace: string }).map((m) => `${m.namespace}/${m.name}`)).to.deep.equal(["data/bucket-backup"]);
      expect(ofType("kubernetes:core/v1:ConfigMap").map((r) => Object.keys(r.inputs["data"] as object).sort())).to.deep.equal([["logs.toml", "objects.toml", "traces.toml"]]);
      expect(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => (r.inputs["metadata"] as { name: string }).name).sort()).to.deep.equal(["bucket-backup-egress", "filer-from-bucket-backup"]);
      expect(ofType("kubernetes:core/v1:Secret")).to.deep.equal([]);
    });

    it("writes no key anywhere: the only reference to the target's Secret is by name", () => {
      const text = JSON.stringify(recorded);
      expect(text).not.to.match(/aws_secret_access_key|aws_access_key_id/);
      const pod = (ofType("kubernetes:apps/v1:Deployment")[0]?.inputs["spec"] as { template: { spec: { containers: { env: unknown[] }[] } } }).template.spec;
      expect(pod.containers.map((c) => c.env)).to.deep.equal(pod.containers.map(() => bucketBackupConnections("data", TARGET)[2]?.secrets?.[0]?.keys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: "offsite-backup-s3", key } } }))));
    });

    it("declares its three paths once the target resolves", () => {
      const connections = declaredConnections().connections.filter((c) => c.purpose.startsWith("app bucket copies"));
      expect(connections.map((c) => c.to)).to.deep.equal(bucketBackupConnections("data", TARGET).map((c) => c.to));
    });
  });
});
