import { expect } from "chai";
import { UNKNOWN_FIELD, kindModel, unknownFields } from "../../tools/verify/kubernetes-fields";
import { validateKubernetesObject, validateObjectMeta } from "../../tools/verify/kubernetes-schema";
import { deployment } from "./plans";

type Pod = { template: { spec: { containers: Record<string, unknown>[] } & Record<string, unknown> } };

/** A Deployment whose pod spec and first container get extra fields. */
function deploymentWith(podSpec: Record<string, unknown>, container: Record<string, unknown> = {}): Record<string, unknown> {
  const object = deployment();
  const pod = (object["spec"] as Pod).template.spec;
  Object.assign(pod, podSpec);
  pod.containers[0] = { ...pod.containers[0], ...container };
  return object;
}

const priorityClass = {
  apiVersion: "scheduling.k8s.io/v1",
  kind: "PriorityClass",
  metadata: { name: "apps-high" },
  value: 100_000,
  globalDefault: false,
  preemptionPolicy: "PreemptLowerPriority",
  description: "User-facing application services.",
};

function crd(openAPIV3Schema: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.test" },
    spec: {
      group: "example.test",
      names: { kind: "Thing", plural: "things" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  };
}

describe("verify: fields of built-in objects against the Kubernetes field list", () => {
  it("accepts every declared field of a PriorityClass, description included", async () => {
    expect(await validateKubernetesObject(priorityClass)).to.deep.equal([]);
  });

  it("reports an unknown top-level field with its path", async () => {
    expect(await validateKubernetesObject({ ...priorityClass, descripton: "typo" })).to.deep.equal([{ path: "descripton", message: UNKNOWN_FIELD }]);
  });

  it("reports unknown fields in nested objects, down to a container's securityContext", async () => {
    const object = deploymentWith(
      { securityContext: { runAsNonRoot: true, fsGroupp: 2000 } },
      { securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"], dorp: ["NET_RAW"] } } },
    );
    expect(await validateKubernetesObject(object)).to.deep.equal([
      { path: "spec.template.spec.containers[0].securityContext.capabilities.dorp", message: UNKNOWN_FIELD },
      { path: "spec.template.spec.securityContext.fsGroupp", message: UNKNOWN_FIELD },
    ]);
  });

  it("reports unknown fields inside list items, naming the index", async () => {
    const object = deploymentWith(
      { tolerations: [{ key: "dedicated", operator: "Exists" }, { key: "gpu", effects: "NoSchedule" }] },
      { ports: [{ name: "http", containerPort: 8080, protocl: "TCP" }] },
    );
    expect(await validateKubernetesObject(object)).to.deep.equal([
      { path: "spec.template.spec.containers[0].ports[0].protocl", message: UNKNOWN_FIELD },
      { path: "spec.template.spec.tolerations[1].effects", message: UNKNOWN_FIELD },
    ]);
  });

  it("accepts any key under labels, annotations, nodeSelector and resources.limits", async () => {
    const object = deploymentWith(
      { nodeSelector: { "node-role.strata.dev/data": "true", "topology.kubernetes.io/zone": "a" } },
      { resources: { limits: { "nvidia.com/gpu": "1", "ephemeral-storage": "1Gi" }, requests: { "hugepages-2Mi": "64Mi" } } },
    );
    object["metadata"] = { name: "web", labels: { "strata.dev/tier": "apps", replicas: "2" }, annotations: { "example.test/anything": "x" } };
    expect(await validateKubernetesObject(object)).to.deep.equal([]);
  });

  it("accepts any key of a ConfigMap's data and binaryData, but not a field ConfigMap lacks", async () => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app" }, data: { "config.yaml": "a: 1", kind: "x" }, binaryData: { blob: "AAEC" } };
    expect(await validateKubernetesObject(configMap)).to.deep.equal([]);
    expect(await validateKubernetesObject({ ...configMap, stringData: { key: "v" } })).to.deep.equal([{ path: "stringData", message: UNKNOWN_FIELD }]);
  });

  it("does not judge free-form JSON in a CRD schema, but does judge the schema's own fields", async () => {
    const free = crd({
      type: "object",
      properties: {
        spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true, default: { anyKey: { nested: true } } },
        mode: { type: "string", enum: ["a", "b"], example: { notAField: 1 } },
      },
    });
    expect(await validateKubernetesObject(free)).to.deep.equal([]);
    const typo = crd({ type: "object", properties: { spec: { type: "object", additionalProperty: false } } });
    expect(await validateKubernetesObject(typo)).to.deep.equal([
      { path: "spec.versions[0].schema.openAPIV3Schema.properties.spec.additionalProperty", message: UNKNOWN_FIELD },
    ]);
  });

  it("tells kinds two groups share apart (core Event has message, events.k8s.io Event has note)", async () => {
    expect(await kindModel({ group: "", version: "v1" }, "Event")).to.equal("CoreV1Event");
    expect(await kindModel({ group: "events.k8s.io", version: "v1" }, "Event")).to.equal("EventsV1Event");
    expect(await kindModel({ group: "scheduling.k8s.io", version: "v1" }, "PriorityClass")).to.equal("V1PriorityClass");
    expect(await unknownFields({ note: "n", message: "m" }, "EventsV1Event")).to.deep.equal([{ path: "message", message: UNKNOWN_FIELD }]);
    expect(await unknownFields({ note: "n", message: "m" }, "CoreV1Event")).to.deep.equal([{ path: "note", message: UNKNOWN_FIELD }]);
  });

  it("reports an API version the current Kubernetes API no longer serves instead of passing it unchecked", async () => {
    const ingress = { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "web" }, spec: {} };
    const [problem, ...rest] = await validateKubernetesObject(ingress);
    expect(rest).to.deep.equal([]);
    expect(problem?.path).to.equal("apiVersion");
    expect(problem?.message).to.contain("extensions/v1beta1 Ingress is not in the current Kubernetes API");
    expect(await kindModel({ group: "", version: "v1" }, "PodSpec")).to.equal(undefined);
  });

  it("checks the metadata of any object as ObjectMeta", async () => {
    expect(await validateObjectMeta({ name: "x", labels: { any: "key" }, ownerReferences: [{ kind: "K", name: "n", uid: "u", apiVersion: "v1", controler: true }] })).to.deep.equal([
      { path: "metadata.ownerReferences[0].controler", message: UNKNOWN_FIELD },
    ]);
  });
});
