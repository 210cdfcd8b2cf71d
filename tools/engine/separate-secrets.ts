/**
 * Turns values as the engine sees them (secret wrappers, resource references, assets) into plain
 * data twice: `raw` keeps secret values (fakes under mocks), `redacted` replaces them.
 */
import { specialArchiveSig, specialAssetSig, specialResourceSig, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { isUnknown } from "@pulumi/pulumi/output";
import { SECRET_PLACEHOLDER } from "./plan-document";
import { collectSecretStrings, maskedSecret, UNKNOWN_AT_PREVIEW } from "./values";

export interface Separated {
  readonly raw: unknown;
  readonly redacted: unknown;
}

/** Splits a deserialized engine value; every string inside a secret is added to `secrets`. */
export function separateSecrets(value: unknown, secrets: Set<string>, inSecret = false): Separated {
  if (isUnknown(value)) return { raw: UNKNOWN_AT_PREVIEW, redacted: inSecret ? SECRET_PLACEHOLDER : UNKNOWN_AT_PREVIEW };
  if (Array.isArray(value)) {
    const items = value.map((item) => separateSecrets(item, secrets, inSecret));
    return { raw: items.map((i) => i.raw), redacted: items.map((i) => i.redacted) };
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const sig = record[specialSigKey];
    if (sig === specialSecretSig) {
      const inner = separateSecrets(record.value, secrets, true);
      return { raw: inner.raw, redacted: maskedSecret(inner.raw, false) };
    }
    if (sig === specialResourceSig) return { raw: record.urn, redacted: record.urn };
    if (sig === specialAssetSig || sig === specialArchiveSig) return { raw: "[asset]", redacted: "[asset]" };
    const entries = Object.entries(record).map(([k, v]) => [k, separateSecrets(v, secrets, inSecret)] as const);
    return { raw: Object.fromEntries(entries.map(([k, s]) => [k, s.raw])), redacted: Object.fromEntries(entries.map(([k, s]) => [k, s.redacted])) };
  }
  if (inSecret) {
    collectSecretStrings(value, secrets);
    return { raw: value, redacted: SECRET_PLACEHOLDER };
  }
  return { raw: value, redacted: value };
}
