import { expect } from "chai";
import { networkPolicies, networkPolicySpec, type NetworkPolicyInput, type PolicySpec } from "../../cluster/network-policies/values";

const input: NetworkPolicyInput = {
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero" },
  apps: ["shop", "apps"],
  dataPorts: [5432, 6379],
  appsInternetEgress: false,
  clusterCidrs: ["10.244.0.0/16", "10.96.0.0/12"],
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

  it("lets the gateway reach the apps, and the apps accept it", () => {
    expect(find(policies, "gateway", "allow-gateway-to-apps").egress?.[0]?.peers).to.deep.equal([namespaceIs("apps", "monitoring", "shop")]);
    expect(find(policies, "shop", "allow-from-gateway").ingress?.[0]?.peers).to.deep.equal([namespaceIs("gateway")]);
  });

  it("lets apps reach the data namespace on the data ports only", () => {
    expect(find(policies, "apps", "allow-apps-to-data").egress).to.deep.equal([{ peers: [namespaceIs("data")], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 6379 }] }]);
    expect(find(policies, "data", "allow-from-apps-and-operators").ingress?.[0]).to.deep.equal({
      peers: [namespaceIs("apps", "shop")],
      ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 6379 }],
    });
  });

  it("lets monitoring scrape every namespace", () => {
    expect(find(policies, "data", "allow-monitoring-scrape").ingress).to.deep.equal([{ peers: [namespaceIs("monitoring")] }]);
    expect(find(policies, "monitoring", "allow-scrape-all").egress?.[0]?.peers).to.deep.equal([namespaceIs("apps", "data", "gateway", "monitoring", "operators", "shop", "velero")]);
  });

  it("lets operators reach the API server and receive webhook calls", () => {
    expect(find(policies, "operators", "allow-api-server").egress).to.deep.equal([{ ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] }]);
    expect(find(policies, "operators", "allow-webhooks").ingress?.[0]?.ports?.map((p) => p.port)).to.deep.equal([443, 9443, 10250]);
  });

  it("opens app egress to the Internet only when asked, never to cluster ranges", () => {
    expect(policies.some((p) => p.name === "allow-internet-https")).to.equal(false);
    const open = networkPolicies({ ...input, appsInternetEgress: true });
    expect(find(open, "shop", "allow-internet-https").egress).to.deep.equal([
      { peers: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.244.0.0/16", "10.96.0.0/12"] } }], ports: [{ protocol: "TCP", port: 443 }] },
    ]);
  });
});
