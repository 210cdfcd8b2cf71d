/**
 * issue #21: the NetworkPolicies around machine-controller, OSM and cluster-autoscaler select only
 * their pods (kube-system stays unisolated for everything else) and, for those, allow exactly DNS,
 * the API server, the webhook ports from the control plane and vCenter on 443.
 */
import { expect } from "chai";
import { controllerConnections, controllerPolicies, VCENTER_POLICY, vcenterPeer, WEBHOOK_VCENTER_POLICY } from "../../cluster/machine-controller/network";
import { clusterAddresses } from "../../cluster/network-policies/addresses";
import { networkPolicySpec } from "../../cluster/network-policies/values";

const ADDRESSES = clusterAddresses("vsphere", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", dnsDomain: "cluster.local", apiServerPort: 6443, nodeCidr: "10.20.0.0/22" });

describe("issue #21: machine-controller, OSM and cluster-autoscaler network policies", () => {
  const policies = controllerPolicies("vcenter.emis.local", ADDRESSES);

  it("selects only the controllers' pods, never the whole of kube-system", () => {
    for (const policy of policies) {
      expect(policy.namespace).to.equal("kube-system");
      expect(Object.keys(policy.podSelector?.matchLabels ?? {}), policy.name).to.not.be.empty;
      expect(networkPolicySpec(policy).podSelector).to.deep.equal({ matchLabels: policy.podSelector?.matchLabels });
    }
    expect(policies.map((p) => p.name)).to.have.members(["machine-controller", "machine-controller-webhook", "operating-system-manager", "operating-system-manager-webhook", "cluster-autoscaler", VCENTER_POLICY, WEBHOOK_VCENTER_POLICY]);
  });

  it("isolates each pod group both ways: ingress only to a webhook port from the control plane, egress DNS and the API server", () => {
    const byName = Object.fromEntries(policies.map((p) => [p.name, p]));
    for (const name of ["machine-controller", "operating-system-manager", "cluster-autoscaler"]) expect(byName[name]?.ingress, name).to.deep.equal([]);
    expect(byName["machine-controller-webhook"]?.ingress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "10.20.0.0/22" } }], ports: [{ protocol: "TCP", port: 9876 }] }]);
    expect(byName["operating-system-manager-webhook"]?.ingress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "10.20.0.0/22" } }], ports: [{ protocol: "TCP", port: 9443 }] }]);
    const egress = byName["machine-controller"]?.egress ?? [];
    expect(egress.flatMap((r) => r.ports ?? []).map((p) => `${p.protocol}/${p.port}`)).to.have.members(["UDP/53", "TCP/53", "TCP/443", "TCP/6443"]);
    expect(networkPolicySpec(byName["machine-controller"]!).policyTypes).to.deep.equal(["Ingress", "Egress"]);
  });

  it("lets machine-controller and its webhook (which opens a vCenter session to validate) alone out to vCenter on 443: its address when it is one, else outside the pod and Service ranges", () => {
    const vcenter = policies.find((p) => p.name === VCENTER_POLICY);
    expect(vcenter?.podSelector).to.deep.equal({ matchLabels: { app: "machine-controller" } });
    expect(policies.find((p) => p.name === WEBHOOK_VCENTER_POLICY)?.podSelector).to.deep.equal({ matchLabels: { app: "machine-controller-webhook" } });
    expect(policies.filter((p) => p.egress?.some((r) => r.ports?.some((port) => port.port === 443) && r.peers?.some((peer) => peer.ipBlock?.cidr === "0.0.0.0/0")))).to.have.length(2);
    expect(vcenter?.egress).to.deep.equal([{ peers: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.244.0.0/16", "10.96.0.0/12", "169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] }]);
    expect(vcenterPeer("10.20.5.10", ADDRESSES)).to.deep.equal({ ipBlock: { cidr: "10.20.5.10/32" } });
  });

  it("declares machine-controller's vCenter login as read from its Secret", () => {
    const vcenter = controllerConnections().filter((c) => c.to.kind === "external");
    expect(vcenter.map((c) => c.from.kind === "pods" && c.from.pods.labels["app"])).to.deep.equal(["machine-controller", "machine-controller-webhook"]);
    for (const c of vcenter) expect(c.secrets).to.deep.equal([{ name: "machine-controller-vsphere", keys: ["username", "password"] }]);
  });
});
