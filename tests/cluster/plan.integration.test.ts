/**
 * Plan-level tests per backend: the cluster layer built under mocks from hand-built infra
 * contracts (vSphere prod, EKS dev) and, through the shared harness, the dev stack on an
 * existing cluster. Each run happens once in `before()`.
 */
import { expect } from "chai";
import { CHARTS, CHART_IDS, MANIFESTS, type ChartId } from "../../lib/catalog";
import { chartSource } from "../../lib/helm";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { REPO_ROOT } from "../../tools/engine/run";
import { ofType, planStack } from "../harness";
import { clusterConfig, DEV_CLUSTER, eksInfra, PROD_CLUSTER, vsphereInfra } from "./fixtures";
import { promiseOf, runCluster, type Recorded, type Run } from "./mock-run";
import { errorsOf, formatFinding, validateKubernetesObject, verifyPlan } from "../../tools/verify/index";
import { chartReference, planDocument, unwrapSecrets } from "./reference";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CHART = "kubernetes:helm.sh/v4:Chart";
const installsChart = (r: Recorded | undefined): r is Recorded => r?.type === RELEASE || r?.type === CHART;
/** Which chart installs the CRDs of each API group strata uses. */
const CRD_OWNER: Readonly<Record<string, ChartId>> = {
  "metallb.io": "metallb",
  "operator.tigera.io": "calico-crds",
  "gateway.networking.k8s.io": "gateway-crds-helm",
  "gateway.envoyproxy.io": "gateway-crds-helm",
  "cert-manager.io": "cert-manager",
  "karpenter.sh": "karpenter-crd",
  "karpenter.k8s.aws": "karpenter-crd",
};

function chartIdOf(release: Recorded): ChartId {
  const id = CHART_IDS.find((candidate) => chartSource(candidate).chart === release.inputs["chart"] && CHARTS[candidate].version === release.inputs["version"]);
  if (id === undefined) throw new Error(`release ${release.name} installs ${String(release.inputs["chart"])} ${String(release.inputs["version"])}, which is not a catalog pin`);
  return id;
}

const groupOf = (type: string): string => {
  const apiVersion = type.split(":")[1] ?? "";
  return apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "core";
};
const isCustom = (type: string): boolean => {
  const group = groupOf(type);
  return group in CRD_OWNER || (group.includes(".") && !group.endsWith(".k8s.io") && group !== "helm.sh");
};
const customResources = (run: Run) => run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && isCustom(r.type));
const builtIns = (run: Run) =>
  run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !isCustom(r.type) && r.type !== RELEASE && r.type !== CHART && !r.type.startsWith("kubernetes:yaml/"));

/** Names a resource waits for, directly or through what it waits for. */
function waitsFor(run: Run, name: string, seen = new Set<string>()): Set<string> {
  for (const dep of run.resources.find((r) => r.name === name)?.dependsOn ?? []) {
    if (!seen.has(dep)) {
      seen.add(dep);
      waitsFor(run, dep, seen);
    }
  }
  return seen;
}

