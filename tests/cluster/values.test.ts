import { expect } from "chai";
import { join } from "node:path";
import { CHARTS } from "../../lib/catalog";
import { chartSource, checkReleaseName } from "../../lib/helm";
import { placementFor, placementForPool } from "../../lib/placement";
import { installationSpec, tigeraOperatorValues } from "../../cluster/calico/values";
import { acmeIssuerSpec, certManagerValues } from "../../cluster/cert-manager/values";
import { clientTrafficSpec, corsSpec, rateLimitSpec, SECURITY_HEADERS } from "../../cluster/gateway/policies";
import { certificateDnsNames, envoyProxySpec, gatewayListeners, httpsRedirectSpec } from "../../cluster/gateway/values";
import { containerLimits, PRIORITY_CLASSES, quotaHard } from "../../cluster/guard-rails/values";
import { karpenterValues, nodePoolSpec, workerHeadroom } from "../../cluster/karpenter/values";
import { localPathValues } from "../../cluster/local-volumes/values";
import { blockContains, metallbValues } from "../../cluster/metallb/values";
import { ebsStorageClasses, vsphereStorageClasses } from "../../cluster/storage/values";
import { csiVsphereConf } from "../../cluster/vsphere-csi/values";
import { loadBalancerControllerValues } from "../../cluster/aws-load-balancer-controller/values";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { checkLoadBalancerAddresses, localVolumeTargets, nodeIpPrefixes } from "../../cluster/vsphere";
import { csrApproverValues } from "../../cluster/kubelet-csr-approver/values";
import { metricsServerValues } from "../../cluster/metrics-server/values";
import { chartDefaultExceptionFor } from "../../policy/kubernetes/allow-list";
import { chartValuesHardened, HELM_RELEASE } from "../../policy/kubernetes/chart-values";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { check, resource } from "../policy/fixtures";
import { clusterConfig, EKS_POOLS, VSPHERE_POOLS, vsphereInfra } from "./fixtures";

const REFERENCE_CHARTS = join(__dirname, "..", "..", "..", "shared", "reference", "charts");

const gatewayTarget = [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "strata" }] as const;

