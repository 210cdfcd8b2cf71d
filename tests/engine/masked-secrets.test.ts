import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import { SECRET_PLACEHOLDER } from "../../tools/engine/plan-document";
import { separateSecrets } from "../../tools/engine/separate-secrets";
import { leakedSecrets, maskedSecret, maskedUrl } from "../../tools/engine/values";

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const URL = "postgresql://app:Zx9wQe2rTy7uIo4p@postgres-pooler-rw.data.svc:5432/app";

describe("engine: connection URLs in secrets", () => {
  it("issue #27: a secret connection URL is shown with the password masked, not as [secret]", () => {
    const secrets = new Set<string>();
    const { raw, redacted } = separateSecrets({ stringData: secret({ DATABASE_URL: URL, SECRET_KEY: "k".repeat(32) }) }, secrets);
    expect(redacted).to.deep.equal({ stringData: { DATABASE_URL: "postgresql://app:***@postgres-pooler-rw.data.svc:5432/app", SECRET_KEY: SECRET_PLACEHOLDER } });
    expect(raw).to.deep.equal({ stringData: { DATABASE_URL: URL, SECRET_KEY: "k".repeat(32) } });
    expect(leakedSecrets(JSON.stringify(redacted), secrets), "the masked form carries no secret value").to.deep.equal([]);
    expect([...secrets]).to.include(URL);
  });

  it("issue #27: stack outputs keep the URL's shape at any depth, every other leaf hidden", () => {
    expect(maskedSecret({ endpoints: { postgres: { url: URL, password: "Zx9wQe2rTy7uIo4p", port: 5432 } } }, true)).to.deep.equal({
      endpoints: { postgres: { url: "postgresql://app:***@postgres-pooler-rw.data.svc:5432/app", password: SECRET_PLACEHOLDER, port: SECRET_PLACEHOLDER } },
    });
  });

  it("keeps the placeholder for secrets without a URL, URLs without a password and nested resource inputs", () => {
    expect(separateSecrets(secret("just-a-password-value"), new Set()).redacted).to.equal(SECRET_PLACEHOLDER);
    expect(maskedUrl("https://example.com/path")).to.equal(undefined);
    expect(maskedUrl("mongodb://u:p@a:27017,b:27017/db?replicaSet=rs0")).to.equal("mongodb://u:***@a:27017,b:27017/db?replicaSet=rs0");
    expect(maskedSecret({ values: { database: { url: URL } } }, false)).to.equal(SECRET_PLACEHOLDER);
  });
});