function sharedChecks(label: string, get: () => Run, expected: readonly ChartId[]) {
  describe(`${label}: wiring shared by every backend`, () => {
    it("installs exactly the expected charts, each at its catalog version", () => {
      expect([...get().byType(RELEASE), ...get().byType(CHART)].map(chartIdOf)).to.have.members([...expected]);
    });
    it("sends every Kubernetes object and release through the cluster provider", () => {
      for (const r of get().resources.filter((x) => x.custom && x.type.startsWith("kubernetes:"))) expect(r.provider, r.name).to.match(/-k8s$/);
    });
    it("makes every custom resource wait for the release that installs its CRD", () => {
      const run = get();
      for (const cr of customResources(run)) {
        const group = cr.type.split(":")[1]?.split("/")[0] ?? "";
        const owner = CRD_OWNER[group];
        expect(owner, `${cr.type} has no CRD owner`).to.not.equal(undefined);
        const releases = [...waitsFor(run, cr.name)].map((n) => run.resources.find((r) => r.name === n)).filter(installsChart);
        expect(releases.map(chartIdOf), cr.name).to.include(owner);
      }
    });
    it("renders every built-in object valid against the Kubernetes OpenAPI schema", async () => {
      const objects = builtIns(get());
      expect(objects.length).to.be.greaterThan(20);
      for (const r of objects) {
        const [, apiVersion = "", kind = ""] = /^kubernetes:(?:core\/)?(.+):(\w+)$/.exec(r.type) ?? [];
        const problems = await validateKubernetesObject({ ...(unwrapSecrets(r.inputs) as Record<string, unknown>), apiVersion, kind });
        expect(problems, `${r.type} ${r.name}`).to.deep.equal([]);
      }
    });
    it("passes the plan verifier: values keys and schemas, custom resources against their CRDs", async () => {
      const report = await verifyPlan(planDocument(label, get()), chartReference());
      expect(errorsOf(report).map(formatFinding)).to.deep.equal([]);
      expect(report.checked.helmReleases).to.equal(expected.length);
      expect(report.checked.customResources).to.be.greaterThan(10);
    });
  });
}

