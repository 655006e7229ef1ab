#!/usr/bin/python3
"""Boot your own kernel on the reference configuration (make run KERNEL=).

    run-kernel.py --kernel zImage [--initrd FILE] [--append ARGS]
                  [--dtb FILE] [--qemu PATH]

The machine is the demo's (pc-bios/dtb/virt-vcm-demo.dts names its
command line: two smmu-vcm, a vcm-dma master behind each, pasr-ddr, 1 GiB).
The serial console is this terminal (QEMU's mon:stdio: Ctrl-A x quits,
Ctrl-A c switches to the monitor). When the guest powers off, reboots or
panics (panic=-1), QEMU stops instead of exiting, and the host's
statistics of every device are read over QMP (qom-get) and printed.
--dtb boots an edited device tree instead of the one virt generates; keep
its nodes where virt puts these devices (docs/system/reference-dtbs.rst).
"""

import argparse
import importlib.util
import os
import shlex
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "pc-bios", "dtb", "virt-vcm-demo.dts")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The QMP client and the statistics table of the guest tests' runner; the
# reference command line as the DTB drift test reads it.
boot_test = load("boot_test", os.path.join(ROOT, "tests", "guest",
                                           "boot-test.py"))
dtb_drift = load("dtb_drift", os.path.join(ROOT, "tests", "dt",
                                           "dtb-drift.py"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd")
    ap.add_argument("--append", default="")
    ap.add_argument("--dtb")
    ap.add_argument("--qemu", default=os.path.join(ROOT, "build",
                                                   "qemu-system-arm"))
    args = ap.parse_args()
    for what in ("kernel", "initrd", "dtb", "qemu"):
        path = getattr(args, what)
        if path and not os.path.isfile(path):
            ap.error("%s: no such file: %s" % (what, path))

    reference = dtb_drift.command_line(REFERENCE)
    tmp = tempfile.TemporaryDirectory(prefix="vcm-run-")
    qmp_path = os.path.join(tmp.name, "qmp.sock")
    cmd = [args.qemu] + reference + [
        "-display", "none", "-serial", "mon:stdio", "-no-reboot",
        "-no-shutdown", "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
        "-kernel", args.kernel,
        "-append", ("console=ttyAMA0 panic=-1 " + args.append).strip()]
    if args.initrd:
        cmd += ["-initrd", args.initrd]
    if args.dtb:
        cmd += ["-dtb", args.dtb]
    print("run-kernel: " + shlex.join(cmd), flush=True)
    proc = subprocess.Popen(cmd)

    while not os.path.exists(qmp_path) and proc.poll() is None:
        time.sleep(0.05)
    try:
        qmp = boot_test.QMP(qmp_path, time.monotonic() + 10)
        stopped = qmp.wait_shutdown(float("inf"))
    except (OSError, ValueError):
        stopped = False
    if not stopped:
        status = proc.wait()
        print("run-kernel: QEMU exited (status %d) before the guest "
              "powered off: no statistics" % status)
        return status or 1
    print("\nrun-kernel: the guest stopped; the host's statistics "
          "(qom-get over QMP):", flush=True)
    try:
        boot_test.print_stats(qmp, reference)
        qmp.cmd("quit")
    except (OSError, ValueError, KeyError) as e:
        print("run-kernel: QMP: %s" % e)
        proc.kill()
        return 1
    sys.stdout.flush()
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
