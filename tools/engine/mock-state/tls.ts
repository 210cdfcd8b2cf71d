/**
 * `@pulumi/tls`: real key pairs (so code that parses public keys works) and certificate-shaped
 * placeholders. Keys are made fresh per run and never written anywhere in clear.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { type KeyPair, rsaKeyPair } from "./key-pairs";
import type { ProviderMocks } from "./types";

function keyPair(algorithm: unknown): KeyPair {
  if (algorithm !== "ECDSA" && algorithm !== "ED25519") return rsaKeyPair();
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function certificate(name: string): string {
  const body = createHash("sha256").update(`certificate:${name}`).digest("base64");
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

const validity = () => {
  const start = new Date(Date.UTC(2026, 0, 1));
  return { validityStartTime: start.toISOString(), validityEndTime: new Date(start.getTime() + 365 * 24 * 3600 * 1000).toISOString(), readyForRenewal: false };
};

export const tlsMocks: ProviderMocks = {
  resources: {
    "tls:index/privateKey:PrivateKey": ({ inputs }) => {
      const pair = keyPair(inputs.algorithm);
      return { state: { ...pair, privateKeyPemPkcs8: pair.privateKeyPem, publicKeyFingerprintSha256: "SHA256:mock" } };
    },
    "tls:index/selfSignedCert:SelfSignedCert": ({ name }) => ({ state: { certPem: certificate(name), ...validity() } }),
    "tls:index/locallySignedCert:LocallySignedCert": ({ name }) => ({ state: { certPem: certificate(name), ...validity() } }),
    "tls:index/certRequest:CertRequest": ({ name }) => ({ state: { certRequestPem: certificate(`${name}-csr`) } }),
  },
  calls: {},
};

export const TLS_SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "tls:index/privateKey:PrivateKey": ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
};
