#!/usr/bin/python3
"""Run the command lines that README.md and docs/ quote (issue 16), as TAP.

    doc-commands.py QEMU_SYSTEM_ARM [--list] [PAGE...]

The rule, which the pages follow:

* A console block is a script: rST ".. code-block:: console", or a
  Markdown fence opened with ```console. Its lines that start with "$ "
  are commands, with the lines after a command that ends in "\\" or "|"
  as its continuation; every other line is output and is not run. The
  commands of one block run in order in one bash (-e -o pipefail), from a
  scratch directory that looks like the top of the checkout (build/,
  tests/, pc-bios/, ... reach the checkout's), so that files a block
  writes stay there.
* Any other literal or code block that holds a QEMU command line (a line
  starting with "qemu-system-arm", "build/qemu-system-arm" or
  "qemu-system-arm-vcm") or a "make run" line fails this test: every
  such line must be in a console block, where it runs.
* "make" commands other than "make run KERNEL=..." are listed, not run:
  make check is this test's caller, and its other steps (make qemu,
  guest, docs, install) are tested on their own (docs/sphinx,
  install/prefix).
* Placeholders: a word "zImage" or ".../zImage", and a word ending in
  ".cpio" or ".cpio.gz", that names no existing file becomes the 6.1
  guest's zImage or initramfs.cpio (the directory $VCM_GUEST_6_1 names);
  "qemu-system-arm" and "qemu-system-arm-vcm" on PATH are the QEMU under
  test.

A block passes if it exits with status 0 within its time limit, no QEMU it
ran printed a "qemu-system-arm...: " line (an error or a warning), every
QEMU run with -kernel printed "vcm-init: done" on its console (the guest
booted, ran its init and powered off), and every "make run KERNEL=" printed
the host's statistics. QEMU runs through a wrapper that copies its output
to a log for these checks and passes it on unchanged to the block's own
pipeline.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BLOCK_TIMEOUT = 300

QEMU_LINE = re.compile(r"^\s*(\$ )?(build/)?qemu-system-arm(-vcm)?\b")
MAKE_RUN = re.compile(r"^\s*(\$ )?make run\b")
DONE = "vcm-init: done"
STATS = "run-kernel: the guest stopped"


def pages(args):
    if args:
        return [os.path.join(ROOT, p) for p in args]
    found = [os.path.join(ROOT, "README.md")]
    for dirpath, dirs, files in os.walk(os.path.join(ROOT, "docs")):
        dirs.sort()
        found += [os.path.join(dirpath, f) for f in sorted(files)
                  if f.endswith(".rst")]
    return found


def rst_blocks(lines):
    """(first line number, console?, lines) of every literal block."""
    blocks = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)\.\. code-block::\s*(\S*)", line)
        literal = line.rstrip().endswith("::") and not line.lstrip(
        ).startswith("..")
        if m or literal:
            indent = len(m.group(1)) if m else len(line) - len(line.lstrip())
            console = bool(m) and m.group(2) == "console"
            i += 1
            body = []
            start = None
            while i < len(lines):
                cur = lines[i]
                deeper = len(cur) - len(cur.lstrip()) > indent
                if cur.strip() == "":
                    body.append("")
                elif deeper and m and start is None and \
                        cur.lstrip().startswith(":"):
                    pass                    # a directive option
                elif deeper:
                    if start is None:
                        start = i + 1
                    body.append(cur)
                else:
                    break
                i += 1
            if start is not None:
                strip = min(len(l) - len(l.lstrip()) for l in body if l)
                blocks.append((start, console,
                               [l[strip:] for l in body]))
            continue
        i += 1
    return blocks


def md_blocks(lines):
    blocks = []
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)", lines[i])
        if m:
            console = m.group(1) == "console"
            start = i + 2
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append((start, console, body))
        i += 1
    return blocks


def commands(body):
    """The commands of a console block, continuation lines joined."""
    cmds = []
    cur = None
    for line in body:
        if cur is not None:
            cur.append(line)
        elif line.startswith("$ "):
            cur = [line[2:]]
        else:
            continue
        if not re.search(r"(\\|\|)\s*$", line):
            cmds.append("\n".join(cur))
            cur = None
    if cur is not None:
        cmds.append("\n".join(cur))
    return cmds


def substitute(cmd, guest, cwd):
    def repl(m, target):
        word = m.group(0)
        if os.path.exists(os.path.join(cwd, word)):
            return word
        return target

    cmd = re.sub(r"(?<![^\s=])([^\s=]*/)?zImage(?=\s|$)",
                 lambda m: repl(m, os.path.join(guest, "zImage")), cmd)
    cmd = re.sub(r"(?<![^\s=])[^\s=]+\.cpio(\.gz)?(?=\s|$)",
                 lambda m: repl(m, os.path.join(guest, "initramfs.cpio")),
                 cmd)
    return cmd


def scratch_tree(tmp, qemu):
    """A directory that looks like the checkout: links to its top-level
    entries, and build/ with links to the build tree's entries except
    qemu-system-arm, which is the logging wrapper."""
    top = os.path.join(tmp, "top")
    os.mkdir(top)
    for name in os.listdir(ROOT):
        if name.startswith(".") or name == "build":
            continue
        os.symlink(os.path.join(ROOT, name), os.path.join(top, name))
    build = os.path.join(top, "build")
    os.mkdir(build)
    real_build = os.path.dirname(os.path.realpath(qemu))
    for name in os.listdir(real_build):
        if name != "qemu-system-arm":
            os.symlink(os.path.join(real_build, name),
                       os.path.join(build, name))
    wrapper = os.path.join(build, "qemu-system-arm")
    with open(wrapper, "w") as f:
        f.write("#!/bin/bash\n"
                "# doc-commands.py: QEMU with its output copied to a log\n"
                "printf '=== qemu-run %%s\\n' \"$*\" >> \"$VCM_DOCS_LOG\"\n"
                "set -o pipefail\n"
                "%s \"$@\" 2>&1 | tee -a \"$VCM_DOCS_LOG\"\n" %
                os.path.realpath(qemu))
    os.chmod(wrapper, 0o755)
    path = os.path.join(tmp, "path")
    os.mkdir(path)
    for name in ("qemu-system-arm", "qemu-system-arm-vcm"):
        os.symlink(wrapper, os.path.join(path, name))
    return top, path


def check_log(log):
    """Problems in the QEMU runs a block made."""
    problems = []
    runs = []
    with open(log, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("=== qemu-run "):
                runs.append((line[len("=== qemu-run "):], []))
            elif runs:
                runs[-1][1].append(line)
    for args, out in runs:
        for line in out:
            if re.match(r"^qemu-system-arm\S*: ", line):
                problems.append("QEMU printed: " + line)
        if re.search(r"(^|\s)-kernel\s", args) and \
                not any(DONE in line for line in out):
            problems.append("the guest never printed '%s': qemu-system-arm "
                            "%s" % (DONE, args))
    return problems, len(runs)


def run_block(script, top, path, log, timeout):
    env = dict(os.environ, VCM_DOCS_LOG=log,
               PATH=path + os.pathsep + os.environ["PATH"])
    proc = subprocess.Popen(["bash", "-e", "-o", "pipefail", "-c", script],
                            cwd=top, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, errors="replace",
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    qemu = os.path.abspath(args.pop(0))
    list_only = "--list" in args
    args = [a for a in args if a != "--list"]
    guest = os.environ.get("VCM_GUEST_6_1")
    if not guest and not list_only:
        print("1..0 # SKIP VCM_GUEST_6_1 is not set")
        return 77
    n = failed = 0

    def result(ok, name, details=()):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        for d in details:
            print("# " + d)
        sys.stdout.flush()

    tmp = tempfile.mkdtemp(prefix="vcm-doc-commands-")
    try:
        top, path = scratch_tree(tmp, qemu)
        for page in pages(args):
            rel = os.path.relpath(page, ROOT)
            with open(page) as f:
                lines = f.read().splitlines()
            blocks = md_blocks(lines) if page.endswith(".md") \
                else rst_blocks(lines)
            for start, console, body in blocks:
                where = "%s:%d" % (rel, start)
                if not console:
                    stray = [l for l in body
                             if QEMU_LINE.match(l) or MAKE_RUN.match(l)]
                    if stray:
                        result(False, "%s: a command line outside a console "
                               "block (write it as '$ ...' in a "
                               "'code-block:: console')" % where, stray[:1])
                    continue
                cmds = commands(body)
                run = [c for c in cmds if not c.startswith("make ") or
                       re.match(r"make run KERNEL=", c)]
                for c in cmds:
                    if c not in run:
                        print("# %s: not run: %s" % (where, c))
                if not run:
                    continue
                script = "\n".join(substitute(c, guest or "GUEST", top)
                                   for c in run)
                if list_only:
                    print("# %s:\n%s" % (where, script))
                    continue
                log = os.path.join(tmp, "qemu-%d.log" % n)
                open(log, "w").close()
                status, out = run_block(script, top, path, log,
                                        BLOCK_TIMEOUT)
                problems, runs = check_log(log)
                if status is None:
                    problems.insert(0, "timed out after %d s" % BLOCK_TIMEOUT)
                elif status:
                    problems.insert(0, "exit status %d" % status)
                if any(c.startswith("make run KERNEL=") for c in run) and \
                        STATS not in out:
                    problems.append("make run printed no statistics")
                details = problems + ["$ " + l for l in
                                      script.splitlines()]
                if problems:
                    details += ["output: " + l for l in
                                out.splitlines()[-20:]]
                result(not problems, "%s: %d command(s), %d QEMU run(s)" %
                       (where, len(run), runs), details)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