describe("cluster layer plans", () => {
  let prod: Run;
  let dev: Run;
  before(async () => {
    prod = await runCluster(clusterConfig(PROD_CLUSTER), vsphereInfra());
    dev = await runCluster(clusterConfig(DEV_CLUSTER), eksInfra());
  });

  sharedChecks("vSphere prod", () => prod, ["vsphere-cpi", "calico-crds", "tigera-operator", "metallb", "local-path-provisioner", "kubelet-csr-approver", "metrics-server", "cert-manager", "gateway-crds-helm", "gateway-helm"]);
  sharedChecks("EKS dev", () => dev, ["aws-load-balancer-controller", "karpenter-crd", "karpenter", "metrics-server", "cert-manager", "gateway-crds-helm", "gateway-helm"]);

  describe("vSphere prod", () => {
    it("runs Calico over the kubeadm pod CIDR, after its CRDs and operator", () => {
      const installation = prod.one("kubernetes:operator.tigera.io/v1:Installation", "prod-calico-installation");
      expect(installation.inputs).to.deep.nested.include({ "spec.calicoNetwork.ipPools[0].cidr": "10.244.0.0/16" });
      expect(installation.dependsOn).to.have.members(["prod-calico-crds", "prod-calico-operator"]);
      expect(prod.one(RELEASE, "prod-calico-operator").dependsOn).to.deep.equal(["prod-calico-crds"]);
    });
    it("gives MetalLB the configured pool with L2 advertisement, and the gateway the ingress address", async () => {
      expect(prod.one("kubernetes:metallb.io/v1beta1:IPAddressPool", "prod-metallb-pool").inputs).to.deep.nested.include({ "spec.addresses": ["10.0.10.240-10.0.10.250"] });
      expect(prod.one("kubernetes:metallb.io/v1beta1:L2Advertisement", "prod-metallb-l2").inputs).to.deep.nested.include({ "spec.ipAddressPools": ["strata"] });
      const proxy = prod.one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "prod-gateway-proxy");
      expect(proxy.inputs).to.deep.nested.include({ "spec.provider.kubernetes.envoyService.annotations.metallb\\.io/loadBalancerIPs": "10.0.10.240" });
      // Issue #9, item 10: the controller release needs no LoadBalancer; its proxies' Service is
      // created later by the controller and MetalLB assigns the address whenever it runs.
      expect(prod.one(RELEASE, "prod-gateway-release").dependsOn).to.not.include("prod-metallb");
      expect(prod.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", "prod-gateway-gateway").dependsOn).to.deep.equal(["prod-gateway-crds", "prod-gateway-release"]);
      expect(await promiseOf(prod.outputs.gateway!.address)).to.equal("10.0.10.240");
    });
    it("applies the pinned vSphere CSI manifest after its config secret, the CNI and the cloud provider", () => {
      const driver = prod.one("kubernetes:yaml/v2:ConfigFile", "prod-vsphere-csi-driver");
      expect(driver.inputs["file"]).to.equal(MANIFESTS.vsphereCsiDriver.url);
      expect(driver.dependsOn).to.have.members(["prod-vsphere-csi-config", "prod-calico", "prod-vsphere-cpi"]);
      expect(prod.one("kubernetes:core/v1:Secret", "prod-vsphere-csi-config").dependsOn).to.deep.equal(["prod-vmware-system-csi"]);
      const secret = prod.one("kubernetes:core/v1:Secret", "prod-vsphere-csi-config");
      expect(secret.inputs).to.deep.nested.include({ "metadata.name": "vsphere-config-secret", "metadata.namespace": "vmware-system-csi" });
    });
    it("binds storage classes to the infra storage policies and publishes them by purpose", () => {
      expect(prod.outputs.storageClasses).to.deep.equal({
        default: "vsphere-general",
        database: "vsphere-database",
        local: "local-volumes",
        object: "local-object",
        "object-fast": "local-object-fast",
      });
      const db = prod.one("kubernetes:storage.k8s.io/v1:StorageClass", "prod-storage-database").inputs;
      expect(db).to.deep.include({ reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true });
      expect(db).to.deep.nested.include({ "parameters.storagepolicyname": "strata-fast" });
    });
    it("issues ACME certificates for public domains and internal ones for .local", () => {
      expect(prod.one("kubernetes:cert-manager.io/v1:Certificate", "prod-gateway-cert-emis-example-com").inputs).to.deep.nested.include({
        "spec.issuerRef.name": "letsencrypt",
        "spec.dnsNames": ["emis.example.com", "www.emis.example.com", "api.emis.example.com"],
      });
      expect(prod.one("kubernetes:cert-manager.io/v1:Certificate", "prod-gateway-cert-emis-local").inputs).to.deep.nested.include({ "spec.issuerRef.name": "strata-internal-ca" });
      expect(prod.outputs.issuers).to.deep.equal({ public: "letsencrypt", internal: "strata-internal-ca" });
    });
    it("places pods by pool role from the infra node pools", () => {
      expect(prod.outputs.placementFor("storage").tolerations).to.deep.equal([{ key: "strata.io/role", operator: "Equal", value: "storage", effect: "NoSchedule" }]);
    });
    it("declares default-deny in every strata namespace", () => {
      const denied = prod.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => (p.inputs["metadata"] as { name: string }).name === "default-deny");
      const namespaces = denied.map((p) => (p.inputs["metadata"] as { namespace: string }).namespace);
      expect(namespaces).to.have.members(["gateway", "operators", "data", "monitoring", "velero", "emis", "emis-services", "tigera-operator", "metallb-system", "local-path-storage", "vmware-system-csi"]);
    });
  });

  describe("EKS dev", () => {
    it("installs the load-balancer controller and Karpenter under the Pod Identity service accounts", () => {
      expect(dev.one(RELEASE, "dev-lb-controller-release").inputs).to.deep.nested.include({
        namespace: CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.namespace,
        "values.serviceAccount.name": CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.serviceAccount,
        "values.vpcId": "vpc-0123456789abcdef0",
      });
      expect(dev.one(RELEASE, "dev-karpenter-release").inputs).to.deep.nested.include({
        namespace: CONTROLLER_SERVICE_ACCOUNTS.karpenter.namespace,
        "values.serviceAccount.name": CONTROLLER_SERVICE_ACCOUNTS.karpenter.serviceAccount,
        "values.settings.interruptionQueue": "dev-karpenter-interruptions",
      });
    });
    it("issue #22: renders the Gateway API and Envoy Gateway CRDs from gateway-crds-helm before a controller that installs none", () => {
      const crds = dev.one(CHART, "dev-gateway-crds");
      expect(chartIdOf(crds)).to.equal("gateway-crds-helm");
      // Both groups default to off in the chart (gateway-crds-helm/values.yaml).
      expect(crds.inputs).to.deep.nested.include({ "values.crds.gatewayAPI.enabled": true, "values.crds.gatewayAPI.channel": "experimental", "values.crds.envoyGateway.enabled": true });
      const controller = dev.one(RELEASE, "dev-gateway-release");
      expect(controller.inputs).to.deep.nested.include({ skipCrds: true, "values.crds.enabled": false });
      expect(controller.dependsOn).to.include("dev-gateway-crds");
      for (const [type, name] of [
        ["kubernetes:gateway.networking.k8s.io/v1:Gateway", "dev-gateway-gateway"],
        ["kubernetes:gateway.networking.k8s.io/v1:GatewayClass", "dev-gateway-class"],
        ["kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "dev-gateway-proxy"],
        ["kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", "dev-gateway-client"],
      ] as const) {
        expect(dev.one(type, name).dependsOn, name).to.include("dev-gateway-crds");
      }
      expect(waitsFor(dev, "dev-cert-manager-release")).to.include("dev-gateway-crds");
    });
    it("issue #22: applies the load-balancer controller's CRDs at its pinned version before a release that skips its crds/", () => {
      const files = dev.byType("kubernetes:yaml/v2:ConfigFile").filter((r) => r.name.startsWith("dev-lb-controller-"));
      expect(files.map((r) => r.inputs["file"])).to.have.members([MANIFESTS.awsLoadBalancerControllerCrds.url, MANIFESTS.awsLoadBalancerControllerGatewayCrds.url]);
      const controller = dev.one(RELEASE, "dev-lb-controller-release");
      expect(controller.inputs.skipCrds).to.equal(true);
      expect(controller.dependsOn).to.include.members(files.map((r) => r.name));
    });
    it("installs Karpenter's CRDs from karpenter-crd, which Helm upgrades, before a controller that skips its crds/ (issue #9)", () => {
      const crds = dev.one(RELEASE, "dev-karpenter-crds");
      expect(chartIdOf(crds)).to.equal("karpenter-crd");
      expect(crds.inputs.namespace).to.equal(CONTROLLER_SERVICE_ACCOUNTS.karpenter.namespace);
      const controller = dev.one(RELEASE, "dev-karpenter-release");
      expect(controller.inputs.skipCrds).to.equal(true);
      expect(controller.dependsOn).to.include("dev-karpenter-crds");
    });
    it("lets Karpenter grow the workers from 6 to 20 nodes on the private subnets", () => {
      expect(dev.one("kubernetes:karpenter.sh/v1:NodePool", "dev-karpenter-workers").inputs).to.deep.nested.include({ "spec.limits.nodes": "14" });
      expect(dev.one("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "dev-karpenter-node-class").inputs).to.deep.nested.include({
        "spec.subnetSelectorTerms": [{ id: "subnet-0aaa" }, { id: "subnet-0bbb" }, { id: "subnet-0ccc" }],
        "spec.role": "dev-karpenter-nodes",
        "spec.securityGroupSelectorTerms": [{ id: "sg-0cluster" }, { id: "sg-0node" }],
      });
    });
    it("exposes the gateway as an internal NLB once the controller runs", () => {
      const proxy = dev.one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "dev-gateway-proxy");
      expect(proxy.inputs).to.deep.nested.include({
        "spec.provider.kubernetes.envoyService.loadBalancerClass": "service.k8s.aws/nlb",
        "spec.provider.kubernetes.envoyService.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-scheme": "internal",
      });
      // The controller's finalizer on the proxies' Service releases the NLB: the Gateway (whose
      // controller owns that Service) is created after it and deleted before it.
      expect(dev.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", "dev-gateway-gateway").dependsOn).to.include("dev-lb-controller-release");
      expect(dev.one(RELEASE, "dev-gateway-release").dependsOn).to.not.include("dev-lb-controller-release");
    });
    it("skips Karpenter when the EKS backend publishes no Karpenter queue and node role", async () => {
      const withoutKarpenter = await runCluster(clusterConfig(DEV_CLUSTER), eksInfra(false));
      expect(withoutKarpenter.byType(RELEASE).map(chartIdOf)).to.not.include("karpenter");
      expect(withoutKarpenter.byType("kubernetes:karpenter.sh/v1:NodePool")).to.be.empty;
    });
    it("declares no NodePool when no worker pool can grow, unless maxNodes asks for one", async () => {
      const systemOnly = { ...eksInfra(), nodePools: eksInfra().nodePools.filter((pool) => pool.role === "system") };
      const idle = await runCluster(clusterConfig(DEV_CLUSTER), systemOnly);
      expect(idle.byType(RELEASE).map(chartIdOf)).to.include("karpenter");
      expect(idle.byType("kubernetes:karpenter.sh/v1:NodePool")).to.be.empty;
      const sized = await runCluster(clusterConfig({ ...DEV_CLUSTER, eks: { karpenter: { maxNodes: 5 } } }), systemOnly);
      expect(sized.one("kubernetes:karpenter.sh/v1:NodePool", "dev-karpenter-workers").inputs).to.deep.nested.include({ "spec.limits": { nodes: "5" } });
    });
    it("encrypts every class with the infra KMS key; dev's database volumes are gp3, kept on delete (issue #22: no io2 in dev)", () => {
      expect(dev.outputs.storageClasses).to.deep.equal({ default: "gp3-encrypted", database: "gp3-retain-encrypted" });
      for (const sc of dev.byType("kubernetes:storage.k8s.io/v1:StorageClass")) {
        expect(sc.inputs).to.deep.nested.include({ "parameters.kmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555" });
      }
    });
    it("solves HTTP-01 through the gateway for the staging issuer", () => {
      expect(dev.one("kubernetes:cert-manager.io/v1:ClusterIssuer", "dev-cert-manager-letsencrypt-staging").inputs).to.deep.nested.include({
        "spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0].sectionName": "http",
      });
    });
  });

  describe("minimal: gateway and network policies turned off", () => {
    it("declares no gateway, no ACME issuers and no policies, and publishes no gateway", async () => {
      const run = await runCluster(clusterConfig({ gateway: { enabled: false }, networkPolicies: { enabled: false } }), eksInfra());
      expect(run.byType(RELEASE).map(chartIdOf)).to.not.include("gateway-helm");
      expect(run.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.be.empty;
      expect(run.byType("kubernetes:cert-manager.io/v1:ClusterIssuer").map((r) => r.name)).to.deep.equal(["dev-cert-manager-internal"]);
      expect(run.outputs.gateway).to.equal(undefined);
      expect(run.outputs.issuers).to.deep.equal({ internal: "strata-internal-ca" });
    });
  });

  describe("through the shared harness and the real infra backends", () => {
    it("existing cluster (local example): installs the portable parts only", async () => {
      const run = await planStack({ stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` });
      const charts = ofType(run, RELEASE).map((r) => r.inputs["chart"]);
      expect(charts).to.have.members([chartSource("metrics-server").chart, chartSource("cert-manager").chart, chartSource("gateway-helm").chart]);
      expect(ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")).to.be.empty;
      expect(ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").length).to.be.greaterThan(10);
      expect(ofType(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway")).to.have.length(1);
    });
    it("EKS (dev stack): the backend's KMS key, Karpenter queue and VPC reach the cluster add-ons", async () => {
      const run = await planStack({ stack: "dev" });
      const charts = ofType(run, RELEASE).map((r) => r.inputs["chart"]);
      expect(charts).to.include.members([chartSource("aws-load-balancer-controller").chart, chartSource("karpenter").chart]);
      for (const sc of ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")) expect(sc.inputs).to.have.nested.property("parameters.kmsKeyId").that.is.a("string").and.not.empty;
      const karpenter = ofType(run, RELEASE).find((r) => r.inputs["chart"] === chartSource("karpenter").chart);
      expect(karpenter?.inputs).to.have.nested.property("values.settings.interruptionQueue").that.is.a("string").and.not.empty;
    });
  });
});
