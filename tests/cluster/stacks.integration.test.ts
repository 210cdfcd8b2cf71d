/**
 * The cluster layer as the real stacks build it, on top of their own infra layer (not a
 * fixture): the vSphere prod stack and the EKS dev stack through the shared harness.
 */
import { expect } from "chai";
import type { CapturedRecord } from "../../tools/engine/capture";
import type { RunResult } from "../../tools/engine/run";
import { at, planStack } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function release(result: RunResult, chart: string): CapturedRecord {
  const found = result.resources.filter((r) => r.type === RELEASE && String(r.inputs.chart).split("/").pop() === chart);
  expect(found, chart).to.have.length(1);
  return found[0] as CapturedRecord;
}

function one(result: RunResult, type: string): CapturedRecord {
  const found = result.resources.filter((r) => r.type === type);
  expect(found, type).to.have.length(1);
  return found[0] as CapturedRecord;
}

describe("cluster layer of the stacks", () => {
  let prod: RunResult;
  let dev: RunResult;
  before(async () => {
    [prod, dev] = await Promise.all([planStack({ stack: "prod" }), planStack({ stack: "dev" })]);
  });

  it("prod: MetalLB's pool holds the gateway address the HAProxy VMs forward 80/443 to", () => {
    const gatewayAddress = (prod.outputs.infra as { vsphere: { ingressAddress: string } }).vsphere.ingressAddress;
    expect(gatewayAddress).to.equal("10.20.1.200");
    expect(at(one(prod, "kubernetes:metallb.io/v1beta1:IPAddressPool").inputs, "spec.addresses")).to.deep.equal(["10.20.1.200-10.20.1.220"]);
    const proxy = one(prod, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy");
    expect(at(proxy.inputs, "spec.provider.kubernetes.envoyService.annotations")).to.deep.include({ "metallb.io/loadBalancerIPs": gatewayAddress });
  });

  it("prod: the gateway reads client addresses from the PROXY header the HAProxy VMs send; dev has no such proxies", () => {
    expect(at(one(prod, "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy").inputs, "spec.proxyProtocol")).to.deep.equal({ optional: false });
    expect(at(one(dev, "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy").inputs, "spec")).to.not.have.property("proxyProtocol");
  });

  it("prod: the seed's gateway and tenant numbers: 3 proxies, no rate limit the seed does not state, the emis-services quota", () => {
    expect(at(one(prod, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy").inputs, "spec.provider.kubernetes.envoyDeployment.replicas")).to.equal(3);
    // The gateway-wide policy; the API gateway app's route has its own (tests/apps/emis.test.ts).
    // The monitoring UIs' routes have their own (platform/observability/access.ts).
    const gatewayPolicies = prod.resources.filter(
      (r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy" && !r.urn.includes("strata:apps:AppService") && !r.urn.includes("strata:platform:"),
    );
    // issue #25: the EMIS seed states no rate limit, so the gateway carries none.
    expect(gatewayPolicies.filter((p) => at(p.inputs, "spec.rateLimit") !== undefined)).to.deep.equal([]);
    const quota = prod.resources.find((r) => r.type === "kubernetes:core/v1:ResourceQuota" && at(r.inputs, "metadata.namespace") === "emis-services");
    expect(at(quota?.inputs, "spec.hard")).to.deep.include({ pods: "200", "requests.cpu": "32000m", "limits.memory": "128Gi" });
  });

  it("prod: Calico's IP pool is the pod CIDR kubeadm is configured with", () => {
    const installation = one(prod, "kubernetes:operator.tigera.io/v1:Installation");
    expect(at(installation.inputs, "spec.calicoNetwork.ipPools")).to.have.nested.property("[0].cidr", "10.244.0.0/16");
  });

  for (const [label, get] of [["prod", () => prod], ["dev", () => dev]] as const) {
    it(`${label}: cert-manager starts after the Gateway API CRDs it watches`, () => {
      const result = get();
      expect(release(result, "cert-manager").dependencies).to.include(release(result, "gateway-helm").urn);
    });

    // Issue #9, item 9: without a class the proxies took the global default `apps-default`, so data pods could preempt ingress.
    it(`${label}: the Envoy proxies and their controller run at platform-critical, a PriorityClass strata declares`, () => {
      const result = get();
      const proxy = one(result, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy");
      expect(at(proxy.inputs, "spec.provider.kubernetes.envoyDeployment.pod.priorityClassName")).to.equal("platform-critical");
      expect(at(release(result, "gateway-helm").inputs, "values.deployment.priorityClassName")).to.equal("platform-critical");
      const declared = result.resources.filter((r) => r.type === "kubernetes:scheduling.k8s.io/v1:PriorityClass").map((r) => at(r.inputs, "metadata.name"));
      expect(declared).to.include("platform-critical");
      expect(release(result, "gateway-helm").dependencies).to.include(result.resources.find((r) => at(r.inputs, "metadata.name") === "platform-critical")?.urn);
    });
  }
});
