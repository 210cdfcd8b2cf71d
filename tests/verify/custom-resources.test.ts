import { expect } from "chai";
import { crdKey, loadCrds, toJsonSchema } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { FIXTURE_CHARTS } from "./plans";

const GROUP = "widgets.example.test";

function widget(spec: Record<string, unknown>, version = "v1"): Record<string, unknown> {
  return { apiVersion: `${GROUP}/${version}`, kind: "Widget", metadata: { name: "w", namespace: "demo" }, spec };
}

function check(object: Record<string, unknown>, kind = "Widget", version = "v1") {
  return customResourceFindings("widget w", object, GROUP, version, kind, loadCrds(FIXTURE_CHARTS));
}

describe("verify: custom resources against their CRD schema", () => {
  it("loads every CRD of a multi-document file behind a Helm template guard", () => {
    const crds = loadCrds(FIXTURE_CHARTS);
    expect([...crds.keys()].sort()).to.deep.equal([crdKey(GROUP, "Gadget"), crdKey(GROUP, "Widget")]);
    expect(crds.get(crdKey(GROUP, "Widget"))?.file).to.equal("widgets-operator/crds/widgets.yaml");
  });

  it("passes a valid custom resource", () => {
    const spec = {
      size: 3,
      port: "http",
      mode: "safe",
      policy: "ALLOW",
      timeout: "1m30s",
      owner: null,
      labels: { team: "platform" },
      config: { level: "debug", anything: { goes: [1, 2] } },
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [] } },
      selector: { name: "web" },
    };
    expect(check(widget(spec))).to.deep.equal([]);
    expect(check(widget({ size: 1, port: 8080 }))).to.deep.equal([]);
  });

  it("reports a missing required field with its path and the CRD file", () => {
    expect(check(widget({ mode: "fast" }))).to.deep.equal([
      {
        severity: "error",
        check: "custom-resource",
        resource: "widget w",
        path: "spec.size",
        message: "required field is missing (CRD Widget v1, widgets-operator/crds/widgets.yaml)",
      },
    ]);
  });

  it("reports wrong types, enum values, int-or-string and durations readably", () => {
    const findings = check(widget({ size: "three", mode: "turbo", port: true, timeout: "PT1M", policy: "maybe" }));
    expect(findings.map((finding) => [finding.path, finding.message.replace(/ \(CRD .*\)$/, "")])).to.deep.equal([
      ["spec.size", "must be integer"],
      ["spec.port", "must be integer or string"],
      ["spec.mode", 'must be one of ["fast","safe"]'],
      ["spec.policy", 'must match pattern "(?i)^(allow|deny)$"'],
      ["spec.timeout", 'must match format "duration"'],
    ]);
  });

  it("reports fields the schema does not declare, except under preserve-unknown-fields", () => {
    const findings = check(widget({ size: 1, colour: "red", selector: { name: "web", extra: 1 } }));
    expect(findings.map((finding) => [finding.path, finding.message.replace(/ \(CRD .*\)$/, "")])).to.deep.equal([
      ["spec.colour", "unknown field (not in the schema)"],
      ["spec.selector.extra", "unknown field (not in the schema)"],
    ]);
  });

  it("keeps anyOf branches that only require fields from rejecting the others", () => {
    const [finding] = check(widget({ size: 1, selector: {} }));
    expect(finding?.path).to.equal("spec.selector");
    expect(check(widget({ size: 1, selector: { uid: "123" } }))).to.deep.equal([]);
  });

  it("does not fail a secret placeholder in a typed field", () => {
    expect(check(widget({ size: "[secret]", mode: "[secret]" }))).to.deep.equal([]);
  });

  it("accepts apiVersion, kind and metadata when the CRD schema leaves them out", () => {
    const gadget = { apiVersion: `${GROUP}/v1beta1`, kind: "Gadget", metadata: { name: "g" }, spec: { color: "blue" } };
    expect(check(gadget, "Gadget", "v1beta1")).to.deep.equal([]);
  });

  it("reports a version the CRD does not serve", () => {
    const [finding] = check(widget({ size: 1 }, "v1alpha1"), "Widget", "v1alpha1");
    expect(finding?.severity).to.equal("error");
    expect(finding?.message).to.equal(
      "widgets.example.test/v1alpha1 is not served by the Widget CRD (widgets-operator/crds/widgets.yaml); served versions: v1",
    );
  });

  it("warns that a custom resource without a CRD in the reference data was not checked", () => {
    const findings = customResourceFindings("thing t", { spec: {} }, "things.example.test", "v1", "Thing", loadCrds(FIXTURE_CHARTS));
    expect(findings).to.deep.equal([
      {
        severity: "warning",
        check: "custom-resource",
        resource: "thing t",
        path: "",
        message: "not checked: no CRD for Thing (things.example.test) in the chart reference data",
      },
    ]);
  });

  it("turns structural-schema extensions into JSON Schema", () => {
    const converted = toJsonSchema({
      type: "object",
      properties: { port: { "x-kubernetes-int-or-string": true }, note: { type: "string", nullable: true } },
      "x-kubernetes-validations": [{ rule: "true" }],
    });
    expect(converted).to.deep.equal({
      type: "object",
      properties: { port: { anyOf: [{ type: "integer" }, { type: "string" }] }, note: { type: ["string", "null"] } },
      additionalProperties: false,
    });
  });
});
