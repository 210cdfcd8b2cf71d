/**
 * issue #21: the vSphere control planes' etcd snapshots leave the nodes. The pure builders of the
 * upload (platform/etcd-backup/objects.ts): where it runs, what it may touch, where it writes.
 */
import { expect } from "chai";
import { IMAGES } from "../../lib/catalog";
import { ETCD_SNAPSHOT_DIR } from "../../lib/etcd-snapshots";
import { ETCD_BACKUP_NAMESPACE, ETCD_UPLOAD_SECRET, etcdUploadConnection, etcdUploadCronJobSpec, etcdUploadPolicies, type EtcdUploadSpec, uploadScript } from "../../platform/etcd-backup/objects";

const external: EtcdUploadSpec = {
  cluster: "emis-prod",
  target: { endpoint: "https://s3.us-east-1.amazonaws.com", region: "us-east-1", bucket: "emis-backups", prefix: "etcd", forcePathStyle: false, credentialsSecret: ETCD_UPLOAD_SECRET },
  schedule: "20 * * * *",
  internalRanges: ["10.0.0.0/16", "10.96.0.0/12"],
};
const inCluster: EtcdUploadSpec = {
  ...external,
  target: { endpoint: "http://seaweedfs-s3.data.svc:8333", region: "us-east-1", bucket: "backups", prefix: "etcd", forcePathStyle: true, credentialsSecret: ETCD_UPLOAD_SECRET, caBundleKey: "ca.crt" },
};

interface Pod {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: unknown[];
  readonly automountServiceAccountToken: boolean;
  readonly volumes: { readonly name: string; readonly hostPath?: unknown; readonly secret?: unknown }[];
  readonly containers: { readonly image: string; readonly securityContext: unknown; readonly env: { name: string; value?: string; valueFrom?: unknown }[]; readonly volumeMounts: { name: string; readOnly?: boolean }[] }[];
}
const podOf = (spec: EtcdUploadSpec): Pod => (etcdUploadCronJobSpec(spec) as unknown as { jobTemplate: { spec: { template: { spec: Pod } } } }).jobTemplate.spec.template.spec;

describe("etcd snapshot upload (issue #21)", () => {
  it("issue #21: runs on a control plane and reads the snapshot folder through a read-only hostPath, nothing else of the host", () => {
    const pod = podOf(external);
    expect(pod.nodeSelector).to.deep.equal({ "node-role.kubernetes.io/control-plane": "" });
    expect(pod.tolerations).to.deep.equal([{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.volumes[0]).to.deep.equal({ name: "snapshots", hostPath: { path: ETCD_SNAPSHOT_DIR, type: "Directory" } });
    expect(pod.volumes.filter((v) => v.hostPath !== undefined)).to.have.length(1);
    const container = pod.containers[0]!;
    expect(container.volumeMounts.find((m) => m.name === "snapshots")).to.include({ readOnly: true });
    expect(container.securityContext).to.deep.equal({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(pod.automountServiceAccountToken).to.equal(false);
    expect(container.image).to.equal(`${IMAGES.rclone.repository}:${IMAGES.rclone.tag}`);
  });

  it("issue #21: copies to <bucket>/etcd/<cluster>/<node>/, never modifying an object, and fails on a node without a recent snapshot", () => {
    const script = uploadScript(external);
    expect(script).to.include(`rclone copy /snapshots ":s3:emis-backups/etcd/emis-prod/$NODE_NAME" --include 'etcd-*.db' --immutable`);
    expect(script).to.match(/-mmin -1500 .*\nif \[ -z "\$fresh" \]; then\n.*\n {2}exit 1\n/);
    const env = podOf(external).containers[0]!.env;
    expect(env.find((e) => e.name === "NODE_NAME")?.valueFrom).to.deep.equal({ fieldRef: { fieldPath: "spec.nodeName" } });
    expect(env.find((e) => e.name === "AWS_SECRET_ACCESS_KEY")?.valueFrom).to.deep.equal({ secretKeyRef: { name: ETCD_UPLOAD_SECRET, key: "AWS_SECRET_ACCESS_KEY" } });
    expect(env.find((e) => e.name === "RCLONE_S3_NO_CHECK_BUCKET")?.value).to.equal("true");
    expect(env.find((e) => e.name === "RCLONE_S3_PROVIDER")?.value).to.equal("AWS");
    expect(env.some((e) => e.name === "RCLONE_CA_CERT")).to.equal(false);
  });

  it("issue #21: a target with a CA bundle is verified with it", () => {
    const pod = podOf(inCluster);
    const env = pod.containers[0]!.env;
    expect(env.find((e) => e.name === "RCLONE_CA_CERT")?.value).to.equal("/etc/etcd-upload-ca/ca.crt");
    expect(pod.volumes.find((v) => v.name === "ca")).to.deep.equal({ name: "ca", secret: { secretName: ETCD_UPLOAD_SECRET, items: [{ key: "ca.crt", path: "ca.crt" }] } });
    expect(env.find((e) => e.name === "RCLONE_S3_PROVIDER")?.value).to.equal("Other");
  });

  it("issue #21: its namespace denies by default; the upload may reach only DNS and the target (outside: its port, never the cluster's ranges)", () => {
    const policies = etcdUploadPolicies(external);
    expect(policies.defaultDeny.spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(policies.egress.namespace).to.equal(ETCD_BACKUP_NAMESPACE);
    expect(policies.egress.spec.egress).to.deep.equal([{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: external.internalRanges } }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(policies.targetIngress).to.equal(undefined);
  });

  it("issue #21: an in-cluster target's namespace admits the upload on the target's port", () => {
    const policies = etcdUploadPolicies(inCluster);
    expect(policies.egress.spec.egress).to.deep.equal([{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "data" } } }], ports: [{ protocol: "TCP", port: 8333 }] }]);
    expect(policies.targetIngress?.namespace).to.equal("data");
    expect(policies.targetIngress?.spec.ingress).to.deep.equal([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ETCD_BACKUP_NAMESPACE } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "etcd-snapshot-upload", "app.kubernetes.io/instance": "etcd-snapshot-upload" } } }],
        ports: [{ protocol: "TCP", port: 8333 }],
      },
    ]);
  });

  it("issue #21: declares its path: the upload's pods → the target, with the keys (and CA) in its own namespace", () => {
    expect(etcdUploadConnection(external.target)).to.deep.include({ to: { kind: "external", name: "backup-target", port: 443 }, secrets: [{ name: ETCD_UPLOAD_SECRET, keys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] }] });
    expect(etcdUploadConnection(inCluster.target).to).to.deep.equal({ kind: "service", namespace: "data", name: "seaweedfs-s3", port: 8333 });
  });
});
