#!/usr/bin/python3
"""Boot a guest kernel on qemu-system-arm -M virt with the overlay's
devices, capture its serial console and check it for log lines.

    boot-test.py --qemu Q (--kernel K --initrd I | --guest-env VAR)
                 [--timeout S] [--log F]
                 [--expect RE]... [--forbid RE]...
                 [--qom-check 'ID.PROP OP VALUE|ID.PROP']... [--stats]
                 [-- QEMU_ARGS...]

Every --expect regular expression must match some console line, and no
--forbid expression may match any; in an --expect, <<name>> stands for
what the group (?P<name>...) of an earlier --expect matched. The run
ends when the guest prints "vcm-init: done" and powers off, when QEMU
exits, or at the time limit.
With --qom-check or --stats, QEMU runs with a QMP socket and -no-shutdown:
once the guest has powered off, the host reads the devices' QOM statistics
(qom-get), checks each --qom-check comparison (for example
"ddr0.loss-count > 0" or "ddr0.energy-sr-uj < ddr0.energy-sr-full-uj"),
prints the statistics of every smmu-vcm and pasr-ddr given with an id=
(--stats), and quits QEMU.
--guest-env names a variable holding a directory with zImage and
initramfs.cpio (tests/guest/build-guest.sh). Exit status 0 when all checks
pass, 77 (skip) when that variable is unset.
"""

import argparse
import json
import operator
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import time

DONE = "vcm-init: done"

# The read-only statistics each device type offers over QOM.
STATS = {
    "smmu-vcm": ["translations", "tlb-hits", "tlb-misses", "walks",
                 "desc-reads", "evictions", "invalidations", "faults",
                 "stalls", "stale-hits"],
    "pasr-ddr": ["sr-count", "sr-time-us", "loss-count", "exits-by-access",
                 "energy-sr-uj", "energy-sr-full-uj", "cs0-refreshed-q16",
                 "cs1-refreshed-q16", "lost-reads"],
}

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


class QMP:
    """A minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.file = self.sock.makefile("rw")
        json.loads(self.file.readline())            # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **arguments):
        self.file.write(json.dumps({"execute": name,
                                    "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "return" in reply or "error" in reply:
                return reply

    def qom_get(self, path, prop):
        reply = self.cmd("qom-get", path=path, property=prop)
        if "error" in reply:
            raise KeyError("%s.%s: %s" % (path, prop,
                                          reply["error"]["desc"]))
        return reply["return"]

    def wait_shutdown(self, deadline):
        while time.monotonic() < deadline:
            if self.cmd("query-status")["return"]["status"] == "shutdown":
                return True
            time.sleep(0.05)
        return False


def device_ids(qemu_args):
    """(id, type) of every -device with an id among QEMU's arguments."""
    found = []
    for prev, arg in zip(qemu_args, qemu_args[1:]):
        if prev != "-device":
            continue
        opts = arg.split(",")
        ids = [o[3:] for o in opts[1:] if o.startswith("id=")]
        if ids:
            found.append((ids[0], opts[0]))
    return found


def qom_checks(qmp, checks, failures):
    """Evaluate "ID.PROP OP (NUMBER | ID.PROP)" comparisons."""
    def value(term):
        if re.fullmatch(r"-?[0-9]+", term):
            return int(term)
        dev, prop = term.split(".", 1)
        return qmp.qom_get("/machine/peripheral/" + dev, prop)

    for check in checks:
        m = re.fullmatch(r"\s*(\S+)\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*", check)
        if not m:
            failures.append("bad --qom-check: " + check)
            continue
        left, right = value(m.group(1)), value(m.group(3))
        ok = COMPARE[m.group(2)](left, right)
        print("boot-test: qom %s: %s %s %s: %s" %
              (check, left, m.group(2), right, "ok" if ok else "FAIL"))
        if not ok:
            failures.append("qom check: %s (%s %s %s)" %
                            (check, left, m.group(2), right))


def qom_ratios(qmp, ratios, failures):
    """Print "ID.PROP / ID.PROP" quotients (figures, not checks)."""
    for ratio in ratios:
        m = re.fullmatch(r"\s*(\S+)\.(\S+)\s*/\s*(\S+)\.(\S+)\s*", ratio)
        if not m:
            failures.append("bad --qom-ratio: " + ratio)
            continue
        a = qmp.qom_get("/machine/peripheral/" + m.group(1), m.group(2))
        b = qmp.qom_get("/machine/peripheral/" + m.group(3), m.group(4))
        print("boot-test: qom ratio %s: %s / %s = %s" %
              (ratio, a, b, "%.1f" % (a / b) if b else "inf"))


