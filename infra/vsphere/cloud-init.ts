/**
 * cloud-init documents for the VMware datasource: `#cloud-config` user-data, metadata (hostname,
 * netplan, and `redact` so the datasource clears the user-data from guestinfo once read), and the
 * `guestinfo.*` extraConfig keys that carry them. Pure; callers run it inside an `apply`.
 */
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";

export interface WriteFile {
  readonly path: string;
  readonly content: string;
  /** Octal mode, e.g. `0600` for anything holding key material. */
  readonly permissions: string;
}

export interface NodeUserData {
  readonly hostname: string;
  readonly adminUser: string;
  readonly sshAuthorizedKeys: readonly string[];
  readonly files: readonly WriteFile[];
  /** Commands run in order at the end of first boot: scripts among `files` by absolute path, or a `systemctl` line. */
  readonly commands: readonly string[];
  /** The break-glass login beside `adminUser`. @default - none */
  readonly breakGlass?: BreakGlassUser;
}

/** A second sudo login with its own keys and, optionally, a console password (crypt(3) hash). */
export interface BreakGlassUser {
  readonly name: string;
  readonly sshAuthorizedKeys: readonly string[];
  /** @default - none: the password stays locked */
  readonly passwordHash?: string;
}

/**
 * cloud-init's users module: `lock_passwd` (default true) locks the password, `hashed_passwd` sets
 * it from a crypt(3) hash (cloudinit/config/cc_users_groups, "Users and Groups" in the cloud-init
 * docs). `ssh_pwauth: false` keeps sshd from accepting it, so the password works on the console only.
 */
function breakGlassEntry(user: BreakGlassUser) {
  return {
    name: user.name,
    groups: ["sudo"],
    shell: "/bin/bash",
    sudo: "ALL=(ALL) NOPASSWD:ALL",
    lock_passwd: user.passwordHash === undefined,
    ...(user.passwordHash === undefined ? {} : { hashed_passwd: user.passwordHash }),
    ssh_authorized_keys: [...user.sshAuthorizedKeys],
  };
}

/** Kernel modules and sysctls every Kubernetes node needs (containerd overlayfs, bridged traffic, forwarding). */
export const KERNEL_FILES: readonly WriteFile[] = [
  { path: "/etc/modules-load.d/kubernetes.conf", permissions: "0644", content: "overlay\nbr_netfilter\n" },
  {
    path: "/etc/sysctl.d/90-kubernetes.conf",
    permissions: "0644",
    content: "net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n",
  },
];

/** Lets HAProxy bind the VIP's ports on the backup node before keepalived moves the VIP there. */
export const LOAD_BALANCER_SYSCTLS: WriteFile = { path: "/etc/sysctl.d/90-load-balancer.conf", permissions: "0644", content: "net.ipv4.ip_nonlocal_bind = 1\n" };

/** Seconds apt waits for the dpkg lock, and download retries (cloud-init's installs and strata's scripts alike). */
export const APT_LOCK_TIMEOUT_SECONDS = 600;
export const APT_RETRIES = 5;

export function userData(node: NodeUserData): string {
  const doc = {
    hostname: node.hostname,
    preserve_hostname: false,
    // Keeps the node's own name resolvable (127.0.1.1) without rewriting the rest of /etc/hosts.
    manage_etc_hosts: "localhost",
    ssh_pwauth: false,
    disable_root: true,
    users: [
      {
        name: node.adminUser,
        groups: ["sudo"],
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ...(node.sshAuthorizedKeys.length > 0 ? { ssh_authorized_keys: [...node.sshAuthorizedKeys] } : {}),
      },
      ...(node.breakGlass === undefined ? [] : [breakGlassEntry(node.breakGlass)]),
    ],
    // cloud-init's own package installs: wait for apt-daily's lock instead of failing, retry downloads.
    apt: { conf: `DPkg::Lock::Timeout "${APT_LOCK_TIMEOUT_SECONDS}";\nAcquire::Retries "${APT_RETRIES}";\n` },
    package_update: true,
    packages: ["ca-certificates", "curl", "gpg"],
    write_files: node.files.map((file) => ({ path: file.path, owner: "root:root", permissions: file.permissions, content: file.content })),
    // One line, chained: runcmd runs its lines as a plain sh script, so a failed node-prep must
    // stop kubeadm from running on a half-prepared node.
    runcmd: [node.commands.join(" && ")],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Datasource metadata: identity, static network, and the guestinfo keys to clear after reading. */
export function metadata(hostname: string, network: object): string {
  return stringify({ "instance-id": hostname, "local-hostname": hostname, network, redact: ["userdata", "vendordata"] }, { lineWidth: 0 });
}

export const GUESTINFO = {
  metadata: "guestinfo.metadata",
  metadataEncoding: "guestinfo.metadata.encoding",
  userdata: "guestinfo.userdata",
  userdataEncoding: "guestinfo.userdata.encoding",
} as const;

/** The VM extraConfig that hands both documents to cloud-init; user-data is gzipped to stay well under guestinfo limits. */
export function guestinfo(user: string, meta: string): Record<string, string> {
  return {
    [GUESTINFO.metadata]: Buffer.from(meta).toString("base64"),
    [GUESTINFO.metadataEncoding]: "base64",
    [GUESTINFO.userdata]: gzipSync(Buffer.from(user)).toString("base64"),
    [GUESTINFO.userdataEncoding]: "gzip+base64",
  };
}
