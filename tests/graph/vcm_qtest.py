# SPDX-License-Identifier: GPL-2.0-or-later
"""A QEMU under qtest, driven from Python: the qtest text protocol for
memory and registers, QMP for everything else. Used by
tests/graph/test-vcm-graph.py and tests/bench/smmu-vcm-info-bench.py;
tests/guest/boot-test.py uses its QMP client."""

import json
import os
import socket
import subprocess
import time


def connect(path, deadline):
    """A unix socket QEMU listens on, once it is there."""
    while True:
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class QTest:
    """The qtest text protocol, one command at a time."""

    def __init__(self, path, deadline):
        self.sock = connect(path, deadline)
        self.file = self.sock.makefile("rw")

    def cmd(self, line):
        self.file.write(line + "\n")
        self.file.flush()
        while True:
            reply = self.file.readline()
            if not reply:
                raise OSError("qtest: QEMU went away")
            if reply.startswith("OK") or reply.startswith("FAIL"):
                if not reply.startswith("OK"):
                    raise OSError("qtest: %s: %s" % (line, reply.strip()))
                return reply

    def writel(self, addr, value):
        self.cmd("writel %#x %#x" % (addr, value))

    def write(self, addr, data):
        self.cmd("write %#x %#x 0x%s" % (addr, len(data), data.hex()))


class QMP:
    """One command at a time; events skipped."""

    def __init__(self, path, deadline):
        self.sock = connect(path, deadline)
        self.file = self.sock.makefile("rw")
        self.file.readline()                        # the greeting
        self.cmd("qmp_capabilities")

    def call(self, name, **arguments):
        """The whole reply: a dict with "return" or "error"."""
        self.file.write(json.dumps({"execute": name,
                                    "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "return" in reply or "error" in reply:
                return reply

    def cmd(self, name, **arguments):
        """What the command returned; an error raises OSError."""
        reply = self.call(name, **arguments)
        if "error" in reply:
            raise OSError("%s: %s" % (name, reply["error"]["desc"]))
        return reply["return"]


def start(qemu, tmp, args):
    """qemu -M virt -accel qtest ARGS; returns (process, qtest socket,
    QMP socket path)."""
    qtest_sock = os.path.join(tmp, "qtest.sock")
    qmp_sock = os.path.join(tmp, "qmp.sock")
    cmd = [qemu, "-M", "virt", "-nodefaults", "-display", "none",
           "-accel", "qtest", "-qtest-log", "/dev/null",
           "-qtest", "unix:%s,server=on,wait=off" % qtest_sock,
           "-qmp", "unix:%s,server=on,wait=off" % qmp_sock] + args
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    return proc, QTest(qtest_sock, time.monotonic() + 30), qmp_sock
