#!/usr/bin/python3
"""Boot a guest kernel on qemu-system-arm -M virt with the overlay's
devices, capture its serial console and check it for log lines.

    boot-test.py --qemu Q (--kernel K --initrd I | --guest-env VAR)
                 [--timeout S] [--log F]
                 [--expect RE]... [--forbid RE]...
                 [--qom-check 'ID.PROP OP VALUE|ID.PROP']... [--stats]
                 [--migrate-at [stop:]RE|+S]... [--snapshot-at WHEN]
                 [--migrate-check ID.PROP]... [--rss-at RE]...
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
With --migrate-at, the running guest is live-migrated to a new QEMU
(-incoming unix:) at each trigger in turn, and the console continues from
it (see Migrator); --snapshot-at saves it into a qcow2 image and resumes
it in a new QEMU (-loadvm); --rss-at prints QEMU's resident memory.
--guest-env names a variable holding a directory with zImage and
initramfs.cpio (tests/guest/build-guest.sh). Exit status 0 when all checks
pass, 77 (skip) when that variable is unset.
"""

import argparse
import operator
import os
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "graph"))
import vcm_qtest  # noqa: E402

DONE = "vcm-init: done"
# A migration trigger with this prefix stops the guest at once, migrates
# it paused, and lets it go on at the destination.
PAUSED = "stop:"

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


class QMP(vcm_qtest.QMP):
    """The qtest helpers' QMP client, with what a running guest needs."""

    def qom_get(self, path, prop):
        reply = self.call("qom-get", path=path, property=prop)
        if "error" in reply:
            raise KeyError("%s.%s: %s" % (path, prop,
                                          reply["error"]["desc"]))
        return reply["return"]

    def status(self):
        return self.cmd("query-status")["status"]

    def wait_shutdown(self, deadline):
        while time.monotonic() < deadline:
            if self.status() == "shutdown":
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


class Console:
    """The guest's console lines, whichever QEMU prints them."""

    def __init__(self, log, echo):
        self.done = False
        self.lines = []
        self.unseen = []
        self.pending = b""
        self.log = log
        self.echo = echo

    def feed(self, chunk):
        """Add raw console bytes; return the complete lines they ended."""
        self.pending += chunk
        *complete, self.pending = self.pending.split(b"\n")
        new = []
        for raw in complete:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            new.append(line)
            self.log.write(line + "\n")
            self.done = self.done or DONE in line
            if self.echo and self.echo.search(line):
                print(line, flush=True)
        self.lines += new
        self.unseen += new
        return new

    def take(self):
        """The lines fed since the last call (wherever they were fed)."""
        new, self.unseen = self.unseen, []
        return new

    def close(self):
        if self.pending:
            self.lines.append(self.pending.decode("utf-8", "replace"))
            self.log.write(self.lines[-1] + "\n")
            self.pending = b""


def start_qemu(cmd):
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def read_some(proc, timeout):
    """Up to 64 KiB of @proc's output; None if nothing came in @timeout,
    b"" at its end."""
    if not select.select([proc.stdout], [], [], max(timeout, 0))[0]:
        return None
    return os.read(proc.stdout.fileno(), 65536)