def print_stats(qmp, qemu_args):
    """The host's view: every statistic of every device with an id."""
    for dev, dtype in device_ids(qemu_args):
        props = STATS.get(dtype)
        if not props:
            continue
        got = {p: qmp.qom_get("/machine/peripheral/" + dev, p)
               for p in props}
        print("boot-test: host %s (%s): %s" %
              (dev, dtype, ", ".join("%s %s" % kv for kv in got.items())))
        if dtype == "pasr-ddr" and got["energy-sr-full-uj"]:
            saved = got["energy-sr-full-uj"] - got["energy-sr-uj"]
            print("boot-test: host %s: %d s-r entries, %.3f s in "
                  "self-refresh, %d µJ instead of %d µJ for the full array "
                  "(%.1f %% saved), loss-count %d" %
                  (dev, got["sr-count"], got["sr-time-us"] / 1e6,
                   got["energy-sr-uj"], got["energy-sr-full-uj"],
                   100.0 * saved / got["energy-sr-full-uj"],
                   got["loss-count"]))


def run_guest(cmd, timeout, log, echo, stop_at_done=False):
    """Run QEMU; return (process, console lines, how the run ended).
    echo: None, or a compiled regular expression the console lines to
    show must match."""
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
            if echo and echo.search(line):
                print(line, flush=True)
        if any(DONE in line for line in lines[-len(complete):] or []):
            ended = "guest done"
            if stop_at_done:
                break
    if pending:
        lines.append(pending.decode("utf-8", "replace"))
        log.write(lines[-1] + "\n")
    return proc, lines, ended


def stop(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


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
    ap.add_argument("--echo-only", metavar="RE",
                    help="with --echo, only the console lines matching RE")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--qom-check", action="append", default=[],
                    help="after power-off: 'ID.PROP OP NUMBER|ID.PROP', "
                    "OP one of < <= > >= == !=")
    ap.add_argument("--qom-ratio", action="append", default=[],
                    metavar="ID.PROP / ID.PROP",
                    help="print the quotient of two QOM properties")
    ap.add_argument("--stats", action="store_true",
                    help="after power-off, print every smmu-vcm and "
                    "pasr-ddr statistic (devices given with id=)")
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
    use_qmp = bool(args.qom_check or args.qom_ratio or args.stats)
    tmpdir = tempfile.TemporaryDirectory(prefix="boot-test-")
    qmp_path = os.path.join(tmpdir.name, "qmp.sock")
    if use_qmp:
        cmd += ["-no-shutdown", "-qmp",
                "unix:%s,server=on,wait=off" % qmp_path]
    failures = []
    with open(args.log, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        start = time.monotonic()
        deadline = start + args.timeout
        echo = re.compile(args.echo_only or "") if args.echo else None
        proc, lines, ended = run_guest(cmd, args.timeout, log, echo,
                                       stop_at_done=use_qmp)
        elapsed = time.monotonic() - start
        if use_qmp and ended == "guest done":
            try:
                qmp = QMP(qmp_path, deadline)
                if not qmp.wait_shutdown(deadline):
                    failures.append("guest did not power off")
                qom_checks(qmp, args.qom_check, failures)
                qom_ratios(qmp, args.qom_ratio, failures)
                if args.stats:
                    print_stats(qmp, args.qemu_args)
                qmp.cmd("quit")
            except (OSError, ValueError, KeyError) as e:
                failures.append("QMP: %s" % e)
        elif use_qmp:
            failures.append("no QOM checks: the run ended with " + ended)
        stop(proc)

    captured = {}
    for pattern in args.expect:
        # <<name>>: what the named group (?P<name>...) of an earlier
        # --expect matched, so that two lines can be checked to agree
        pattern = re.sub(r"<<(\w+)>>", lambda m: re.escape(
            captured.get(m.group(1), "<<%s unset>>" % m.group(1))), pattern)
        found = next(filter(None, (re.search(pattern, line)
                                   for line in lines)), None)
        if not found:
            failures.append("missing: " + pattern)
            continue
        captured.update({k: v for k, v in found.groupdict().items() if v})
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
