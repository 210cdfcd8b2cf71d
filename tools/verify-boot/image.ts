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
  "kmod", "iproute2", "procps", "util-linux", "ca-certificates", "curl", "gpg", "python3-yaml", "sudo", "openssh-server",
];

/** Kernel modules the node hardware needs: the vmxnet3 NIC and the PVSCSI controller. */
export const REQUIRED_DRIVERS: readonly string[] = ["vmxnet3", "vmw_pvscsi"];

/**
 * What the initrd needs to mount the root disk (on PVSCSI, ext4). A short list instead of
 * Debian's `MODULES=most` keeps the initrd small, which counts under TCG; the kernel's other
 * modules (vmxnet3 among them) load from the root filesystem as on the template. The seed's
 * CD-ROM drivers are in it too: cloud-init's datasource detection runs early and must see it.
 */
export const INITRD_MODULES: readonly string[] = ["vmw_pvscsi", "sd_mod", "ext4", "crc32c_generic", "ata_piix", "sr_mod"];

export const ROOT_LABEL = "strata-root";
const ROOT_SIZE = "3G";
const GUEST = join(__dirname, "guest");

export interface Image {
  readonly root: string;
  readonly kernel: string;
  readonly initrd: string;
}

/** Folder name for a Debian tree built from these inputs. */
export function rootfsKey(mirror: string): string {
  const hash = createHash("sha256").update(JSON.stringify({ suite: SUITE, packages: IMAGE_PACKAGES, mirror }));
  return `rootfs-${SUITE}-${hash.digest("hex").slice(0, 12)}`;
}

/** Folder name for an image assembled from that tree and these files (the builder, the collector). */
export function imageKey(mirror: string, sources: readonly string[]): string {
  const hash = createHash("sha256").update(rootfsKey(mirror));
  for (const text of sources) hash.update(text);
  return `image-${SUITE}-${hash.digest("hex").slice(0, 12)}`;
}

function imageSources(): string[] {
  return [__filename, join(GUEST, "collect.py"), join(GUEST, "strata-collect.service")].map((file) => readFileSync(file, "utf8"));
}

/** The Debian tree from mmdebstrap, built once per package list and mirror. */
function ensureRootfs(cacheDir: string, mirror: string, log: (line: string) => void): string {
  const dir = join(cacheDir, rootfsKey(mirror));
  if (existsSync(join(dir, "etc", "os-release"))) return dir;
  // Per process, so two runs sharing a cache never build into the same folder.
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  log(`image: mmdebstrap ${SUITE} from ${mirror} (a few minutes)`);
  mustRun("mmdebstrap", ["--variant=apt", `--include=${IMAGE_PACKAGES.join(",")}`, SUITE, work, mirror]);
  publish(work, dir, join(dir, "etc", "os-release"));
  return dir;
}

/** The image in `cacheDir`, built first when missing. */
export function ensureImage(cacheDir: string, mirror: string, log: (line: string) => void): Image {
  const dir = join(cacheDir, imageKey(mirror, imageSources()));
  const image: Image = { root: join(dir, "root.img"), kernel: join(dir, "vmlinuz"), initrd: join(dir, "initrd.img") };
  if (existsSync(image.root) && existsSync(image.kernel) && existsSync(image.initrd)) {
    log(`image: reusing ${dir}`);
    return image;
  }
  const pristine = ensureRootfs(cacheDir, mirror, log);
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const rootfs = join(work, "rootfs");
  mustRun("cp", ["-a", pristine, rootfs]);
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
  publish(work, dir, image.root);
  log(`image: built ${dir}`);
  return image;
}

/**
 * Units a cloud image would not run on a test boot (timers that fetch or scrub) and first-boot
 * rebuilds already done at build time: masked so TCG spends its time on what is tested.
 */
const MASKED_UNITS: readonly string[] = [
  "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer", "e2scrub_all.timer", "fstrim.timer",
  "systemd-journal-catalog-update.service", "ldconfig.service", "systemd-hwdb-update.service",
];

/** Moves a finished build into place, unless a concurrent run has already put one there. */
function publish(work: string, dir: string, marker: string): void {
  if (existsSync(marker)) {
    rmSync(work, { recursive: true, force: true });
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
}

/** Template-like setup: NoCloud only, no machine identity, root by label, the collector enabled. */
function customise(rootfs: string): void {
  for (const unit of MASKED_UNITS) {
    rmSync(join(rootfs, "etc/systemd/system", unit), { force: true });
    symlinkSync("/dev/null", join(rootfs, "etc/systemd/system", unit));
  }
  writeFileSync(join(rootfs, "etc/fstab"), `LABEL=${ROOT_LABEL} / ext4 defaults 0 1\n`);
  // One host key type instead of three: RSA key generation is slow under TCG and not under test.
  writeFileSync(join(rootfs, "etc/cloud/cloud.cfg.d/90-strata-boot-test.cfg"), "datasource_list: [NoCloud, None]\nssh_genkeytypes: [ed25519]\n");
  writeFileSync(join(rootfs, "etc/machine-id"), "");
  rmSync(join(rootfs, "etc/hostname"), { force: true });
  for (const name of readdirSync(join(rootfs, "etc/ssh")).filter((file) => file.startsWith("ssh_host_"))) rmSync(join(rootfs, "etc/ssh", name));
  writeFileSync(join(rootfs, "etc/initramfs-tools/conf.d/strata-boot-test.conf"), "MODULES=list\n");
  writeFileSync(join(rootfs, "etc/initramfs-tools/modules"), `${INITRD_MODULES.join("\n")}\n`);
  mustRun("chroot", [rootfs, "update-initramfs", "-u", "-k", "all"]);
  mkdirSync(join(rootfs, "usr/local/lib/strata"), { recursive: true });
  copyFileSync(join(GUEST, "collect.py"), join(rootfs, "usr/local/lib/strata/collect.py"));
  chmodSync(join(rootfs, "usr/local/lib/strata/collect.py"), 0o755);
  copyFileSync(join(GUEST, "strata-collect.service"), join(rootfs, "etc/systemd/system/strata-collect.service"));
  const wants = join(rootfs, "etc/systemd/system/multi-user.target.wants");
  mkdirSync(wants, { recursive: true });
  rmSync(join(wants, "strata-collect.service"), { force: true });
  symlinkSync("/etc/systemd/system/strata-collect.service", join(wants, "strata-collect.service"));
}

/** Fails when the kernel lacks a driver the node hardware needs, or the initrd cannot reach the root disk. */
function checkDrivers(rootfs: string): void {
  const release = readdirSync(join(rootfs, "lib/modules"))[0] ?? "";
  const modules = readFileSync(join(rootfs, "lib/modules", release, "modules.dep"), "utf8");
  const builtin = readFileSync(join(rootfs, "lib/modules", release, "modules.builtin"), "utf8");
  const initrd = mustRun("chroot", [rootfs, "lsinitramfs", `/boot/initrd.img-${release}`]);
  const has = (list: string, driver: string) => new RegExp(`/${driver}\\.ko`).test(list);
  for (const driver of REQUIRED_DRIVERS) {
    if (!has(modules, driver) && !has(builtin, driver)) throw new Error(`image: kernel ${release} has no ${driver} driver`);
  }
  for (const driver of INITRD_MODULES) {
    if (!has(initrd, driver) && !has(builtin, driver)) throw new Error(`image: the initrd of ${release} lacks ${driver}, needed to mount the root disk`);
  }
}
