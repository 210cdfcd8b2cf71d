/**
 * The vCenter connection for the `vsphere` backend. It lives in the vSphere provider's own
 * namespace (`vsphere:*`), so it is checked here, beside the `strata:*` keys, before any
 * resource is declared.
 */
import { describeValue } from "../../errors";

/**
 * The services that get their own vCenter account: the cloud provider, the CSI driver and, when a
 * pool autoscales, machine-controller (which clones and deletes the autoscaled pools' VMs).
 */
export const VSPHERE_ACCOUNT_KINDS = ["cpi", "csi", "machineController"] as const;
export type VsphereAccountKind = (typeof VSPHERE_ACCOUNT_KINDS)[number];

/** Top-level secret keys holding each account's password (user names are under `strata:infra.vsphere.accounts`). */
export const VSPHERE_ACCOUNT_PASSWORD_KEYS = {
  cpi: "vsphereCpiPassword",
  csi: "vsphereCsiPassword",
  machineController: "vsphereMachineControllerPassword",
} as const satisfies Record<VsphereAccountKind, string>;

/** Whether a password key is set and stored as a secret; its value never reaches the parser. */
export interface RawSecretKey {
  readonly isSet: boolean;
  readonly isSecret: boolean;
}

/** `vsphere:*` values as read from Pulumi; the password's value never reaches the parser. */
export interface RawVsphereConnection {
  readonly server?: unknown;
  readonly user?: unknown;
  readonly allowUnverifiedSsl?: unknown;
  readonly hasPassword: boolean;
  /** Whether `vsphere:password` is stored as a secret. */
  readonly passwordIsSecret: boolean;
  /** `strata:vsphereCpiPassword`, `strata:vsphereCsiPassword`, `strata:vsphereMachineControllerPassword`. @default - none set */
  readonly accountPasswords?: Readonly<Partial<Record<VsphereAccountKind, RawSecretKey>>>;
  /** `strata:vsphereBreakGlassPasswordHash`. @default - not set */
  readonly breakGlassPasswordHash?: RawSecretKey;
}

export interface VsphereConnection {
  readonly server: string;
  readonly user: string;
  /** Accept a self-signed vCenter certificate. @default false */
  readonly allowUnverifiedSsl: boolean;
}

const required = (key: string, how: string) => `${key}: is required for the vsphere backend (got nothing); set it with \`${how}\``;

export function parseVsphereConnection(raw: RawVsphereConnection | undefined, problems: string[]): VsphereConnection | undefined {
  const before = problems.length;
  const server = raw?.server;
  const user = raw?.user;
  if (server === undefined) problems.push(required("vsphere:vsphereServer", "pulumi config set vsphere:vsphereServer vcenter.example.com"));
  else if (typeof server !== "string" || server.trim() === "") problems.push(`vsphere:vsphereServer: must be a host name or address (got ${describeValue(server)}); e.g. vcenter.example.com`);
  if (user === undefined) problems.push(required("vsphere:user", "pulumi config set vsphere:user svc-strata@vsphere.local"));
  else if (typeof user !== "string" || user.trim() === "") problems.push(`vsphere:user: must be a vCenter user name (got ${describeValue(user)}); e.g. svc-strata@vsphere.local`);
  if (raw?.hasPassword !== true) problems.push(required("vsphere:password", "pulumi config set --secret vsphere:password"));
  else if (!raw.passwordIsSecret) problems.push("vsphere:password: is stored in clear (got a plain value); store it encrypted with `pulumi config set --secret vsphere:password`");
  const insecure = raw?.allowUnverifiedSsl;
  if (insecure !== undefined && insecure !== "true" && insecure !== "false" && typeof insecure !== "boolean") {
    problems.push(`vsphere:allowUnverifiedSsl: must be true or false (got ${describeValue(insecure)})`);
  }
  if (problems.length > before) return undefined;
  return { server: String(server), user: String(user), allowUnverifiedSsl: insecure === true || insecure === "true" };
}
