/**
 * issue #21: machine-controller and operating-system-manager as strata installs them for
 * autoscaled vSphere pools: the CRDs of the upstream manifest, pinned release images instead of
 * `:latest`, real flags instead of the manifests' placeholders, webhooks wired to cert-manager.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { clusterDnsIp, type KubeObject, MC, machineControllerObjects, OSM, osmObjects, VCENTER_CA } from "../../cluster/machine-controller/controllers";
import { machineControllerCrds } from "../../cluster/machine-controller/crds";
import { autoscalerValues } from "../../cluster/machine-controller/autoscaler-values";
import { defaultChartsDir } from "../../tools/verify/reference-dir";

const UPSTREAM = join(defaultChartsDir(), "machine-controller", "crds", "machine-controller.yaml");
const upstream = parseAllDocuments(readFileSync(UPSTREAM, "utf8")).map((d) => d.toJS() as KubeObject & { spec?: Record<string, unknown> });
const OPTIONS = { serviceCidr: "10.96.0.0/12", placement: { nodeSelector: { "node.strata.io/role": "control-plane" }, tolerations: [] }, issuer: "strata-internal" };

type Container = { image: string; command: string[]; ports: { containerPort: number }[]; volumeMounts?: { mountPath: string }[] };
type Pod = { spec: { template: { spec: { containers: Container[]; volumes?: { secret: { secretName: string } }[] } } } };
const deployment = (objects: readonly KubeObject[], name: string) => {
  const found = objects.find((o) => o.kind === "Deployment" && o.metadata.name === name) as unknown as Pod | undefined;
  if (found === undefined) throw new Error(`no Deployment ${name}`);
  return found.spec.template.spec;
};

describe("issue #21: machine-controller and OSM objects", () => {
  const mc = machineControllerObjects(OPTIONS);
  const osm = osmObjects(OPTIONS);

  it("declares the three cluster.k8s.io CRDs as the v1.66.2 manifest does (names, scope, no field schema, scale subresource)", () => {
    const ours = machineControllerCrds() as (KubeObject & { spec: { versions: Record<string, unknown>[] } })[];
    const theirs = upstream.filter((o) => o.kind === "CustomResourceDefinition") as unknown as typeof ours;
    expect(ours.map((c) => c.metadata.name)).to.deep.equal(theirs.map((c) => c.metadata.name));
    ours.forEach((crd, i) => {
      const them = theirs[i]!;
      expect(crd.spec).to.deep.include({ group: (them.spec as unknown as { group: string }).group, scope: "Namespaced" });
      expect((crd.spec as unknown as { names: unknown }).names).to.deep.equal((them.spec as unknown as { names: unknown }).names);
      const [v] = crd.spec.versions;
      const [w] = them.spec.versions;
      expect(v!["schema"]).to.deep.equal(w!["schema"]);
      expect(v!["subresources"]).to.deep.equal(w!["subresources"]);
    });
  });

  it("runs the release images, never the manifests' :latest", () => {
    for (const [objects, name, image] of [
      [mc.workloads, MC.controller, "quay.io/kubermatic/machine-controller:v1.66.2"],
      [mc.workloads, MC.webhook, "quay.io/kubermatic/machine-controller:v1.66.2"],
      [osm.workloads, OSM.controller, "quay.io/kubermatic/operating-system-manager:v1.11.3"],
      [osm.workloads, OSM.webhook, "quay.io/kubermatic/operating-system-manager:v1.11.3"],
    ] as const) {
      expect(deployment(objects, name).containers[0]!.image).to.equal(image);
    }
  });

  it("leaves serving-certificate approval to kubelet-csr-approver and keeps upstream's join timeout", () => {
    const command = deployment(mc.workloads, MC.controller).containers[0]!.command;
    expect(command).to.include("-node-csr-approver=false");
    expect(command).to.include("-join-cluster-timeout=25m");
    // A no-op at v1.66.2 (cmd/machine-controller/main.go): the node's DNS is OSM's flag.
    expect(command.some((flag) => flag.startsWith("-cluster-dns"))).to.equal(false);
  });

  it("gives OSM the cluster's DNS Service address (kubeadm: 10th address of the Service CIDR), not the placeholder 10.10.10.10", () => {
    expect(clusterDnsIp("10.96.0.0/12")).to.equal("10.96.0.10");
    const command = deployment(osm.workloads, OSM.controller).containers[0]!.command;
    expect(command).to.include.members(["-cluster-dns=10.96.0.10", "-namespace=kube-system", "-external-cloud-provider"]);
  });

  it("mounts each webhook's cert-manager certificate where the binary reads it, and injects that CA into its registration", () => {
    for (const [objects, name, certificate, path] of [
      [mc, MC.webhook, MC.certificate, "/tmp/cert"],
      [osm, OSM.webhook, OSM.certificate, "/tmp/k8s-webhook-server/serving-certs"],
    ] as const) {
      const pod = deployment(objects.workloads, name);
      expect(pod.volumes?.[0]?.secret.secretName).to.equal(certificate);
      expect(pod.containers[0]!.volumeMounts?.[0]?.mountPath).to.equal(path);
      const cert = objects.workloads.find((o) => o.kind === "Certificate") as unknown as { metadata: { name: string }; spec: { secretName: string; dnsNames: string[]; issuerRef: { kind: string; name: string } } };
      expect(cert.spec).to.deep.include({ secretName: certificate, issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: "strata-internal" } });
      expect(cert.spec.dnsNames).to.include(`${name}.kube-system.svc`);
      for (const hook of objects.webhooks) expect(hook.metadata.annotations).to.deep.equal({ "cert-manager.io/inject-ca-from": `kube-system/${certificate}` });
    }
  });

  it("registers machine-controller's webhook on the same paths as the upstream manifest", () => {
    type Hooks = { webhooks: { name: string; clientConfig: { service: { name: string; path: string } } }[] };
    const theirs = upstream.find((o) => o.kind === "MutatingWebhookConfiguration") as unknown as Hooks;
    const ours = mc.webhooks[0] as unknown as Hooks;
    expect(ours.webhooks.map((w) => [w.name, w.clientConfig.service.name, w.clientConfig.service.path])).to.deep.equal(
      theirs.webhooks.map((w) => [w.name, w.clientConfig.service.name, w.clientConfig.service.path]),
    );
  });
});

describe("issue #21: machine-controller trusts vCenter through its CA bundle", () => {
  const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const mc = machineControllerObjects({ ...OPTIONS, vcenterCa: CA });

  it("puts the bundle in a ConfigMap and passes it with -ca-bundle to the controller and to the webhook (which logs in to validate)", () => {
    const configMap = mc.workloads.find((o) => o.kind === "ConfigMap" && o.metadata.name === VCENTER_CA.configMap) as unknown as { data: Record<string, string> } | undefined;
    expect(configMap?.data).to.deep.equal({ [VCENTER_CA.key]: CA });
    for (const name of [MC.controller, MC.webhook]) {
      const pod = deployment(mc.workloads, name) as unknown as { containers: Container[]; volumes: { name: string; configMap?: { name: string } }[] };
      expect(pod.containers[0]!.command, name).to.include(`-ca-bundle=${VCENTER_CA.mountPath}/${VCENTER_CA.key}`);
      expect(pod.containers[0]!.volumeMounts!.map((m) => m.mountPath), name).to.include(VCENTER_CA.mountPath);
      expect(pod.volumes.find((v) => v.configMap !== undefined)?.configMap?.name, name).to.equal(VCENTER_CA.configMap);
    }
  });

  it("rolls both pods when the bundle changes (the flag is read once at start)", () => {
    const digest = (objects: readonly KubeObject[], name: string) =>
      (objects.find((o) => o.kind === "Deployment" && o.metadata.name === name) as unknown as { spec: { template: { metadata: { annotations?: Record<string, string> } } } }).spec.template.metadata.annotations?.["strata.io/vcenter-ca-sha256"];
    const renewed = machineControllerObjects({ ...OPTIONS, vcenterCa: CA.replace("MIIB", "MIIC") });
    for (const name of [MC.controller, MC.webhook]) {
      expect(digest(mc.workloads, name), name).to.be.a("string");
      expect(digest(renewed.workloads, name), name).to.not.equal(digest(mc.workloads, name));
    }
  });

  it("without a bundle keeps the image's CAs: no flag, no ConfigMap", () => {
    const plain = machineControllerObjects(OPTIONS);
    expect(plain.workloads.some((o) => o.kind === "ConfigMap")).to.equal(false);
    expect(deployment(plain.workloads, MC.controller).containers[0]!.command.some((c) => c.startsWith("-ca-bundle"))).to.equal(false);
  });
});

describe("issue #21: cluster-autoscaler values for machine-controller", () => {
  const values = autoscalerValues({ nodeSelector: {}, tolerations: [] });
  it("scales machine-controller's MachineDeployments in kube-system through the clusterapi provider and CAPI_GROUP", () => {
    expect(values).to.deep.include({ cloudProvider: "clusterapi", autoDiscovery: { namespace: "kube-system" }, extraEnv: { CAPI_GROUP: "cluster.k8s.io" } });
  });
  it("grants the cluster.k8s.io rules KubeOne adds, including the scale subresource", () => {
    const rules = values.rbac.additionalRules;
    expect(rules.every((r) => r.apiGroups.join() === "cluster.k8s.io")).to.equal(true);
    expect(rules.flatMap((r) => r.resources)).to.include.members(["machinedeployments", "machinedeployments/scale", "machinesets", "machines"]);
  });
});
