import { expect } from "chai";
import { installPlainStructs, sdkStructClass, structRoundTrip } from "../../tools/engine/plain-structs";

/** The real round trip through google-protobuf, as the SDK and the mock monitor do it. */
function realRoundTrip(value: unknown): unknown {
  const Struct = sdkStructClass();
  return Struct.fromJavaScript(value as Record<string, unknown>).toJavaScript();
}

function errorOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

class WithInherited {
  public own = 1;
}
(WithInherited.prototype as unknown as Record<string, unknown>)["inherited"] = "from the prototype";

const VALUES: Record<string, unknown> = {
  "a resource's inputs": { metadata: { name: "api", labels: { "app.kubernetes.io/name": "api", b: "2", a: "1" } }, spec: { replicas: 3, paused: false, selector: null } },
  "keys out of order, integer-like and unicode ones": { zeta: 1, "10": "ten", "9": "nine", alpha: [3, 2, 1], Ärger: "ä", _x: { b: { d: 1, c: 2 }, a: [] } },
  "numbers at the edges": { zero: 0, negativeZero: -0, big: Number.MAX_SAFE_INTEGER, tiny: 5e-324, fraction: 0.1 + 0.2 },
  "secrets and resource references as the SDK serializes them": { password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t" } },
  "nested arrays of mixed values": { list: [null, "a", 1, true, [{ y: 1, x: 2 }], {}] },
  "an empty bag": {},
  "inherited enumerable keys": new WithInherited(),
  "an array at the top": ["first", "second"],
};

describe("property bags between the SDK and the mock monitor without protobuf messages (issue #27: plan time)", () => {
  for (const [what, value] of Object.entries(VALUES)) {
    it(`gives what the protobuf round trip gives, key order included: ${what}`, () => {
      const expected = realRoundTrip(value);
      const actual = structRoundTrip(value);
      expect(JSON.stringify(actual)).to.equal(JSON.stringify(expected));
      expect(actual).to.deep.equal(expected);
    });
  }

  it("keeps -0 as the round trip does", () => {
    expect(Object.is(structRoundTrip({ n: -0 })["n"], (realRoundTrip({ n: -0 }) as { n: number }).n)).to.equal(true);
  });

  for (const [what, bad] of Object.entries({ undefined: { v: undefined }, "a function": { v: () => 1 }, "a symbol": { v: Symbol("s") }, "a bigint": { v: 1n }, "undefined in a list": { v: [1, undefined] } })) {
    it(`refuses ${what} with the round trip's own error`, () => {
      const expected = errorOf(() => realRoundTrip(bad));
      expect(expected).to.equal("Unexpected struct type.");
      expect(errorOf(() => structRoundTrip(bad))).to.equal(expected);
    });
  }

  it("hands out a real Struct that request messages accept, reading back the copy and the fields a real one holds", () => {
    const Struct = sdkStructClass();
    const original = Struct.fromJavaScript.bind(Struct);
    const real = installPlainStructs(Struct);
    try {
      const value = { b: { y: [1, "two"] }, a: "x" };
      const struct = Struct.fromJavaScript(value);
      expect(struct).to.be.instanceOf(Struct);
      expect(JSON.stringify(struct.toJavaScript())).to.equal(JSON.stringify(real(value).toJavaScript()));
      expect(struct.toJavaScript(), "a fresh copy per read, as a real Struct gives").to.not.equal(struct.toJavaScript());
      const fields = (map: unknown) => (map as { toArray(): unknown[] }).toArray().length;
      expect(fields(struct.getFieldsMap())).to.equal(2);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own generated message, holding the Struct as it does in a plan
      const { RegisterResourceRequest } = require(require.resolve("@pulumi/pulumi/proto/resource_pb")) as { RegisterResourceRequest: new () => { setObject(s: unknown): void; getObject(): { toJavaScript(): unknown } } };
      const request = new RegisterResourceRequest();
      request.setObject(struct);
      expect(request.getObject().toJavaScript()).to.deep.equal({ a: "x", b: { y: [1, "two"] } });
    } finally {
      Struct.fromJavaScript = original;
    }
  });
});
