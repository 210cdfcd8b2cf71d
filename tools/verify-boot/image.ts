/**
 * The boot-test image: Debian 13 (trixie) from Debian's packages with `mmdebstrap`, standing in for
 * the Ubuntu 24.04 node template (cloud-init 25.x, netplan 1.x, systemd-networkd). Built once per
 * cache folder and reused while the package list and the collector stay the same.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mustRun } from "./process";

/** Debian release the image is built from. */
export const SUITE = "trixie";

/**
 * What the template is expected to carry. `ca-certificates`, `curl` and `gpg` are preinstalled on
 * Ubuntu's cloud images, so the documents' `packages:` list is a no-op there and here.
 */
export const IMAGE_PACKAGES: readonly string[] = [
  "systemd", "systemd-sysv", "systemd-resolved", "udev", "dbus", "cloud-init", "netplan.io",
  "linux-image-cloud-amd64", "initramfs-tools", "e2fsprogs", "xfsprogs", "fdisk", "gdisk", "parted",
  "kmod", "iproute2", "procps", "util-linux", "ca-certificates", "curl", "gpg", "python3-yaml", "sudo",
];

/** Kernel modules the node hardware needs: the vmxnet3 NIC and the PVSCSI controller (root disk). */
export const REQUIRED_DRIVERS: readonly string[] = ["vmxnet3", "vmw_pvscsi"];

export const ROOT_LABEL = "strata-root";
const ROOT_SIZE = "3G";
const GUEST = join(__dirname, "guest");

export interface Image {
  readonly root: string;
  readonly kernel: string;
  readonly initrd: string;
}

/** Folder name for an image built from these inputs (package list, mirror, collector files). */
export function imageKey(mirror: string, collector: readonly string[]): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ suite: SUITE, packages: IMAGE_PACKAGES, mirror }));
  for (const text of collector) hash.update(text);
  return `debian-${SUITE}-${hash.digest("hex").slice(0, 12)}`;
}

function collectorFiles(): string[] {
  return ["collect.py", "strata-collect.service"].map((name) => readFileSync(join(GUEST, name), "utf8"));
}

/** The image in `cacheDir`, built first when missing. */
export function ensureImage(cacheDir: string, mirror: string, log: (line: string) => void): Image {
  const dir = join(cacheDir, imageKey(mirror, collectorFiles()));
  const image: Image = { root: join(dir, "root.img"), kernel: join(dir, "vmlinuz"), initrd: join(dir, "initrd.img") };
  if (existsSync(image.root) && existsSync(image.kernel) && existsSync(image.initrd)) {
    log(`image: reusing ${dir}`);
    return image;
  }
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const rootfs = join(work, "rootfs");
  log(`image: mmdebstrap ${SUITE} from ${mirror} (a few minutes)`);
  mustRun("mmdebstrap", ["--variant=apt", `--include=${IMAGE_PACKAGES.join(",")}`, SUITE, rootfs, mirror]);
  customise(rootfs);
  checkDrivers(rootfs);
  const boot = readdirSync(join(rootfs, "boot"));
  const kernel = boot.find((name) => name.startsWith("vmlinuz-"));
  const initrd = boot.find((name) => name.startsWith("initrd.img-"));
  if (kernel === undefined || initrd === undefined) throw new Error(`image: no kernel or initrd in ${rootfs}/boot (${boot.join(", ")})`);
  copyFileSync(join(rootfs, "boot", kernel), join(work, "vmlinuz"));
  copyFileSync(join(rootfs, "boot", initrd), join(work, "initrd.img"));
  mustRun("mke2fs", ["-q", "-t", "ext4", "-L", ROOT_LABEL, "-d", rootfs, join(work, "root.img"), ROOT_SIZE]);
  rmSync(rootfs, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  log(`image: built ${dir}`);
  return image;
}

/** Template-like setup: NoCloud only, no machine identity, root by label, the collector enabled. */
function customise(rootfs: string): void {
  writeFileSync(join(rootfs, "etc/fstab"), `LABEL=${ROOT_LABEL} / ext4 defaults 0 1\n`);
  writeFileSync(join(rootfs, "etc/cloud/cloud.cfg.d/90-strata-boot-test.cfg"), "datasource_list: [NoCloud, None]\n");
  writeFileSync(join(rootfs, "etc/machine-id"), "");
  rmSync(join(rootfs, "etc/hostname"), { force: true });
  mkdirSync(join(rootfs, "usr/local/lib/strata"), { recursive: true });
  copyFileSync(join(GUEST, "collect.py"), join(rootfs, "usr/local/lib/strata/collect.py"));
  chmodSync(join(rootfs, "usr/local/lib/strata/collect.py"), 0o755);
  copyFileSync(join(GUEST, "strata-collect.service"), join(rootfs, "etc/systemd/system/strata-collect.service"));
  const wants = join(rootfs, "etc/systemd/system/multi-user.target.wants");
  mkdirSync(wants, { recursive: true });
  rmSync(join(wants, "strata-collect.service"), { force: true });
  symlinkSync("/etc/systemd/system/strata-collect.service", join(wants, "strata-collect.service"));
}

/** Fails when the kernel or its initrd lacks a driver the node hardware needs. */
function checkDrivers(rootfs: string): void {
  const release = readdirSync(join(rootfs, "lib/modules"))[0] ?? "";
  const modules = readFileSync(join(rootfs, "lib/modules", release, "modules.dep"), "utf8");
  const builtin = readFileSync(join(rootfs, "lib/modules", release, "modules.builtin"), "utf8");
  const initrd = mustRun("chroot", [rootfs, "lsinitramfs", `/boot/initrd.img-${release}`]);
  for (const driver of REQUIRED_DRIVERS) {
    const inKernel = new RegExp(`/${driver}\\.ko`).test(modules) || new RegExp(`/${driver}\\.ko`).test(builtin);
    if (!inKernel) throw new Error(`image: kernel ${release} has no ${driver} driver`);
    if (!new RegExp(`/${driver}\\.ko`).test(initrd) && !new RegExp(`/${driver}\\.ko`).test(builtin)) {
      throw new Error(`image: initrd of ${release} lacks ${driver}`);
    }
  }
}
