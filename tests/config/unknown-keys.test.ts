import { expect } from "chai";
import { closestKey, editDistance, strictObject, unknownKeyMessage } from "../../config/common";
import { formatIssues } from "../../config/errors";
import { AppServiceConfig } from "../../config/apps/service";

describe("unknown config keys", () => {
  it("measures edits one character at a time", () => {
    expect(editDistance("replica", "replicas")).to.equal(1);
    expect(editDistance("postgress", "postgres")).to.equal(1);
    expect(editDistance("kitten", "sitting")).to.equal(3);
    expect(editDistance("", "abc")).to.equal(3);
  });

  it("suggests the closest allowed key only when it is close (case ignored)", () => {
    expect(closestKey("clustername", ["backend", "clusterName", "network"])).to.equal("clusterName");
    expect(closestKey("memoryMB", ["cpuMillis", "memoryMi"])).to.equal("memoryMi");
    expect(closestKey("colour", ["replicas", "image"])).to.equal(undefined);
  });

  it("issue #27: a typo among a service's 37 keys names the one meant, not all of them", () => {
    const input = { image: "app:1.0.0", port: 8080, replica: 3 };
    const result = AppServiceConfig.safeParse(input);
    const messages = result.success ? [] : formatIssues("strata:apps.services.api", input, result.error.issues);
    expect(messages).to.include('strata:apps.services.api.replica: unknown key; did you mean replicas? (got "replica")');
  });

  it("issue #27: never lists more than 8 allowed keys; short lists are given in full", () => {
    const many = Array.from({ length: 33 }, (_, i) => `key${String.fromCharCode(97 + (i % 26))}${i}`);
    expect(unknownKeyMessage(["somethingElse"], many)).to.equal("unknown key; none of the 33 keys allowed here is close (they are listed in docs/config.md)");
    expect(unknownKeyMessage(["zzz"], ["enabled", "replicas"])).to.equal("unknown key; allowed keys: enabled, replicas");
    expect(unknownKeyMessage(["replica", "enabeld"], ["enabled", "replicas"])).to.equal("unknown keys; did you mean replicas (for replica), enabled (for enabeld)?");
  });

  it("says when nothing is configurable", () => {
    const result = strictObject({}).safeParse({ x: 1 });
    expect(result.success ? "" : result.error.issues[0]?.message).to.equal("unknown key; nothing is configurable here yet");
  });
});
