/**
 * Node data disks: found at boot by their SCSI unit (`/dev/disk/by-path/…-scsi-0:0:<unit>:0`,
 * stable whatever order the kernel enumerates disks in), partitioned, formatted ext4 and mounted
 * by purpose or tier. Pure; the script is idempotent and never formats a disk that has a filesystem.
 */
import type { VsphereInfraConfig } from "../../config/infra/vsphere";
import type { DataDiskPurpose, DataDiskSet } from "../../lib/contracts";

/** Where a node's data disks are mounted. */
export const DATA_DISK_ROOT = "/var/lib/strata/disks";

/** Seconds the script waits for a disk's by-path link before giving up. */
export const DISK_WAIT_SECONDS = 60;

export interface DataDiskMount {
  /** SCSI unit on controller 0: data disk n is unit n (the OS disk is unit 0). */
  readonly unit: number;
  /** Filesystem label, unique per node (ext4 allows 16 characters). */
  readonly fsLabel: string;
  /** Mount point: `<DATA_DISK_ROOT>/<purpose>-<k>` (k counts that purpose's disks), else `<DATA_DISK_ROOT>/<tier>-<n>` (n: the unit). */
  readonly mountPath: string;
}

/** Mounts for the data disks of a VM, in unit-number order after the OS disk. */
export function dataDiskMounts(disks: readonly { readonly tier: string; readonly purpose?: DataDiskPurpose }[]): DataDiskMount[] {
  const seen = new Map<string, number>();
  return disks.map((disk, i) => {
    const k = (seen.get(disk.purpose ?? "") ?? 0) + 1;
    if (disk.purpose !== undefined) seen.set(disk.purpose, k);
    const name = disk.purpose === undefined ? `${disk.tier}-${i + 1}` : `${disk.purpose}-${k}`;
    return { unit: i + 1, fsLabel: `strata-disk${i + 1}`, mountPath: `${DATA_DISK_ROOT}/${name}` };
  });
}

/** The storage pools' purposed data disks as the infra contract publishes them. */
export function dataDiskSets(infra: VsphereInfraConfig): Partial<Record<DataDiskPurpose, DataDiskSet>> {
  const sets: Partial<Record<DataDiskPurpose, { pools: string[]; paths: string[] | undefined }>> = {};
  for (const [pool, settings] of Object.entries(infra.vsphere.nodePools)) {
    if (settings.role !== "storage" || settings.count === 0) continue;
    const mounts = dataDiskMounts(settings.dataDisks);
    for (const purpose of new Set(settings.dataDisks.flatMap((disk) => (disk.purpose === undefined ? [] : [disk.purpose])))) {
      const paths = mounts.filter((_, i) => settings.dataDisks[i]!.purpose === purpose).map((m) => m.mountPath);
      const set = (sets[purpose] ??= { pools: [], paths: undefined });
      set.pools.push(pool);
      // Only paths every pool of this purpose has: the provisioner may pick any of them on any node.
      set.paths = set.paths === undefined ? paths : set.paths.filter((path) => paths.includes(path));
    }
  }
  return Object.fromEntries(Object.entries(sets).map(([purpose, set]) => [purpose, { pools: set.pools, paths: set.paths ?? [] }]));
}

/** Shell script that prepares every data disk; runs first on boot, before any package install. */
export function dataDiskScript(mounts: readonly DataDiskMount[]): string {
  return [
    "#!/bin/bash",
    "# Partitions, formats (ext4) and mounts the data disks, found by SCSI unit. Never formats a disk that holds a filesystem.",
    "set -euo pipefail",
    "",
    "disk_link() {",
    '  local unit=$1 waited=0 links',
    "  while true; do",
    '    links=$(find /dev/disk/by-path -maxdepth 1 -name "*-scsi-0:0:${unit}:0" 2>/dev/null || true)',
    '    if [ "$(printf "%s" "$links" | grep -c .)" = 1 ]; then',
    '      echo "$links"',
    "      return 0",
    "    fi",
    `    if [ "$waited" -ge ${DISK_WAIT_SECONDS} ]; then`,
    `      echo "data disk on SCSI unit \${unit}: expected one /dev/disk/by-path/*-scsi-0:0:\${unit}:0 link after ${DISK_WAIT_SECONDS} s, found: \${links:-none}" >&2`,
    "      return 1",
    "    fi",
    "    sleep 2",
    "    waited=$((waited + 2))",
    "  done",
    "}",
    "",
    "prepare_disk() {",
    '  local unit=$1 label=$2 mount_path=$3 link part',
    '  link=$(disk_link "$unit")',
    '  part="${link}-part1"',
    '  if [ ! -e "$part" ]; then',
    '    if [ -n "$(blkid -o value -s TYPE "$link" || true)" ]; then',
    '      echo "data disk ${link} holds a filesystem but no partition; leaving it alone" >&2',
    "      return 1",
    "    fi",
    '    echo "data disk ${link}: creating one GPT partition"',
    "    printf 'label: gpt\\n,,L\\n' | sfdisk --quiet \"$link\"",
    '    udevadm settle',
    "  fi",
    '  if [ -z "$(blkid -o value -s TYPE "$part" || true)" ]; then',
    '    echo "data disk ${link}: formatting ext4 (${label})"',
    '    mkfs.ext4 -q -L "$label" "$part"',
    "  fi",
    '  install -d -m 0755 "$mount_path"',
    '  if ! grep -q "^LABEL=${label} " /etc/fstab; then',
    '    echo "LABEL=${label} ${mount_path} ext4 defaults,nofail 0 2" >> /etc/fstab',
    "    systemctl daemon-reload",
    "  fi",
    '  mountpoint -q "$mount_path" || mount "$mount_path"',
    '  echo "data disk ${link} mounted at ${mount_path}"',
    "}",
    "",
    ...mounts.map((m) => `prepare_disk ${m.unit} ${m.fsLabel} ${m.mountPath}`),
    "",
  ].join("\n");
}
