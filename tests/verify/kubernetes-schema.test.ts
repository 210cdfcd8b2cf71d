import { expect } from "chai";
import { isBuiltInApiVersion, splitApiVersion, validateKubernetesObject } from "../../tools/verify/kubernetes-schema";
import { deployment } from "./plans";

describe("verify: built-in objects against the Kubernetes OpenAPI schema", () => {
  it("passes a valid Deployment, including label maps, int-or-string ports and secret placeholders", async () => {
    expect(await validateKubernetesObject(deployment())).to.deep.equal([]);
  });

  it("reports a field a Deployment spec does not have", async () => {
    expect(await validateKubernetesObject(deployment({ replica: 3 }))).to.deep.equal([
      { path: "spec.replica", message: "unknown field (not in the Kubernetes schema)" },
    ]);
  });

  it("reports unknown fields deep inside the pod template", async () => {
    const object = deployment();
    const template = (object["spec"] as { template: { spec: { containers: Record<string, unknown>[] } } }).template;
    template.spec.containers[0] = { ...template.spec.containers[0], imagePullPolicy: "Always", livenessProbes: {} };
    const problems = await validateKubernetesObject(object);
    expect(problems).to.deep.equal([{ path: "spec.template.spec.containers[0].livenessProbes", message: "unknown field (not in the Kubernetes schema)" }]);
  });

  it("reports a Namespace whose metadata.name is not a string", async () => {
    const problems = await validateKubernetesObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: 42 } });
    expect(problems).to.deep.equal([{ path: "metadata.name", message: "must be string" }]);
  });

  it("reports a missing required field", async () => {
    const problems = await validateKubernetesObject({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ name: "http" }] } });
    expect(problems).to.deep.equal([{ path: "spec.ports[0].port", message: "required field is missing" }]);
  });

  it("does not fail a secret placeholder in a string or an integer field", async () => {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "[secret]" }, data: { token: "[secret]" } };
    expect(await validateKubernetesObject(secret)).to.deep.equal([]);
    expect(await validateKubernetesObject(deployment({ replicas: "[secret]" }))).to.deep.equal([]);
  });

  it("validates other built-in groups and versions found by apiVersion and kind", async () => {
    const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "web" }, spec: { minAvailable: "50%", selector: {} } };
    const hpa = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: "ten" },
    };
    const priority = { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: "apps-high" }, value: 1000 };
    expect(await validateKubernetesObject(pdb)).to.deep.equal([]);
    expect(await validateKubernetesObject(priority)).to.deep.equal([]);
    expect(await validateKubernetesObject(hpa)).to.deep.equal([{ path: "spec.maxReplicas", message: "must be integer" }]);
  });

  it("leaves free-form embedded JSON alone", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "things.example.test" },
      spec: {
        group: "example.test",
        names: { kind: "Thing", plural: "things" },
        scope: "Namespaced",
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
                  status: { $ref: "#/definitions/status", nullable: true, default: { ready: false } },
                },
              },
            },
          },
        ],
      },
    };
    expect(await validateKubernetesObject(crd)).to.deep.equal([]);
  });

  it("reports a kind the apiVersion does not serve, and sends custom resources to their CRD", async () => {
    expect(await validateKubernetesObject({ apiVersion: "apps/v1", kind: "CronJob", metadata: {} })).to.deep.equal([
      { path: "kind", message: "CronJob is not a kind served by apps/v1 (Kubernetes OpenAPI schema in kubernetes-models)" },
    ]);
    const [problem] = await validateKubernetesObject({ apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer" });
    expect(problem?.message).to.contain("not a built-in Kubernetes API group");
    expect(await validateKubernetesObject("kind: Namespace")).to.have.length(1);
  });

  it("tells built-in API groups from custom ones", () => {
    expect(splitApiVersion("v1")).to.deep.equal({ group: "", version: "v1" });
    expect(splitApiVersion("gateway.networking.k8s.io/v1")).to.deep.equal({ group: "gateway.networking.k8s.io", version: "v1" });
    expect(["v1", "apps/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1"].every(isBuiltInApiVersion)).to.equal(true);
    expect(["gateway.networking.k8s.io/v1", "cert-manager.io/v1", "metallb.io/v1beta1"].some(isBuiltInApiVersion)).to.equal(false);
  });
});
