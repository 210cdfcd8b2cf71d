/** `@pulumi/random`: deterministic values derived from the resource name, sized as requested. */
import { createHash } from "node:crypto";
import type { ProviderMocks } from "./types";
import { MOCK_SECRET_PREFIX } from "./types";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";

/** `length` characters from the alphabet the inputs allow, derived from `seed`. */
export function deterministicString(seed: string, length: number, inputs: Record<string, unknown>): string {
  const alphabet = [inputs.lower === false ? "" : LOWER, inputs.upper === false ? "" : UPPER, inputs.numeric === false ? "" : DIGITS].join("") || LOWER;
  let out = "";
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash("sha256").update(`${seed}:${block}`).digest()) {
      if (out.length >= length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const num = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);

export const randomMocks: ProviderMocks = {
  resources: {
    "random:index/randomPassword:RandomPassword": ({ name, inputs }) => {
      const length = num(inputs.length, 32);
      const result = `${MOCK_SECRET_PREFIX}${deterministicString(name, Math.max(length, 12), inputs)}`.slice(0, Math.max(length, MOCK_SECRET_PREFIX.length + 8));
      return { id: "none", state: { result, bcryptHash: `$2a$10$${deterministicString(`${name}-hash`, 53, {})}` } };
    },
    "random:index/randomString:RandomString": ({ name, inputs }) => ({
      id: "none",
      state: { result: deterministicString(name, num(inputs.length, 16), inputs) },
    }),
    "random:index/randomBytes:RandomBytes": ({ name, inputs }) => {
      const bytes = createHash("sha256").update(`${MOCK_SECRET_PREFIX}${name}`).digest().subarray(0, num(inputs.length, 32));
      return { id: "none", state: { hex: bytes.toString("hex"), base64: bytes.toString("base64") } };
    },
    "random:index/randomId:RandomId": ({ name, inputs }) => {
      const bytes = createHash("sha256").update(name).digest().subarray(0, num(inputs.byteLength, 8));
      return { id: bytes.toString("base64url"), state: { hex: bytes.toString("hex"), b64Std: bytes.toString("base64"), b64Url: bytes.toString("base64url"), dec: BigInt(`0x${bytes.toString("hex")}`).toString() } };
    },
  },
  calls: {},
};

/** Which mocked outputs are secret upstream, so a leak check can look for their values. */
export const RANDOM_SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
  "random:index/randomBytes:RandomBytes": ["hex", "base64"],
};
