/**
 * `strata:infra.vsphere.breakGlass`: a second login on every node for when the cluster (and its
 * usual access) is down: its own SSH keys (public, plain config) and, optionally, a password for
 * the VM console only, whose crypt(3) hash is the top-level secret key
 * `strata:vsphereBreakGlassPasswordHash` (a hash is still a verifier an attacker can test offline,
 * so it is kept out of plain config and out of the VMs' configuration once the cluster runs).
 */
import { z } from "zod";
import { dnsLabel, strictObject } from "../../common";
import type { RawSecretKey } from "./connection";

/** Top-level secret key holding the console password's hash. */
export const BREAK_GLASS_PASSWORD_HASH_KEY = "vsphereBreakGlassPasswordHash";

const sshKey = z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) \S+/, { error: "must be an OpenSSH public key line, e.g. ssh-ed25519 AAAA... break-glass" });

export const breakGlass = strictObject({
  user: dnsLabel(32).default("breakglass").describe("Login created on every node beside `adminUser`, in group sudo (no sudo password)."),
  sshAuthorizedKeys: z.array(sshKey).min(1, { error: "must list at least one key: the break-glass user logs in with them" }).describe("SSH public keys of the break-glass user; keep their private keys offline (e.g. sealed in the team's vault), apart from the daily `sshAuthorizedKeys`."),
  consolePassword: z
    .boolean()
    .default(false)
    .describe(
      "Give the user a password for the VM console (vSphere Client > Launch Web Console), from the secret key `strata:vsphereBreakGlassPasswordHash` (a crypt(3) hash: `mkpasswd -m yescrypt` or `openssl passwd -6`). SSH password login stays off. Only VMs created before the cluster first came up, or replaced with the key set, get it (see infra/vsphere/README.md, \"Break-glass access\").",
    ),
});

export type BreakGlassConfig = z.infer<typeof breakGlass>;

/** The secret key's state against the settings: required with `consolePassword`, secret, and only then. */
export function breakGlassProblems(settings: { readonly adminUser: string; readonly breakGlass?: BreakGlassConfig | undefined }, hash: RawSecretKey | undefined): string[] {
  const key = `strata:${BREAK_GLASS_PASSWORD_HASH_KEY}`;
  const setHash = `\`pulumi config set --secret ${key} "$(mkpasswd -m yescrypt)"\``;
  const problems: string[] = [];
  if (hash?.isSet === true && !hash.isSecret) problems.push(`${key}: is stored in clear (got a plain value); store it encrypted with ${setHash}`);
  const wanted = settings.breakGlass?.consolePassword === true;
  if (wanted && hash?.isSet !== true) problems.push(`${key}: is required with strata:infra.vsphere.breakGlass.consolePassword true (got nothing); set it with ${setHash}`);
  if (!wanted && hash?.isSet === true) problems.push(`${key}: is set but strata:infra.vsphere.breakGlass.consolePassword is not true (got a hash); set consolePassword: true to use it, or remove the key`);
  if (settings.breakGlass !== undefined && settings.breakGlass.user === settings.adminUser) {
    problems.push(`strata:infra.vsphere.breakGlass.user: is adminUser too (got "${settings.breakGlass.user}"); give the break-glass login its own name, e.g. breakglass`);
  }
  return problems;
}
