/**
 * Day-2 configuration of the load-balancer VMs. cloud-init runs once per instance, so the HAProxy
 * and keepalived files it writes on first boot would stay as they were (a control plane added or
 * replaced would never reach HAProxy's backends). Their rendered configuration therefore also goes
 * into two guestinfo keys of the VM, which Pulumi rewrites in place (`extraConfigRebootRequired:
 * false`), and a systemd timer on each load balancer applies them: read with `vmware-rpctool
 * "info-get guestinfo.<key>"` (open-vm-tools; the same call cloud-init's VMware datasource reads its
 * documents with, and govmomi's `govc vm.change` usage shows a guestinfo value set through a
 * reconfigure read this way in the running guest), decoded, checked with the daemon's own
 * configuration test, and installed with a graceful reload only when the content changed.
 *
 * The keys hold nothing secret: keepalived's VRRP password is a placeholder, filled in on the node
 * from the 0600 file cloud-init wrote on first boot.
 */
import type { WriteFile } from "./cloud-init";
import { nodeInterfaceFunction, INTERFACE_PLACEHOLDER } from "./network";

export const LB_SYNC_GUESTINFO = {
  haproxy: "guestinfo.strata.haproxy",
  keepalived: "guestinfo.strata.keepalived",
} as const;

/** Stands for the VRRP password in the keepalived guestinfo key. */
export const VRRP_PASSWORD_PLACEHOLDER = "STRATA_VRRP_PASSWORD";

export const LB_SYNC_SCRIPT = "/usr/local/sbin/strata-lb-sync.sh";
export const VRRP_PASSWORD_FILE = "/etc/strata/vrrp-password";
export const LB_SYNC_UNIT = "strata-lb-sync";

/** How often the timer looks at guestinfo (systemd time span). */
export const LB_SYNC_INTERVAL = "1min";

export interface LbSyncPaths {
  /** @default "/etc/haproxy/haproxy.cfg" */
  readonly haproxyConfig?: string;
  /** @default "/etc/keepalived/keepalived.conf" */
  readonly keepalivedConfig?: string;
  /** @default VRRP_PASSWORD_FILE */
  readonly vrrpPasswordFile?: string;
}

/**
 * The extraConfig keys (base64) carrying a load balancer's configuration. `keepalived` is the
 * rendered file with `password` replaced by the placeholder.
 */
export function loadBalancerGuestinfo(haproxy: string, keepalived: string, password: string): Record<string, string> {
  const withoutPassword = keepalived.split(password).join(VRRP_PASSWORD_PLACEHOLDER);
  return {
    [LB_SYNC_GUESTINFO.haproxy]: Buffer.from(haproxy).toString("base64"),
    [LB_SYNC_GUESTINFO.keepalived]: Buffer.from(withoutPassword).toString("base64"),
  };
}

/**
 * The timer's script. For each daemon: read the key (absent: nothing to do, e.g. a VM whose
 * configuration predates the key), decode it, fill in the interface and the VRRP password, and
 * compare with the running file; only a different file is tested (`haproxy -c -f`,
 * `keepalived -t -f`) and, when valid, moved into place and the daemon reloaded
 * (`systemctl reload`: HAProxy's unit re-checks and hands the listeners to new workers, keepalived's
 * re-reads on SIGHUP). An invalid file is logged and left aside; the running one stays and the
 * script exits non-zero, so the unit shows as failed.
 *
 * `keepalived -t` (`--config-test`, keepalived ≥ 2.0.4, acassen/keepalived#919) is reliable here from
 * 2.2.8 on: 2.2.7 kills itself ("Terminated", exit 143) testing a configuration with
 * `enable_script_security` and `script_user`, as ours has (acassen/keepalived#2617, fixed by commit
 * aae8e91 in 2.2.8). Ubuntu 24.04 ships 1:2.2.8, which the `1:2.2.*` pin resolves to.
 */
