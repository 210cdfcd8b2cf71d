import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compiledTreeOf, keptSerializeFunction, providerIdentity } from "../../tools/engine/serialized-providers";

type Serialized = { text: string; exportName: string; containsSecrets: boolean };

/** A stand-in for the SDK's serializeFunction that counts its calls. */
function countingSerializer(): { calls: string[]; serialize: (func: () => unknown) => Promise<Serialized> } {
  const calls: string[] = [];
  return {
    calls,
    serialize: (func) => {
      calls.push(String(func));
      return Promise.resolve({ text: `serialized ${String(calls.length)}`, exportName: "handler", containsSecrets: false });
    },
  };
}

/** What dynamic/index.js hands the SDK: the provider behind a thunk of exactly this text. */
function thunkOf(provider: object): () => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the SDK's own thunk text, which the cache recognises
  const makeThunk = new Function("provider", "return () => provider") as (provider: object) => () => unknown;
  return makeThunk(provider);
}

describe("dynamic providers' serialization kept per state of the sources (issue #27: plan time)", () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), "strata-providers-")), ".serialized-providers");
  });
  afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

  it("serializes a provider once, then answers from the kept file in a later process", async () => {
    const provider = { create: (inputs: unknown) => Promise.resolve({ id: "x", outs: inputs }) };
    const first = countingSerializer();
    expect(await keptSerializeFunction(dir, first.serialize)(thunkOf(provider), { allowSecrets: true })).to.deep.include({ text: "serialized 1" });
    expect(readdirSync(dir)).to.have.length(1);
    const later = countingSerializer();
    expect(await keptSerializeFunction(dir, later.serialize)(thunkOf(provider), { allowSecrets: true })).to.deep.equal({ text: "serialized 1", exportName: "handler", containsSecrets: false });
    expect(later.calls).to.deep.equal([]);
  });

  it("keeps another provider, other options or another function apart", async () => {
    const counting = countingSerializer();
    const kept = keptSerializeFunction(dir, counting.serialize);
    await kept(thunkOf({ create: () => 1 }), { allowSecrets: true });
    await kept(thunkOf({ create: () => 2 }), { allowSecrets: true });
    await kept(thunkOf({ create: () => 2 }), { allowSecrets: false });
    const plain = (): number => 3;
    await kept(plain);
    await kept(plain);
    expect(counting.calls).to.have.length(5);
    expect(readdirSync(dir)).to.have.length(3);
  });

  it("serializes afresh, and keeps nothing of, two distinct providers with the same method texts", async () => {
    const create = (): number => 1;
    const counting = countingSerializer();
    const kept = keptSerializeFunction(dir, counting.serialize);
    await kept(thunkOf({ create }));
    await kept(thunkOf({ create }));
    await kept(thunkOf({ create }));
    expect(counting.calls).to.have.length(3);
    expect(readdirSync(dir), "what the first one left is dropped").to.deep.equal([]);
  });

  it("knows a provider only as an object of functions", () => {
    expect(providerIdentity({ create: () => 1, diff: () => 2 })).to.be.a("string");
    expect(providerIdentity({ create: () => 1, endpoint: "https://x" })).to.equal(undefined);
    expect(providerIdentity({})).to.equal(undefined);
    expect(providerIdentity(() => 1)).to.equal(undefined);
  });

  it("finds the compiled tree a module runs from, and none for sources", () => {
    expect(compiledTreeOf("/repo/.strata/js/0123abcd/tools/engine/run-program.js")).to.equal("/repo/.strata/js/0123abcd");
    expect(compiledTreeOf("/repo/tools/engine/run-program.ts")).to.equal(undefined);
    expect(compiledTreeOf("/repo/dist/tools/engine/run-program.js")).to.equal(undefined);
  });
});
