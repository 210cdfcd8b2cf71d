import { expect } from "chai";
import { clusterAddresses } from "../../cluster/network-policies/addresses";
import { VSPHERE_ADDON_NAMESPACES } from "../../cluster/network-policies/addons";
import { networkPolicies, networkPolicySpec, type NetworkPolicyInput, type PolicySpec } from "../../cluster/network-policies/values";

const input: NetworkPolicyInput = {
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero" },
  apps: ["shop", "apps"],
  dataPorts: [5432, 6379],
  appsInternetEgress: false,
  addresses: clusterAddresses("vsphere", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", dnsDomain: "cluster.local", apiServerPort: 6443 }),
};
const find = (policies: PolicySpec[], namespace: string, name: string): PolicySpec => {
  const found = policies.find((p) => p.namespace === namespace && p.name === name);
  if (found === undefined) throw new Error(`no policy ${namespace}/${name}`);
  return found;
};
const namespaceIs = (...names: string[]) => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: names } ] } });

describe("network policies", () => {
  const policies = networkPolicies(input);

  it("denies all ingress and egress by default in every strata namespace", () => {
    const denied = policies.filter((p) => p.name === "default-deny");
    expect(denied.map((p) => p.namespace)).to.have.members(["gateway", "operators", "data", "monitoring", "velero", "shop", "apps"]);
    expect(networkPolicySpec(denied[0]!)).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
  });

  it("allows DNS to kube-dns everywhere", () => {
    for (const ns of ["gateway", "shop", "data"]) {
      expect(find(policies, ns, "allow-dns").egress?.[0]).to.deep.equal({
        peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
      });
    }
  });

  it("lets the gateway reach the apps; app namespaces admit nothing wholesale (each app opens its own ports)", () => {
    expect(find(policies, "gateway", "allow-gateway-to-apps").egress?.[0]?.peers).to.deep.equal([namespaceIs("apps", "monitoring", "shop")]);
    expect(policies.filter((p) => p.namespace === "shop" && p.ingress !== undefined).map((p) => [p.name, p.ingress])).to.deep.equal([["default-deny", []]]);
  });

  it("lets app pods open the data ports towards the data namespace, which admits only operators and backup wholesale", () => {
    expect(find(policies, "apps", "allow-apps-to-data").egress).to.deep.equal([{ peers: [namespaceIs("data")], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 6379 }] }]);
    expect(find(policies, "data", "allow-from-operators").ingress).to.deep.equal([{ peers: [namespaceIs("operators", "velero")] }]);
    expect(policies.filter((p) => p.namespace === "data").flatMap((p) => p.ingress ?? []).flatMap((r) => r.peers ?? [])).to.not.deep.include(namespaceIs("apps", "shop"));
  });

  it("lets monitoring scrape every namespace, kube-system and the nodes' exporters and kubelets", () => {
    expect(find(policies, "data", "allow-monitoring-scrape").ingress).to.deep.equal([{ peers: [namespaceIs("monitoring")] }]);
    expect(find(policies, "monitoring", "allow-scrape-all").egress).to.deep.equal([
      { peers: [namespaceIs("apps", "data", "gateway", "kube-system", "monitoring", "operators", "shop", "velero")] },
      { peers: [{ ipBlock: { cidr: "10.20.0.0/23" } }], ports: [{ protocol: "TCP", port: 9100 }, { protocol: "TCP", port: 10250 }] },
    ]);
  });

  // Issue #9, item 8: the API server rule had ports but no `to`, so it opened 443/6443 to any host.
  it("lets the platform namespaces reach the API server only at its Service address and the control-plane network", () => {
    expect(find(policies, "operators", "allow-api-server").egress).to.deep.equal([
      { peers: [{ ipBlock: { cidr: "10.96.0.1/32" } }], ports: [{ protocol: "TCP", port: 443 }] },
      { peers: [{ ipBlock: { cidr: "10.20.0.0/23" } }], ports: [{ protocol: "TCP", port: 6443 }] },
    ]);
    const eks = clusterAddresses("eks", { serviceCidr: "172.20.0.0/16", nodeCidr: "10.0.0.0/16", dnsDomain: "cluster.local" });
    expect(eks.apiServer).to.deep.equal([
      { cidr: "172.20.0.1/32", ports: [443] },
      { cidr: "10.0.0.0/16", ports: [443] },
    ]);
  });

  it("takes webhook calls from the control-plane network only", () => {
    expect(find(policies, "operators", "allow-webhooks").ingress).to.deep.equal([
      { peers: [{ ipBlock: { cidr: "10.20.0.0/23" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 9443 }, { protocol: "TCP", port: 10250 }] },
    ]);
    expect(find(policies, "gateway", "allow-webhooks").ingress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "10.20.0.0/23" } }], ports: [{ protocol: "TCP", port: 9443 }] }]);
  });

  it("never counts pods, Services, nodes or link-local addresses as outside the cluster", () => {
    const except = ["10.244.0.0/16", "10.96.0.0/12", "10.20.0.0/23", "169.254.0.0/16"];
    expect(find(policies, "data", "allow-object-storage").egress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "0.0.0.0/0", except } }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(clusterAddresses("eks", { serviceCidr: "172.20.0.0/16", nodeCidr: "10.0.0.0/16", dnsDomain: "cluster.local" }).internal).to.deep.equal(["172.20.0.0/16", "10.0.0.0/16", "169.254.0.0/16"]);
  });

  it("lets namespaces whose pods use Pod Identity reach the agent, and no other", () => {
    const withAgent = networkPolicies({ ...input, podIdentityNamespaces: ["velero", "kube-system"] });
    expect(withAgent.filter((p) => p.name === "allow-pod-identity-agent").map((p) => p.namespace)).to.deep.equal(["velero"]);
    expect(find(withAgent, "velero", "allow-pod-identity-agent").egress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] }]);
    expect(policies.some((p) => p.name === "allow-pod-identity-agent")).to.equal(false);
  });

  it("opens ACME egress for the operators only when cert-manager issues through ACME", () => {
    expect(policies.some((p) => p.name === "allow-acme")).to.equal(false);
    expect(find(networkPolicies({ ...input, acme: true }), "operators", "allow-acme").egress?.map((r) => r.ports?.map((p) => p.port))).to.deep.equal([[443, 80], [80], [10080]]);
  });

  it("gives every vSphere add-on namespace default-deny, DNS, scrapes, the API server and what its components need", () => {
    const withAddons = networkPolicies({ ...input, addons: VSPHERE_ADDON_NAMESPACES });
    for (const namespace of ["tigera-operator", "metallb-system", "local-path-storage", "vmware-system-csi"]) {
      expect(withAddons.filter((p) => p.namespace === namespace).map((p) => p.name), namespace).to.include.members(["default-deny", "allow-dns", "allow-monitoring-scrape", "allow-api-server"]);
    }
    expect(find(withAddons, "metallb-system", "allow-webhooks").ingress?.[0]?.ports).to.deep.equal([{ protocol: "TCP", port: 9443 }]);
    expect(find(withAddons, "vmware-system-csi", "allow-external").egress?.[0]?.peers).to.deep.equal([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.244.0.0/16", "10.96.0.0/12", "169.254.0.0/16"] } }]);
    expect(withAddons.filter((p) => p.namespace === "local-path-storage").map((p) => p.name)).to.deep.equal(["default-deny", "allow-dns", "allow-monitoring-scrape", "allow-api-server"]);
  });

  it("opens app egress to the Internet only when asked, never to cluster ranges", () => {
    expect(policies.some((p) => p.name === "allow-internet-https")).to.equal(false);
    const open = networkPolicies({ ...input, appsInternetEgress: true });
    expect(find(open, "shop", "allow-internet-https").egress).to.deep.equal([
      { peers: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.244.0.0/16", "10.96.0.0/12", "10.20.0.0/23", "169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });
});