export function lbSyncScript(nodeAddress: string, paths: LbSyncPaths = {}): string {
  const haproxy = paths.haproxyConfig ?? "/etc/haproxy/haproxy.cfg";
  const keepalived = paths.keepalivedConfig ?? "/etc/keepalived/keepalived.conf";
  const passwordFile = paths.vrrpPasswordFile ?? VRRP_PASSWORD_FILE;
  return [
    "#!/bin/bash",
    "# Applies HAProxy and keepalived configuration changed in guestinfo by Pulumi (run by strata-lb-sync.timer).",
    "set -euo pipefail",
    "",
    ...nodeInterfaceOnly(nodeAddress),
    "log() { echo \"strata-lb-sync: $*\"; }",
    "",
    "# sync_config <guestinfo key> <target file> <mode> <unit> <check command…>: the check gets the candidate file last.",
    "sync_config() {",
    "  local key=$1 target=$2 mode=$3 unit=$4 encoded candidate iface",
    "  shift 4",
    '  if ! encoded=$(vmware-rpctool "info-get ${key}" 2>/dev/null) || [ -z "$encoded" ]; then',
    "    return 0",
    "  fi",
    '  candidate=$(mktemp "${target}.strata-XXXXXX")',
    '  if ! printf \'%s\' "$encoded" | base64 -d > "$candidate" 2>/dev/null; then',
    '    log "${key} is not valid base64; keeping ${target}" >&2',
    '    rm -f "$candidate"',
    "    return 1",
    "  fi",
    `  if grep -q ${INTERFACE_PLACEHOLDER} "$candidate"; then`,
    '    if ! iface=$(node_interface); then',
    '      log "no interface carries ${NODE_ADDRESS}; keeping ${target}" >&2',
    '      rm -f "$candidate"',
    "      return 1",
    "    fi",
    `    sed -i "s/${INTERFACE_PLACEHOLDER}/\${iface}/g" "$candidate"`,
    "  fi",
    `  if grep -q ${VRRP_PASSWORD_PLACEHOLDER} "$candidate"; then`,
    "    local password",
    `    if ! password=$(cat ${passwordFile} 2>/dev/null) || [ -z "$password" ]; then`,
    `      log "no VRRP password in ${passwordFile}; keeping \${target}" >&2`,
    '      rm -f "$candidate"',
    "      return 1",
    "    fi",
    `    sed -i "s/${VRRP_PASSWORD_PLACEHOLDER}/\${password}/g" "$candidate"`,
    "  fi",
    '  if cmp -s "$candidate" "$target"; then',
    '    rm -f "$candidate"',
    "    return 0",
    "  fi",
    '  if ! "$@" "$candidate"; then',
    '    log "the ${target} in ${key} fails \'$*\'; keeping the running one" >&2',
    '    rm -f "$candidate"',
    "    return 1",
    "  fi",
    '  chmod "$mode" "$candidate"',
    '  if ! mv -f "$candidate" "$target"; then',
    '    log "could not replace ${target}" >&2',
    '    rm -f "$candidate"',
    "    return 1",
    "  fi",
    '  if ! systemctl reload "$unit"; then',
    '    log "${target} replaced from ${key} but reloading ${unit} failed" >&2',
    "    return 1",
    "  fi",
    '  log "${target} replaced from ${key}; ${unit} reloaded"',
    "}",
    "",
    "status=0",
    `sync_config ${LB_SYNC_GUESTINFO.haproxy} ${haproxy} 0644 haproxy haproxy -c -f || status=1`,
    `sync_config ${LB_SYNC_GUESTINFO.keepalived} ${keepalived} 0600 keepalived keepalived -t -f || status=1`,
    'exit "$status"',
    "",
  ].join("\n");
}

/** `node_interface` alone: `install_for_interface` installs without a check, which this script must not do. */
function nodeInterfaceOnly(nodeAddress: string): string[] {
  const lines = nodeInterfaceFunction(nodeAddress);
  const installer = lines.indexOf("install_for_interface() {");
  return installer < 0 ? lines : [...lines.slice(0, installer), ""];
}

/** The oneshot service and its timer, started on first boot after HAProxy and keepalived run. */
export function lbSyncUnits(): WriteFile[] {
  const service = [
    "[Unit]",
    "Description=Apply HAProxy and keepalived configuration changed in guestinfo (strata)",
    "After=haproxy.service keepalived.service",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${LB_SYNC_SCRIPT}`,
    "",
  ].join("\n");
  const timer = [
    "[Unit]",
    "Description=Look for HAProxy and keepalived configuration changes in guestinfo (strata)",
    "",
    "[Timer]",
    `OnActiveSec=${LB_SYNC_INTERVAL}`,
    `OnUnitActiveSec=${LB_SYNC_INTERVAL}`,
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  return [
    { path: `/etc/systemd/system/${LB_SYNC_UNIT}.service`, permissions: "0644", content: service },
    { path: `/etc/systemd/system/${LB_SYNC_UNIT}.timer`, permissions: "0644", content: timer },
  ];
}

/** The first-boot command that starts the timer (after `strata-load-balancer.sh` installed the daemons). */
export const LB_SYNC_ENABLE = `systemctl enable --now ${LB_SYNC_UNIT}.timer`;