describe("cluster values builders", () => {
  describe("guard rails", () => {
    it("orders the priority classes platform > data > apps-high > apps-default, only apps-default global", () => {
      const v = PRIORITY_CLASSES;
      expect(v["platform-critical"].value).to.be.greaterThan(v.data.value);
      expect(v.data.value).to.be.greaterThan(v["apps-high"].value);
      expect(v["apps-high"].value).to.be.greaterThan(v["apps-default"].value);
      expect(Object.entries(v).filter(([, c]) => c.globalDefault).map(([n]) => n)).to.deep.equal(["apps-default"]);
      expect(v["platform-critical"].value).to.be.lessThan(1_000_000_000);
    });
    it("maps quota and limits config to Kubernetes quantities", () => {
      const ns = clusterConfig({ appNamespaces: { shop: { quota: { pods: 40 } } } }).appNamespaces["shop"]!;
      expect(quotaHard(ns.quota)).to.deep.equal({
        "requests.cpu": "16000m", "requests.memory": "32Gi", "limits.cpu": "32000m", "limits.memory": "64Gi", pods: "40", persistentvolumeclaims: "20", "requests.storage": "500Gi",
      });
      expect(containerLimits(ns.limits)).to.deep.equal({
        type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" }, max: { cpu: "4000m", memory: "8192Mi" },
      });
    });
  });

  describe("placement", () => {
    it("turns a pool role into its labels and taint tolerations", () => {
      expect(placementFor(VSPHERE_POOLS)("database")).to.deep.equal({
        nodeSelector: { "strata.io/pool": "db", "strata.io/role": "database" },
        tolerations: [{ key: "strata.io/role", operator: "Equal", value: "database", effect: "NoSchedule" }],
      });
      expect(placementFor(VSPHERE_POOLS)("system")).to.deep.equal({ nodeSelector: {}, tolerations: [] });
    });
    it("places on one named pool where a role has several", () => {
      const pools = [...VSPHERE_POOLS, { ...VSPHERE_POOLS[3]!, name: "redis", labels: { "strata.io/pool": "redis", "strata.io/role": "database" }, taints: [{ key: "dedicated", value: "redis", effect: "NoSchedule" as const }] }];
      expect(placementForPool(pools)("redis")).to.deep.equal({
        nodeSelector: { "strata.io/pool": "redis", "strata.io/role": "database" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "redis", effect: "NoSchedule" }],
      });
      // By role, both database pools match: only the shared label selects, and both taints are tolerated.
      expect(placementFor(pools)("database").nodeSelector).to.deep.equal({ "strata.io/role": "database" });
      expect(placementFor(pools)("database").tolerations).to.have.length(2);
      expect(() => placementForPool(pools)("mysql")).to.throw('no node pool named "mysql"; pools: cp, workers, storage, db, lb, redis');
    });
  });

  describe("calico", () => {
    it("disables the chart's Installation and operator-managed CRDs", () => {
      expect(tigeraOperatorValues({ nodeSelector: {}, tolerations: [] })).to.deep.include({ installation: { enabled: false }, manageCRDs: false });
    });
    it("builds one IP pool over the kubeadm pod CIDR", () => {
      const spec = installationSpec({ podCidr: "10.244.0.0/16", encapsulation: "VXLANCrossSubnet", controlPlane: { nodeSelector: {}, tolerations: [] } });
      expect(spec.calicoNetwork.ipPools).to.deep.equal([
        { name: "default-ipv4-ippool", cidr: "10.244.0.0/16", encapsulation: "VXLANCrossSubnet", natOutgoing: "Enabled", nodeSelector: "all()", blockSize: 26 },
      ]);
      expect(spec.calicoNetwork.bgp).to.equal("Disabled");
    });
  });

  describe("metallb", () => {
    it("runs L2 only", () => {
      expect(metallbValues()).to.deep.include({ frrk8s: { enabled: false } });
    });
    it("checks the ingress address against ranges and CIDRs", () => {
      expect(blockContains("10.0.10.240-10.0.10.250", "10.0.10.240")).to.equal(true);
      expect(blockContains("10.0.10.240/28", "10.0.10.255")).to.equal(true);
      expect(blockContains("10.0.10.240/29", "10.0.10.250")).to.equal(false);
    });
    it("rejects a pool without the ingress address, and an empty pool", () => {
      const vsphere = vsphereInfra().vsphere!;
      expect(() => checkLoadBalancerAddresses(["10.0.10.100-10.0.10.110"], vsphere)).to.throw(
        'strata:cluster.vsphere.loadBalancerAddresses: does not contain the ingress address 10.0.10.240 the load-balancer nodes forward to (got ["10.0.10.100-10.0.10.110"]); add a block that includes it',
      );
      expect(() => checkLoadBalancerAddresses([], vsphere)).to.throw(
        "strata:cluster.vsphere.loadBalancerAddresses: is required on the vsphere backend (got []); list the CIDRs or ranges MetalLB may assign, including the ingress address 10.0.10.240",
      );
    });
  });

  describe("storage", () => {
    it("binds vSphere classes to the infra storage policies, Retain for databases", () => {
      const classes = vsphereStorageClasses({ default: "gold", database: "platinum" });
      expect(classes.default).to.deep.include({ name: "vsphere-general", reclaimPolicy: "Delete", isDefault: true, parameters: { storagepolicyname: "gold", "csi.storage.k8s.io/fstype": "ext4" } });
      expect(classes.database).to.deep.include({ name: "vsphere-database", reclaimPolicy: "Retain", isDefault: false });
      expect(classes.database?.parameters["storagepolicyname"]).to.equal("platinum");
      expect(() => vsphereStorageClasses({ fast: "x" })).to.throw(
        'strata:infra.vsphere.storagePolicies: has no "default" entry (got {"fast":"x"}); name the vSphere storage policy general-purpose volumes use (and "database" for database volumes)',
      );
    });
    it("issue #22: every EBS class is gp3 unless io2 is opted into; databases keep their volumes", () => {
      const classes = ebsStorageClasses({ kmsKeyArn: "arn:kms" });
      expect(Object.keys(classes)).to.deep.equal(["default", "database"]);
      expect(classes.default?.parameters).to.deep.include({ type: "gp3", encrypted: "true", kmsKeyId: "arn:kms", iops: "3000", throughput: "125" });
      expect(classes.database).to.deep.include({ name: "gp3-retain-encrypted", reclaimPolicy: "Retain" });
      expect(classes.database?.parameters).to.deep.include({ type: "gp3", kmsKeyId: "arn:kms", iops: "3000" });
    });
    it("issue #25: the default gp3 class keeps its volumes when strata:cluster.eks.defaultReclaimPolicy says Retain (ValueVerse), and deletes them otherwise", () => {
      expect(ebsStorageClasses({ kmsKeyArn: "arn:kms" }).default?.reclaimPolicy).to.equal("Delete");
      const retained = ebsStorageClasses({ kmsKeyArn: "arn:kms", defaultReclaimPolicy: "Retain" });
      expect(retained.default).to.deep.include({ name: "gp3-encrypted", reclaimPolicy: "Retain", isDefault: true });
      expect(retained.database?.reclaimPolicy).to.equal("Retain");
    });
    it("issue #22: the opt-in io2 class sizes IOPS per GiB, never a flat figure", () => {
      const classes = ebsStorageClasses({ kmsKeyArn: "arn:kms", io2: { iopsPerGi: 100 } });
      expect(classes["database-io2"]).to.deep.include({ name: "io2-encrypted", reclaimPolicy: "Retain" });
      expect(classes["database-io2"]?.parameters).to.deep.equal({ type: "io2", iopsPerGB: "100", allowAutoIOPSPerGBIncrease: "true", encrypted: "true", kmsKeyId: "arn:kms", "csi.storage.k8s.io/fstype": "ext4" });
    });
    it("keeps local volumes Retained, each class on its own pools and directories", () => {
      const values = localPathValues({
        local: { name: "local-volumes", targets: [placementFor(VSPHERE_POOLS)("database")], paths: ["/data"] },
        dataDisks: { object: { name: "local-object", targets: [placementFor(VSPHERE_POOLS)("storage")], paths: ["/var/lib/strata/disks/object-1"] } },
      });
      expect(values.storageClass).to.deep.equal({ create: false });
      expect(Object.keys(values.storageClassConfigs)).to.deep.equal(["local-volumes", "local-object"]);
      const object = values.storageClassConfigs["local-object"]!;
      expect(object.storageClass).to.deep.include({ create: true, reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer", defaultClass: false });
      expect(object.storageClass.allowedTopologies).to.deep.equal([{ matchLabelExpressions: [{ key: "strata.io/pool", values: ["storage"] }, { key: "strata.io/role", values: ["storage"] }] }]);
      expect(object.nodePathMap).to.deep.equal([{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/lib/strata/disks/object-1"] }]);
      expect(values.storageClassConfigs["local-volumes"]!.nodePathMap).to.deep.equal([{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/data"] }]);
      expect(values.configmap.helperPod.tolerations.map((t) => t.value)).to.deep.equal(["database", "storage"]);
      expect(values.helperImage.tag).to.not.equal("latest");
    });
    it("puts object-store volumes on the storage pools' data disks and `local` on the OS disk of the rest", () => {
      const pools = VSPHERE_POOLS.map((p) => ({ ...p, labels: { ...p.labels, "node.strata.io/pool": p.name } }));
      const targets = localVolumeTargets(pools, vsphereInfra().vsphere!);
      expect(targets.local.map((t) => t.nodeSelector)).to.deep.equal([{ "node.strata.io/pool": "db" }]);
      expect(targets.dataDisks["object-fast"]).to.deep.equal({
        targets: [{ nodeSelector: { "node.strata.io/pool": "storage" }, tolerations: [{ key: "strata.io/role", operator: "Equal", value: "storage", effect: "NoSchedule" }] }],
        paths: ["/var/lib/strata/disks/object-fast-1"],
      });
      const withoutDisks = localVolumeTargets(pools, { ...vsphereInfra().vsphere!, dataDisks: {} });
      expect(withoutDisks.local.map((t) => t.nodeSelector)).to.deep.equal([{ "node.strata.io/pool": "storage" }, { "node.strata.io/pool": "db" }]);
      expect(withoutDisks.dataDisks).to.deep.equal({});
    });
    it("pins vCenter's certificate in the CSI config when a thumbprint is configured", () => {
      const base = { clusterId: "prod", vcenterServer: "vc", datacenter: "dc1", insecure: false, username: "u", password: "p" };
      expect(csiVsphereConf({ ...base, thumbprint: "AB:CD" })).to.contain('insecure-flag = "false"\nthumbprint = "AB:CD"\n');
      expect(csiVsphereConf(base)).to.not.contain("thumbprint");
    });

    it("issue #21: points ca-file at the CA bundle in the driver's own config Secret", () => {
      const base = { clusterId: "prod", vcenterServer: "vc", datacenter: "dc1", insecure: false, username: "u", password: "p" };
      expect(csiVsphereConf({ ...base, caFile: true })).to.contain('insecure-flag = "false"\nca-file = "/etc/cloud/vcenter-ca.pem"\n');
      expect(csiVsphereConf(base)).to.not.contain("ca-file");
    });
    it("approves kubelet serving certificates only for this cluster's node names and addresses", () => {
      const values = csrApproverValues({ clusterName: "emis.prod", nodeCidrs: ["10.20.0.0/23"], placement: placementFor(VSPHERE_POOLS)("control-plane") });
      expect(values.providerRegex).to.equal("^emis\\.prod-[a-z0-9-]+$");
      expect(new RegExp(values.providerRegex).test("emis.prod-workers-1")).to.equal(true);
      expect(new RegExp(values.providerRegex).test("other-workers-1")).to.equal(false);
      expect(values.providerIpPrefixes).to.deep.equal(["10.20.0.0/23"]);
      expect(values.bypassDnsResolution).to.equal(true);
      // Keys of values.yaml in postfinance/kubelet-csr-approver at tag v1.2.14 (charts/kubelet-csr-approver),
      // the chart version pinned; the chart reference data has no copy of this chart.
      const upstream = ["global", "providerRegex", "maxExpirationSeconds", "bypassDnsResolution", "allowedDnsNames", "ignoreNonSystemNode", "skipDenyStep", "bypassHostnameCheck", "providerIpPrefixes", "loggingLevel", "leaderElection", "replicas", "namespace", "image", "imagePullSecrets", "nameOverride", "fullnameOverride", "metrics", "serviceAccount", "podAnnotations", "podLabels", "priorityClassName", "podSecurityContext", "securityContext", "resources", "nodeSelector", "tolerations", "affinity", "rbac", "env", "dnsPolicy", "dnsConfig", "extraObjects"];
      expect(Object.keys(values).filter((key) => !upstream.includes(key))).to.deep.equal([]);
      expect(CHARTS["kubelet-csr-approver"].version).to.equal("1.2.14");
    });
    it("allows the node network and any node address outside it", () => {
      const pools = [{ ...VSPHERE_POOLS[0]!, addresses: ["10.0.10.11", "10.0.20.5"] }];
      expect(nodeIpPrefixes({ network: { dnsDomain: "cluster.local", nodeCidr: "10.0.10.0/24" }, nodePools: pools })).to.deep.equal(["10.0.10.0/24", "10.0.20.5/32"]);
    });
    it("verifies kubelet serving certificates in metrics-server (no --kubelet-insecure-tls)", () => {
      expect(metricsServerValues({ replicas: 2, placement: { nodeSelector: {}, tolerations: [] }, kubeletInsecureTls: false }).args).to.deep.equal([]);
    });
    it("writes the CSI config with the vCenter credentials", () => {
      const conf = csiVsphereConf({ clusterId: "prod", vcenterServer: "vc", datacenter: "dc1", insecure: false, username: "u", password: 'p"w' });
      expect(conf).to.contain('[VirtualCenter "vc"]').and.contain('password = "p\\"w"').and.contain('cluster-id = "prod"');
    });
  });

  describe("cert-manager", () => {
    it("installs CRDs, runs HA and enables Gateway API support", () => {
      const values = certManagerValues({ replicas: 2 });
      expect(values.crds).to.deep.equal({ enabled: true, keep: true });
      expect(values.replicaCount).to.equal(2);
      expect(values.podDisruptionBudget.enabled).to.equal(true);
      expect(values.config.enableGatewayAPI).to.equal(true);
    });
    it("solves HTTP-01 through the shared Gateway's plain-HTTP listener", () => {
      const spec = acmeIssuerSpec("letsencrypt-staging", "ops@example.com", { name: "strata", namespace: "gateway", sectionName: "http" });
      expect(spec.acme.server).to.equal("https://acme-staging-v02.api.letsencrypt.org/directory");
      expect(spec.acme.solvers[0]?.http01.gatewayHTTPRoute.parentRefs).to.deep.equal([
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "strata", namespace: "gateway", sectionName: "http" },
      ]);
    });
  });

  describe("gateway", () => {
    const domains = clusterConfig({ gateway: { domains: { "example.com": { hosts: ["@", "api"] }, "corp.local": { issuer: "internal" } } }, certificates: { acmeEmail: "a@b.co" } }).gateway.domains;
    it("declares an HTTP listener plus apex and wildcard HTTPS listeners per domain", () => {
      const listeners = gatewayListeners({ domains, routeNamespaces: ["shop", "apps"] });
      expect(listeners.map((l) => `${l.name}:${l.port}:${"hostname" in l ? l.hostname : ""}`)).to.deep.equal([
        "http:80:", "https-example-com:443:example.com", "https-wildcard-example-com:443:*.example.com", "https-corp-local:443:corp.local", "https-wildcard-corp-local:443:*.corp.local",
      ]);
      expect(listeners[1]).to.deep.nested.include({ "tls.certificateRefs[0].name": "tls-example-com", "allowedRoutes.namespaces.selector.matchExpressions[0].values": ["apps", "shop"] });
    });
    it("lists ACME hosts explicitly and gives internal domains a wildcard", () => {
      expect(certificateDnsNames("example.com", domains["example.com"]!)).to.deep.equal(["example.com", "api.example.com"]);
      expect(certificateDnsNames("corp.local", domains["corp.local"]!)).to.deep.equal(["corp.local", "*.corp.local"]);
    });
    it("redirects plain HTTP to HTTPS with a 301", () => {
      expect(httpsRedirectSpec({ name: "strata", namespace: "gateway" })).to.deep.equal({
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "strata", namespace: "gateway", sectionName: "http" }],
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
      });
    });
    it("exposes the proxies as an NLB on EKS and on the MetalLB ingress address on vSphere", () => {
      const nlb = envoyProxySpec({ replicas: 2, placement: { nodeSelector: {}, tolerations: [] }, exposure: { kind: "aws-nlb", scheme: "internal" } });
      expect(nlb.provider.kubernetes.envoyService).to.deep.include({ loadBalancerClass: "service.k8s.aws/nlb", externalTrafficPolicy: "Local" });
      expect(nlb.provider.kubernetes.envoyService.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).to.equal("internal");
      const l2 = envoyProxySpec({ replicas: 3, placement: { nodeSelector: {}, tolerations: [] }, exposure: { kind: "metallb", pool: "strata", address: "10.0.10.240" } });
      expect(l2.provider.kubernetes.envoyService.annotations).to.deep.equal({ "metallb.io/address-pool": "strata", "metallb.io/loadBalancerIPs": "10.0.10.240" });
      expect(l2.provider.kubernetes.envoyDeployment.replicas).to.equal(3);
    });
    it("ships the seeds' security headers, per-IP rate limit and CORS as policies", () => {
      const client = clientTrafficSpec(gatewayTarget, { securityHeaders: true });
      expect(client.headers?.lateResponseHeaders.addIfAbsent.map((h) => h.name)).to.include.members(["Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options"]);
      expect(SECURITY_HEADERS.find((h) => h.name === "Strict-Transport-Security")?.value).to.equal("max-age=31536000; includeSubDomains");
      expect(clientTrafficSpec(gatewayTarget, { securityHeaders: false })).to.not.have.property("headers");
      expect(clientTrafficSpec(gatewayTarget, { securityHeaders: false })).to.not.have.property("proxyProtocol");
      expect(clientTrafficSpec(gatewayTarget, { securityHeaders: false, proxyProtocol: true }).proxyProtocol).to.deep.equal({ optional: false });
      expect(rateLimitSpec(gatewayTarget, 100).rateLimit.local?.rules[0]).to.deep.equal({
        clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }],
        limit: { requests: 100, unit: "Minute" },
      });
      const cors = corsSpec(gatewayTarget, { allowOrigins: ["https://a.example.com"], allowMethods: ["GET"], allowHeaders: [], maxAgeSeconds: 600, allowCredentials: false });
      expect(cors.cors).to.deep.include({ allowOrigins: ["https://a.example.com"], maxAge: "600s" });
    });
  });

  describe("EKS controllers", () => {
    it("installs the load-balancer controller and Karpenter under the Pod Identity service accounts", () => {
      expect(loadBalancerControllerValues({ clusterName: "dev", region: "eu-west-1", vpcId: "vpc-1" }).serviceAccount).to.deep.equal({
        create: true,
        name: CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.serviceAccount,
      });
      const karpenter = karpenterValues({ clusterName: "dev", interruptionQueue: "q", placement: placementFor(EKS_POOLS)("system") });
      expect(karpenter.serviceAccount.name).to.equal(CONTROLLER_SERVICE_ACCOUNTS.karpenter.serviceAccount);
      expect(karpenter.settings).to.deep.equal({ clusterName: "dev", eksControlPlane: true, interruptionQueue: "q" });
      expect(karpenter.tolerations).to.deep.equal([{ key: "strata.io/role", operator: "Equal", value: "system", effect: "NoSchedule" }]);
    });
    it("bounds Karpenter by the worker headroom (seeds: 6 → 20 workers)", () => {
      expect(workerHeadroom(EKS_POOLS, {})).to.deep.equal({ nodes: 14, cpuCores: 56, memoryGi: 224 });
      expect(workerHeadroom(EKS_POOLS, { maxCpuCores: 80 })).to.deep.include({ cpuCores: 80 });
      expect(workerHeadroom(EKS_POOLS, { maxNodes: 4 })).to.deep.equal({ nodes: 4, cpuCores: 16, memoryGi: 64 });
      const systemOnly = EKS_POOLS.filter((pool) => pool.role === "system");
      expect(workerHeadroom(systemOnly, {})).to.deep.equal({ nodes: 0, cpuCores: 0, memoryGi: 0 });
      expect(workerHeadroom(systemOnly, { maxNodes: 5 })).to.deep.equal({ nodes: 5 });
      const spec = nodePoolSpec({ nodeClassName: "default", limits: { nodes: 14, cpuCores: 56, memoryGi: 224 }, capacityTypes: ["on-demand"], instanceCategories: ["m"], consolidateAfter: "10m", instanceCpu: { min: 2, max: 32 }, labels: {}, taints: [] });
      expect(spec.limits).to.deep.equal({ nodes: "14", cpu: "56", memory: "224Gi" });
      expect(spec.disruption).to.deep.equal({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "10m" });
    });
    it("issue #22: sizes Karpenter's controller as upstream installs it (1 CPU / 1Gi), so the policy needs no chart-default exception for it", async () => {
      const values = karpenterValues({ clusterName: "dev", placement: placementFor(EKS_POOLS)("system") });
      expect(values.controller.resources).to.deep.equal({ requests: { cpu: "1000m", memory: "1024Mi" }, limits: { cpu: "1000m", memory: "1024Mi" } });
      expect(chartDefaultExceptionFor("karpenter", "controller")).to.equal(undefined);
      const release = resource(HELM_RELEASE, { chart: "oci://public.ecr.aws/karpenter/karpenter", name: "karpenter", namespace: "kube-system", version: "1.14.1", values });
      expect(await check(chartValuesHardened, [release])).to.deep.equal([]);
    });
    it("issue #22: bounds the NodePool's instances by vCPU (Gte/Lte) and to Nitro (no bare metal), valid against the reference NodePool CRD", () => {
      const spec = nodePoolSpec({ nodeClassName: "default", limits: { nodes: 4 }, capacityTypes: ["on-demand", "spot"], instanceCategories: ["c", "m", "r"], consolidateAfter: "10m", instanceCpu: { min: 2, max: 32 }, labels: {}, taints: [] });
      expect(spec.template.spec.requirements).to.deep.include.members([
        { key: "karpenter.k8s.aws/instance-cpu", operator: "Gte", values: ["2"] },
        { key: "karpenter.k8s.aws/instance-cpu", operator: "Lte", values: ["32"] },
        { key: "karpenter.k8s.aws/instance-hypervisor", operator: "In", values: ["nitro"] },
      ]);
      const nodePool = { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "workers" }, spec };
      expect(customResourceFindings("NodePool workers", nodePool, "karpenter.sh", "v1", "NodePool", loadCrds(REFERENCE_CHARTS))).to.deep.equal([]);
    });
  });

  describe("helm helper", () => {
    it("installs OCI charts by reference and classic charts through their repository", () => {
      expect(chartSource("gateway-helm")).to.deep.equal({ chart: "oci://docker.io/envoyproxy/gateway-helm" });
      expect(chartSource("metallb")).to.deep.equal({ chart: "metallb", repositoryOpts: { repo: "https://metallb.github.io/metallb" } });
      expect(CHARTS["cert-manager"].version).to.equal("v1.21.1");
    });
    it("rejects release names Helm would refuse", () => {
      expect(() => checkReleaseName("a".repeat(54))).to.throw(`Helm release name "${"a".repeat(54)}" is invalid: must be a DNS-1123 label of at most 53 characters; choose a shorter name`);
      expect(() => checkReleaseName("a".repeat(53))).to.not.throw();
    });
  });
});
