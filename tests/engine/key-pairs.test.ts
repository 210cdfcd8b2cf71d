import { expect } from "chai";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyPairHintFile, makeRsaKeyPairsAhead, readKeyPairHint, rsaKeyPair, rsaKeyPairsRequested, rsaKeyPairsTakenAhead, writeKeyPairHint } from "../../tools/engine/mock-state/key-pairs";

describe("mock RSA key pairs made ahead on a worker thread (issue #27: plan time)", function () {
  this.timeout(30_000);

  it("takes the pairs made ahead, then makes the rest on the spot: every one a distinct matching 2048-bit pair", () => {
    makeRsaKeyPairsAhead(2);
    const pairs = [rsaKeyPair(), rsaKeyPair(), rsaKeyPair()];
    expect(rsaKeyPairsTakenAhead()).to.equal(2);
    expect(rsaKeyPairsRequested()).to.equal(3);
    expect(new Set(pairs.map((p) => p.privateKeyPem)).size).to.equal(3);
    for (const pair of pairs) {
      const privateKey = createPrivateKey(pair.privateKeyPem);
      expect(privateKey.asymmetricKeyType).to.equal("rsa");
      expect(privateKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
      expect(pair.privateKeyPem).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(pair.publicKeyPem).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
      expect(createPublicKey(privateKey).export({ type: "spki", format: "pem" })).to.equal(pair.publicKeyPem);
    }
  });

  it("keeps a count per project directory, project and stack, and never a key", () => {
    const dir = mkdtempSync(join(tmpdir(), "strata-key-pairs-"));
    try {
      const file = join(dir, "hint.json");
      expect(readKeyPairHint(file), "no hint yet").to.equal(0);
      writeKeyPairHint(file, 5);
      expect(readKeyPairHint(file)).to.equal(5);
      expect(readFileSync(file, "utf8")).to.equal('{"rsa":5}');
      writeFileSync(file, "not json");
      expect(readKeyPairHint(file), "a damaged hint").to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const hint = keyPairHintFile("/repo", "strata", "prod");
    expect(hint).to.match(/\.strata\/key-pairs\/[0-9a-f]{24}\.json$/);
    expect(new Set([hint, keyPairHintFile("/repo", "strata", "dev"), keyPairHintFile("/other", "strata", "prod"), keyPairHintFile("/repo", "other", "prod")]).size).to.equal(4);
  });
});
