import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { renderHelmRelease, renderKubernetesObject } from "../../tools/engine/renderers/kubernetes";
import { redactText } from "../../tools/engine/values";

describe("plan --out renderers", () => {
  // A multi-line PEM made for the test, so no key material lives in the repository.
  const key = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const body = key.split("\n")[1] ?? "";
  const redact = (text: string) => redactText(text, [key]);

  it("redacts a multi-line secret that YAML writes as an indented block", () => {
    const [file] = renderKubernetesObject(
      { urn: "u", type: "kubernetes:core/v1:Secret", name: "ca", parent: "", rawInputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "ca", namespace: "operators" }, stringData: { "tls.key": key } } },
      redact,
    );
    expect(file?.content).to.contain('tls.key: "[secret]"').and.not.contain(body);
  });

  it("redacts multi-line secrets in Helm values", () => {
    const files = renderHelmRelease({ urn: "u", type: "kubernetes:helm.sh/v3:Release", name: "r", parent: "", rawInputs: { name: "r", values: { tls: { key } } } }, redact);
    expect(files.map((f) => f.content).join("\n")).to.not.contain(body);
  });
});
