/**
 * How the cloud provider and the CSI driver trust vCenter's certificate: a CA bundle
 * (`strata:infra.vsphere.vcenterCa`, e.g. vCenter's own VMCA root), or the certificate's SHA-1
 * thumbprint (`vcenterThumbprint`, which breaks at every renewal of the certificate). vCenter's
 * default certificate is signed by the VMCA, which neither image trusts, so without one of them
 * and with `vsphere:allowUnverifiedSsl: false` the CPI cannot log in and no node is ever
 * initialised: refused here, before any resource is declared.
 */
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { describeValue } from "../../errors";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Where an operator gets the VMCA root; the same text in the schema doc and in the refusals. */
export const VCENTER_CA_HOWTO =
  "download https://<vcenter>/certs/download.zip (vCenter's trusted root CAs), unzip it and use the VMCA root under certs/lin/*.0 (PEM), e.g. `pulumi config set --path strata:infra.vsphere.vcenterCa -- \"$(cat certs/lin/<hash>.0)\"`";

/**
 * The certificates of a PEM bundle, or why it is not one: one or more `CERTIFICATE` blocks, each
 * parsed by node's X509 parser, nothing else but whitespace between them.
 */
export function pemCertificates(bundle: string): X509Certificate[] | string {
  const certificates: X509Certificate[] = [];
  let rest = bundle;
  for (const match of bundle.matchAll(PEM_BLOCK)) {
    if (match[1] !== "CERTIFICATE") return `holds a ${match[1]} block; only CERTIFICATE blocks belong in a CA bundle`;
    try {
      certificates.push(new X509Certificate(match[0]));
    } catch (error) {
      return `certificate ${certificates.length + 1} does not parse as X.509 (${(error as Error).message})`;
    }
    rest = rest.replace(match[0], "");
  }
  if (certificates.length === 0) return "holds no PEM CERTIFICATE block";
  if (rest.trim() !== "") return "holds text outside its PEM CERTIFICATE blocks";
  return certificates;
}

/** `strata:infra.vsphere.vcenterCa`: a PEM bundle of one or more certificates. */
export const vcenterCa = z.string().superRefine((value, ctx) => {
  const parsed = pemCertificates(value);
  if (typeof parsed === "string") {
    ctx.addIssue({ code: "custom", message: `must be a PEM bundle of one or more CERTIFICATE blocks (X.509), but ${parsed}; ${VCENTER_CA_HOWTO}` });
  }
});

/** The trust settings the check reads. */
export interface VcenterTrust {
  readonly vcenterCa?: string | undefined;
  readonly vcenterThumbprint?: string | undefined;
  /** Node pools, for the autoscaled ones: machine-controller can trust a CA bundle but not a thumbprint. @default {} */
  readonly nodePools?: Readonly<Record<string, { readonly autoscaling?: unknown }>>;
}

/** Every problem with the trust settings for a connection that does (or does not) verify vCenter's certificate. */
export function vcenterTrustProblems(trust: VcenterTrust, allowUnverifiedSsl: boolean): string[] {
  if (trust.vcenterCa !== undefined && trust.vcenterThumbprint !== undefined) {
    return [
      `strata:infra.vsphere.vcenterThumbprint: is set together with vcenterCa (got ${describeValue(trust.vcenterThumbprint)}); keep one: the CA bundle survives vCenter's certificate renewals, the thumbprint does not`,
    ];
  }
  const autoscaled = Object.entries(trust.nodePools ?? {})
    .filter(([, pool]) => pool.autoscaling !== undefined)
    .map(([name]) => name);
  if (!allowUnverifiedSsl && trust.vcenterCa === undefined && trust.vcenterThumbprint !== undefined && autoscaled.length > 0) {
    return [
      `strata:infra.vsphere.vcenterCa: is required for autoscaled pools (${autoscaled.join(", ")}) with vsphere:allowUnverifiedSsl false (got only vcenterThumbprint); machine-controller trusts a CA bundle (-ca-bundle) and has no thumbprint setting: ${VCENTER_CA_HOWTO}, and remove vcenterThumbprint`,
    ];
  }
  if (allowUnverifiedSsl || trust.vcenterCa !== undefined || trust.vcenterThumbprint !== undefined) return [];
  return [
    `strata:infra.vsphere.vcenterCa: is required with vsphere:allowUnverifiedSsl false unless vcenterThumbprint is set (got nothing); the cloud provider and the CSI driver trust only their images' CAs, and vCenter's certificate is signed by its own VMCA: ${VCENTER_CA_HOWTO}`,
  ];
}