def rss_kib(proc):
    """QEMU's resident memory (VmRSS), KiB."""
    with open("/proc/%d/status" % proc.pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Migrator:
    """Live migration of the running guest to a fresh QEMU, N times.

    Every QEMU prints the guest's console on its standard output (the
    PL011 and its FIFO travel in the migration stream). The source's
    output is read to its end, after it has stopped, before a byte of the
    destination's is taken, so the console continues without a line lost
    or doubled. The triggers are console regular expressions (the first
    line that matches after the previous migration) or "+SECONDS" after
    the previous migration (or the start); with the prefix "stop:" the
    guest is stopped as soon as the trigger fires (still inside a short
    window the line announces), migrated, and continued."""

    def __init__(self, cmd, tmpdir, migrate_at, snapshot_at, checks):
        self.cmd = cmd
        self.tmpdir = tmpdir
        self.triggers = [(self.migrate, w) for w in migrate_at] + \
            [(self.snapshot, w) for w in snapshot_at]
        self.checks = checks
        self.count = 0
        self.since = time.monotonic()
        self.backlog = []
        self.qmp_path = os.path.join(tmpdir, "qmp0.sock")
        self.image = os.path.join(tmpdir, "snapshot.qcow2")

    def qemu_cmd(self, n, extra=()):
        path = os.path.join(self.tmpdir, "qmp%d.sock" % n)
        return self.cmd + ["-no-shutdown", "-qmp",
                           "unix:%s,server=on,wait=off" % path] + \
            list(extra), path

    def connect(self, proc, path, deadline, failures):
        """The QMP of a new QEMU, or None (and why) if it did not start."""
        try:
            return QMP(path, deadline)
        except OSError as e:
            stop(proc)
            out = proc.stdout.read().decode("utf-8", "replace").strip()
            failures.append("QEMU %d did not start (%s): %s" %
                            (self.count, e, out))
            return None

    def due(self, new_lines):
        """(method, trigger) of the step due now, if any. A line trigger
        matches any line since the last line trigger fired, so a line that
        came in the same read as an earlier trigger's, or during an earlier
        migration, is not missed."""
        if not self.triggers:
            return None
        self.backlog += new_lines
        when = self.triggers[0][1]
        if when.startswith(PAUSED):
            when = when[len(PAUSED):]
        if when.startswith("+"):
            fired = time.monotonic() - self.since >= float(when[1:])
        else:
            hit = next((i for i, line in enumerate(self.backlog)
                        if re.search(when, line)), None)
            fired = hit is not None
            if fired:
                del self.backlog[:hit + 1]
        return self.triggers.pop(0) if fired else None

    def values(self, qmp):
        return {c: qmp.qom_get("/machine/peripheral/" + c.split(".")[0],
                               c.split(".", 1)[1]) for c in self.checks}

    def compare(self, before, qmp, what, failures):
        after = self.values(qmp)
        for c in self.checks:
            ok = before[c] == after[c]
            print("boot-test: %s: %s %s -> %s: %s" %
                  (what, c, before[c], after[c], "ok" if ok else "FAIL"))
            if not ok:
                failures.append("%s changed %s: %s -> %s" %
                                (what, c, before[c], after[c]))

    def handover(self, src, src_qmp, dst, console, deadline):
        """Stop reading @src only at its end, then continue with @dst
        (whose output until now is returned to the caller to feed)."""
        held = b""
        src_qmp.call("quit")
        while time.monotonic() < deadline:
            for proc in (src, dst):
                chunk = read_some(proc, 0.02)
                if proc is src and chunk:
                    console.feed(chunk)
                elif proc is dst and chunk:
                    held += chunk
            if src.poll() is not None:
                while True:
                    chunk = read_some(src, 0)
                    if not chunk:
                        break
                    console.feed(chunk)
                break
        return held

    def migrate(self, src, src_qmp, console, deadline, trigger, failures):
        """One live migration; returns the QEMU (and its QMP) that runs the
        guest afterwards."""
        paused = trigger.startswith(PAUSED)
        if paused:
            src_qmp.call("stop")
        start = time.monotonic()
        self.count += 1
        sock = os.path.join(self.tmpdir, "mig%d.sock" % self.count)
        cmd, qmp_path = self.qemu_cmd(self.count,
                                      ["-incoming", "unix:" + sock])
        dst = start_qemu(cmd)
        dst_qmp = self.connect(dst, qmp_path, deadline, failures)
        if not dst_qmp:
            src_qmp.call("cont")
            return src, src_qmp
        # Unthrottled on one machine; the guest may pause up to 1 s.
        src_qmp.call("migrate-set-parameters",
                     **{"max-bandwidth": 8 << 30, "downtime-limit": 1000})
        reply = src_qmp.call("migrate", uri="unix:" + sock)
        held = b""
        status = reply.get("error", {}).get("desc", "")
        while not status and time.monotonic() < deadline:
            chunk = read_some(src, 0.02)
            if chunk:
                console.feed(chunk)
            chunk = read_some(dst, 0)
            if chunk:
                held += chunk
            info = src_qmp.cmd("query-migrate")
            if info.get("status") in ("completed", "failed", "cancelled"):
                status = info["status"]
        if status != "completed":
            failures.append("migration %d: %s" % (self.count,
                                                   status or "timeout"))
            stop(dst)
            return src, src_qmp
        before = self.values(src_qmp)
        held += self.handover(src, src_qmp, dst, console, deadline)
        ram = info.get("ram", {})
        print("boot-test: migration %d at %r: %.2f s, downtime %s ms, "
              "%.1f MiB sent, after console line %d" %
              (self.count, trigger, time.monotonic() - start,
               info.get("downtime", "?"), ram.get("transferred", 0) / 2**20,
               len(console.lines)), flush=True)
        if held:
            console.feed(held)
        # The destination ends its side after the source has: until then
        # a "cont" would be lost.
        while dst_qmp.status() == "inmigrate" and \
                time.monotonic() < deadline:
            time.sleep(0.01)
        self.compare(before, dst_qmp, "migration %d" % self.count, failures)
        if paused:
            dst_qmp.call("cont")
        print("boot-test: migration %d: destination %s" %
              (self.count, dst_qmp.status()), flush=True)
        self.since = time.monotonic()
        return dst, dst_qmp

    def job(self, qmp, name, deadline, **arguments):
        """Run a QMP job command to its end; its error, or None."""
        reply = qmp.call(name, **arguments)
        if "error" in reply:
            return reply["error"]["desc"]
        job = arguments["job-id"]
        while time.monotonic() < deadline:
            for j in qmp.cmd("query-jobs"):
                if j["id"] == job and j["status"] == "concluded":
                    qmp.call("job-dismiss", id=job)
                    return j.get("error")
            time.sleep(0.02)
        return "timeout"

    def snapshot(self, src, src_qmp, console, deadline, trigger, failures):
        """savevm into a qcow2 image the source creates, then a new QEMU
        that starts from it (-loadvm); the source stops at the save."""
        src_qmp.call("stop")
        self.count += 1
        blockdev = [
            "-blockdev", "driver=file,node-name=snapfile,filename=" +
            self.image,
            "-blockdev", "driver=qcow2,node-name=snap,file=snapfile"]
        start = time.monotonic()
        for error in (
                self.job(src_qmp, "blockdev-create", deadline, **{
                    "job-id": "file", "options": {
                        "driver": "file", "filename": self.image,
                        "size": 0}}),
                src_qmp.call("blockdev-add", **{
                    "driver": "file", "node-name": "snapfile",
                    "filename": self.image}).get("error"),
                self.job(src_qmp, "blockdev-create", deadline, **{
                    "job-id": "qcow2", "options": {
                        "driver": "qcow2", "file": "snapfile",
                        "size": 1 << 20}}),
                src_qmp.call("blockdev-add", **{
                    "driver": "qcow2", "node-name": "snap",
                    "file": "snapfile"}).get("error"),
                self.job(src_qmp, "snapshot-save", deadline, **{
                    "job-id": "save", "tag": "busy", "vmstate": "snap",
                    "devices": ["snap"]}),
                # the image's lock goes to the new QEMU
                src_qmp.call("blockdev-del", **{
                    "node-name": "snap"}).get("error"),
                src_qmp.call("blockdev-del", **{
                    "node-name": "snapfile"}).get("error")):
            if error:
                failures.append("snapshot: %s" % error)
                src_qmp.call("cont")
                return src, src_qmp
        before = self.values(src_qmp)
        cmd, qmp_path = self.qemu_cmd(self.count,
                                      blockdev + ["-loadvm", "busy"])
        dst = start_qemu(cmd)
        dst_qmp = self.connect(dst, qmp_path, deadline, failures)
        if not dst_qmp:
            src_qmp.call("cont")
            return src, src_qmp
        held = self.handover(src, src_qmp, dst, console, deadline)
        print("boot-test: snapshot at %r: savevm into %.1f MiB of qcow2, "
              "loadvm in a new QEMU, %.2f s, after console line %d" %
              (trigger, os.path.getsize(self.image) / 2**20,
               time.monotonic() - start, len(console.lines)), flush=True)
        if held:
            console.feed(held)
        self.compare(before, dst_qmp, "snapshot", failures)
        dst_qmp.call("cont")
        self.since = time.monotonic()
        return dst, dst_qmp


def run_guest(cmd, timeout, log, echo, stop_at_done=False, migrator=None,
              rss_at=(), failures=None):
    """Run QEMU (migrating it when @migrator says); return (process, its
    QMP or None, console lines, how the run ended, RSS samples).
    echo: None, or a compiled regular expression the console lines to
    show must match."""
    console = Console(log, echo)
    qmp = None
    if migrator:
        cmd, qmp_path = migrator.qemu_cmd(0)
    proc = start_qemu(cmd)
    deadline = time.monotonic() + timeout
    if migrator:
        qmp = QMP(qmp_path, deadline)
    rss = []
    rss_left = list(rss_at)
    ended = "timeout"
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        chunk = read_some(proc, min(left, 0.05) if migrator else left)
        if chunk == b"":
            ended = "qemu exited with status %d" % proc.wait()
            break
        if chunk:
            console.feed(chunk)
        new = console.take()
        for line in new:
            if rss_left and re.search(rss_left[0], line):
                rss.append((rss_left.pop(0), rss_kib(proc)))
                print("boot-test: QEMU RSS at %r: %d KiB" % rss[-1],
                      flush=True)
        step = migrator.due(new) if migrator else None
        if step:
            proc, qmp = step[0](proc, qmp, console, deadline, step[1],
                                failures)
        if console.done:
            ended = "guest done"
            if stop_at_done:
                break
    console.close()
    return proc, qmp, console.lines, ended, rss


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
    ap.add_argument("--migrate-at", action="append", default=[],
                    metavar="RE|+SECONDS",
                    help="live-migrate the running guest to a new QEMU "
                    "(-incoming unix:) at the first console line matching "
                    "RE after the previous migration, or SECONDS after it; "
                    "repeat for N migrations, in order")
    ap.add_argument("--snapshot-at", action="append", default=[],
                    metavar="RE|+SECONDS",
                    help="after the migrations: savevm into a qcow2 image "
                    "and continue in a new QEMU started with -loadvm")
    ap.add_argument("--migrate-check", action="append", default=[],
                    metavar="ID.PROP",
                    help="a QOM property the destination must report as "
                    "the stopped source did, after each migration")
    ap.add_argument("--rss-at", action="append", default=[], metavar="RE",
                    help="print QEMU's resident memory at the first console "
                    "line matching RE (in order)")
    ap.add_argument("--rss-growth-max", type=float, metavar="MIB",
                    help="fail if the RSS grew more than MIB from the first "
                    "--rss-at sample to the last")
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
    migrator = None
    if args.migrate_at or args.snapshot_at:
        migrator = Migrator(cmd, tmpdir.name, args.migrate_at,
                            args.snapshot_at, args.migrate_check)
    elif use_qmp:
        cmd += ["-no-shutdown", "-qmp",
                "unix:%s,server=on,wait=off" % qmp_path]
    failures = []
    with open(args.log, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        start = time.monotonic()
        deadline = start + args.timeout
        echo = re.compile(args.echo_only or "") if args.echo else None
        proc, qmp, lines, ended, rss = run_guest(
            cmd, args.timeout, log, echo, stop_at_done=use_qmp or migrator,
            migrator=migrator, rss_at=args.rss_at, failures=failures)
        elapsed = time.monotonic() - start
        if migrator and qmp and ended == "timeout":
            print("boot-test: at the time limit QEMU %d is %s" %
                  (migrator.count, qmp.status()))
        if migrator and migrator.triggers:
            failures.append("%d migrations or snapshots not done (next at "
                            "%r)" % (len(migrator.triggers),
                                     migrator.triggers[0][1]))
        if len(rss) < len(args.rss_at):
            failures.append("RSS not sampled at %r" % args.rss_at[len(rss)])
        elif rss:
            growth = (rss[-1][1] - rss[0][1]) / 1024
            print("boot-test: QEMU RSS grew %.1f MiB from %r to %r" %
                  (growth, rss[0][0], rss[-1][0]))
            if args.rss_growth_max is not None and \
                    growth > args.rss_growth_max:
                failures.append("RSS grew %.1f MiB (limit %.1f)" %
                                (growth, args.rss_growth_max))
        if use_qmp and ended == "guest done":
            try:
                qmp = qmp or QMP(qmp_path, deadline)
                if not qmp.wait_shutdown(deadline):
                    failures.append("guest did not power off")
                qom_checks(qmp, args.qom_check, failures)
                qom_ratios(qmp, args.qom_ratio, failures)
                if args.stats:
                    print_stats(qmp, args.qemu_args)
                qmp.call("quit")
            except (OSError, ValueError, KeyError) as e:
                failures.append("QMP: %s" % e)
        elif use_qmp:
            failures.append("no QOM checks: the run ended with " + ended)
        elif migrator and qmp and ended == "guest done":
            qmp.wait_shutdown(deadline)
            qmp.call("quit")
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
