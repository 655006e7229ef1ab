#!/usr/bin/python3
"""Boot a guest kernel on qemu-system-arm -M virt with the overlay's
devices, capture its serial console and check it for log lines.

    boot-test.py --qemu Q (--kernel K --initrd I | --guest-env VAR)
                 [--timeout S] [--log F]
                 [--expect RE]... [--forbid RE]... [-- QEMU_ARGS...]

Every --expect regular expression must match some console line, and no
--forbid expression may match any. The run ends when the guest prints
"vcm-init: done" and powers off, when QEMU exits, or at the time limit.
--guest-env names a variable holding a directory with zImage and
initramfs.cpio (tests/guest/build-guest.sh). Exit status 0 when all checks
pass, 77 (skip) when that variable is unset.
"""

import argparse
import os
import re
import selectors
import subprocess
import sys
import time

DONE = "vcm-init: done"


def run_guest(cmd, timeout, log, echo):
    """Run QEMU; return (console lines, how the run ended)."""
    lines = []
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    pending = b""
    ended = "timeout"
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if not sel.select(left):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            ended = "qemu exited with status %d" % proc.wait()
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for raw in complete:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            lines.append(line)
            log.write(line + "\n")
            if echo:
                print(line, flush=True)
        if any(DONE in line for line in lines[-len(complete):] or []):
            ended = "guest done"
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    if pending:
        lines.append(pending.decode("utf-8", "replace"))
        log.write(lines[-1] + "\n")
    return lines, ended


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--guest-env",
                    help="environment variable naming a guest directory")
    ap.add_argument("--memory", default="1G")
    ap.add_argument("--append", default="")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--log", default="/dev/null")
    ap.add_argument("--echo", action="store_true",
                    help="copy the console to standard output as it comes")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--must-fail-with", metavar="TEXT",
                    help="invert: pass only if the checks fail, every "
                    "failure naming TEXT (proves a check can fail)")
    ap.add_argument("qemu_args", nargs="*")
    args = ap.parse_args()
    if args.guest_env:
        guest = os.environ.get(args.guest_env)
        if not guest:
            print("boot-test: SKIP, %s is not set" % args.guest_env)
            return 77
        args.kernel = os.path.join(guest, "zImage")
        args.initrd = os.path.join(guest, "initramfs.cpio")
    if not args.kernel or not args.initrd:
        ap.error("--kernel and --initrd, or --guest-env, are required")

    cmd = [args.qemu, "-M", "virt", "-m", args.memory, "-nodefaults",
           "-display", "none", "-serial", "stdio", "-no-reboot",
           "-kernel", args.kernel, "-initrd", args.initrd,
           "-append", "console=ttyAMA0 panic=-1 " + args.append
           ] + args.qemu_args
    with open(args.log, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        start = time.monotonic()
        lines, ended = run_guest(cmd, args.timeout, log, args.echo)
        elapsed = time.monotonic() - start

    failures = []
    for pattern in args.expect:
        if not any(re.search(pattern, line) for line in lines):
            failures.append("missing: " + pattern)
    for pattern in args.forbid:
        for line in lines:
            if re.search(pattern, line):
                failures.append("forbidden: %s (line: %s)" % (pattern, line))
                break
    if not any(DONE in line for line in lines):
        failures.append("guest never printed '%s' (%s)" % (DONE, ended))

    print("boot-test: %d console lines in %.1f s, %s" %
          (len(lines), elapsed, ended))
    for f in failures:
        print("boot-test: %s %s" %
              ("expected" if args.must_fail_with else "FAIL", f))
    if failures and args.log != "/dev/null":
        print("boot-test: console log in " + args.log)
    if args.must_fail_with:
        ok = failures and all(args.must_fail_with in f for f in failures)
        print("boot-test: %s: failures %s '%s'" %
              ("ok" if ok else "FAIL",
               "all name" if ok else "do not all name (or none for)",
               args.must_fail_with))
        return 0 if ok else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
