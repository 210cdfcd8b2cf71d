#!/usr/bin/python3
"""Boot-test collector, baked into the test image (never into a node document).

Waits until cloud-init has finished (or the deadline on the kernel command line,
`strata.deadline=<seconds>`, has passed), gathers the facts the host judges, writes them as one
JSON line between markers to the second serial port (/dev/ttyS1) and powers the VM off. The seed's
`strata-probe.json` names the files, sysctls and modules to look at.
"""
import fcntl
import json
import os
import pwd
import re
import grp
import socket
import subprocess
import termios
import time

SERIAL = "/dev/ttyS1"
SEED_LABEL = "/dev/disk/by-label/cidata"


def run(*args):
    try:
        proc = subprocess.run(list(args), capture_output=True, text=True, timeout=300)
        return proc.stdout
    except Exception as error:  # the facts record what failed; the host judges
        return "error: %s" % error


def run_json(*args):
    try:
        return json.loads(run(*args))
    except ValueError:
        return None


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def cmdline_deadline():
    for word in (read("/proc/cmdline") or "").split():
        if word.startswith("strata.deadline="):
            return int(word.split("=", 1)[1])
    return 600


def read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def wait_for_cloud_init(deadline):
    """cloud-init writes result.json when its last stage is done (what `cloud-init status --wait` polls)."""
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if os.path.exists("/run/cloud-init/result.json"):
            return True
        time.sleep(3)
    return False


def cloud_init_status():
    """cloud-init's verdict from its own status files, without starting its (slow under TCG) CLI."""
    status = (read_json("/run/cloud-init/status.json") or {}).get("v1", {})
    result = (read_json("/run/cloud-init/result.json") or {}).get("v1")
    source = re.match(r"DataSource(\w+)", status.get("datasource") or "")
    recoverable = {}
    for stage in ("init-local", "init", "modules-config", "modules-final"):
        for level, messages in ((status.get(stage) or {}).get("recoverable_errors") or {}).items():
            recoverable.setdefault(level, []).extend(messages)
    errors = (result or {}).get("errors", [])
    return {
        "datasource": source.group(1).lower() if source else "",
        "status": "running" if result is None else ("error" if errors else "done"),
        "errors": errors,
        "recoverable_errors": recoverable,
    }


def probe():
    os.makedirs("/run/strata-seed", exist_ok=True)
    subprocess.run(["mount", "-o", "ro", SEED_LABEL, "/run/strata-seed"], capture_output=True)
    text = read("/run/strata-seed/strata-probe.json")
    subprocess.run(["umount", "/run/strata-seed"], capture_output=True)
    return json.loads(text) if text else {"files": [], "sysctls": [], "modules": []}


def file_fact(path):
    try:
        st = os.stat(path)
    except OSError:
        return {"path": path, "exists": False}
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"path": path, "exists": True, "mode": "%04o" % (st.st_mode & 0o7777), "owner": "%s:%s" % (owner, group)}


def interfaces():
    result = []
    for entry in run_json("ip", "-j", "addr", "show") or []:
        name = entry.get("ifname")
        driver = os.path.realpath("/sys/class/net/%s/device/driver" % name)
        link = read("/run/systemd/netif/links/%s" % entry.get("ifindex")) or ""
        state = dict(line.split("=", 1) for line in link.splitlines() if "=" in line)
        result.append({
            "name": name,
            "mac": entry.get("address"),
            "driver": os.path.basename(driver) if os.path.exists(driver) else None,
            "operstate": entry.get("operstate"),
            "addresses": ["%s/%s" % (a["local"], a["prefixlen"]) for a in entry.get("addr_info", []) if a.get("family") == "inet"],
            "dns": state.get("DNS", "").split(),
            "domains": state.get("DOMAINS", "").split(),
        })
    return result


def modules(names):
    loaded = {line.split()[0] for line in (read("/proc/modules") or "").splitlines() if line}
    builtin = read("/lib/modules/%s/modules.builtin" % os.uname().release) or ""
    built = {os.path.basename(line).split(".ko")[0].replace("-", "_") for line in builtin.splitlines()}
    return {name: (name.replace("-", "_") in loaded or name.replace("-", "_") in built) for name in names}


def sysctls(keys):
    values = {}
    for key in keys:
        value = read("/proc/sys/" + key.replace(".", "/"))
        values[key] = None if value is None else " ".join(value.split())
    return values


def by_path():
    return {os.path.join("/dev/disk/by-path", name): os.path.realpath(os.path.join("/dev/disk/by-path", name))
            for name in sorted(os.listdir("/dev/disk/by-path"))} if os.path.isdir("/dev/disk/by-path") else {}


def tail(path, lines):
    text = read(path) or ""
    return text.splitlines()[-lines:]


def main():
    finished = wait_for_cloud_init(cmdline_deadline())
    wanted = probe()
    facts = {
        "cloudInitFinished": finished,
        "kernel": os.uname().release,
        "hostname": socket.gethostname(),
        "interfaces": interfaces(),
        "routes": run_json("ip", "-j", "-4", "route", "show", "table", "main") or [],
        "files": [file_fact(path) for path in wanted.get("files", [])],
        "blockDevices": (run_json("lsblk", "-J", "-l", "-o", "NAME,PATH,TYPE,FSTYPE,LABEL,PKNAME,MOUNTPOINT") or {}).get("blockdevices", []),
        "mounts": (run_json("findmnt", "-J", "-l", "-o", "TARGET,SOURCE,FSTYPE") or {}).get("filesystems", []),
        "byPath": by_path(),
        "sysctls": sysctls(wanted.get("sysctls", [])),
        "modules": modules(wanted.get("modules", [])),
        "swaps": [line for line in (read("/proc/swaps") or "").splitlines()[1:] if line.strip()],
        "cloudInit": cloud_init_status(),
        "cloudInitLog": [line for line in (read("/var/log/cloud-init.log") or "").splitlines() if " - WARNING - " in line or " - ERROR - " in line or "Traceback" in line][-80:],
        "cloudInitOutput": tail("/var/log/cloud-init-output.log", 2000),
        "failedUnits": run("systemctl", "--failed", "--plain", "--no-legend", "--no-pager").splitlines(),
    }
    report = ("\nSTRATA-FACTS-BEGIN\n%s\nSTRATA-FACTS-END\n" % json.dumps(facts, separators=(",", ":"))).encode()
    # Non-blocking open and CLOCAL: a serial port without carrier would otherwise block the open.
    fd = os.open(SERIAL, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    attrs = termios.tcgetattr(fd)
    attrs[2] |= termios.CLOCAL
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    while report:
        report = report[os.write(fd, report):]
    termios.tcdrain(fd)
    os.close(fd)
    # Nothing on the guest disk is needed afterwards: power off at once rather than a full shutdown.
    subprocess.run(["systemctl", "poweroff", "--force", "--force"])

if __name__ == "__main__":
    main()
