/**
 * issue #18: the RabbitMQ cluster operator runs in `rabbitmq-system`, which the data namespace's
 * default-deny never admitted, so its reads of every node's management API (quorum status,
 * versions, deprecated features; cluster-operator v2.22.3) were dropped. Evaluated with the
 * cluster layer's policies for the data namespace and RabbitMQ's own (tools/netpol).
 */
import { expect } from "chai";
import { clusterAddresses } from "../../cluster/network-policies/addresses";
import { networkPolicies, networkPolicySpec } from "../../cluster/network-policies/values";
import { MANIFESTS } from "../../lib/catalog";
import { rabbitmqOperatorPolicy } from "../../platform/rabbitmq/network-policies";
import { RABBITMQ_OPERATOR_LABELS, RABBITMQ_PORTS, rabbitmqWorkload, TOPOLOGY_OPERATOR_LABELS } from "../../platform/rabbitmq/workloads";
import { mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";

const cluster: NetworkPolicyObject[] = networkPolicies({
  namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero" },
  apps: ["shop"],
  dataPorts: [5672],
  appsInternetEgress: false,
  addresses: clusterAddresses("vsphere", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", dnsDomain: "cluster.local", apiServerPort: 6443 }),
}).map((p) => ({ metadata: { name: p.name, namespace: p.namespace }, spec: networkPolicySpec(p) as NetworkPolicyObject["spec"] }));
const operatorNamespace = MANIFESTS.rabbitmqClusterOperator.namespace;
const own = rabbitmqOperatorPolicy({ cluster: "rabbitmq", namespace: "data", operatorNamespace });
const policies = [...cluster, { metadata: { name: own.name, namespace: own.namespace }, spec: own.spec as NetworkPolicyObject["spec"] }];

const broker = rabbitmqWorkload("data", "rabbitmq", { tls: false });
const brokerPod: PodEndpoint = { kind: "pod", namespace: "data", labels: broker.pods.labels, namedPorts: { management: { port: RABBITMQ_PORTS.management } } };
const operatorPod: PodEndpoint = { kind: "pod", namespace: operatorNamespace, labels: RABBITMQ_OPERATOR_LABELS };

describe("RabbitMQ: the cluster operator's access to the brokers", () => {
  it("issue #18: the operator reaches the brokers' management API, which the cluster layer alone drops", () => {
    expect(mayReach(cluster, { from: operatorPod, to: brokerPod, port: RABBITMQ_PORTS.management }), "without RabbitMQ's policy").to.equal(false);
    expect(mayReach(policies, { from: operatorPod, to: brokerPod, port: RABBITMQ_PORTS.management })).to.equal(true);
  });

  it("admits nothing else: not AMQP, not another pod of the operator's namespace", () => {
    expect(mayReach(policies, { from: operatorPod, to: brokerPod, port: RABBITMQ_PORTS.amqp })).to.equal(false);
    expect(mayReach(policies, { from: { kind: "pod", namespace: operatorNamespace, labels: { app: "other" } }, to: brokerPod, port: RABBITMQ_PORTS.management })).to.equal(false);
  });

  it("issue #19: the messaging-topology-operator, which puts the apps' users, reaches the management API too, and AMQP not", () => {
    const topologyPod: PodEndpoint = { kind: "pod", namespace: MANIFESTS.rabbitmqTopologyOperator.namespace, labels: TOPOLOGY_OPERATOR_LABELS };
    expect(mayReach(cluster, { from: topologyPod, to: brokerPod, port: RABBITMQ_PORTS.management }), "without RabbitMQ's policy").to.equal(false);
    expect(mayReach(policies, { from: topologyPod, to: brokerPod, port: RABBITMQ_PORTS.management })).to.equal(true);
    expect(mayReach(policies, { from: topologyPod, to: brokerPod, port: RABBITMQ_PORTS.amqp })).to.equal(false);
  });
});
