#!/usr/bin/python3
"""The reference device trees in pc-bios/dtb against what virt generates.

    dtb-drift.py QEMU_SYSTEM_ARM DTB_DIR            (TAP, make check)
    dtb-drift.py QEMU_SYSTEM_ARM --update           (rewrite the .dts)

Each pc-bios/dtb/*.dts names, in its header comment, the command line it
describes ("qemu-system-arm -M virt ..."). The test runs that command line
with -machine dumpdtb=, decompiles the dump and the .dtb the build compiled
from the .dts (DTB_DIR) with dtc, and compares them node by node and
property by property. Phandle numbers are not compared: a cell may differ
only if, in both trees, it is a phandle and names the node with the same
path. /chosen's rng-seed and kaslr-seed are random in every dump (QEMU
draws them again at each reset, from a -dtb file too), so only their
length counts.

--update regenerates each .dts below its header from virt's dump, with a
label for every node that has a phandle and "&label" where it is used,
when the generated nodes change on purpose.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DTS_DIR = os.path.join(ROOT, "pc-bios", "dtb")
RANDOM = {"/chosen/rng-seed", "/chosen/kaslr-seed"}

# Properties made of phandle specifiers: phandle, then as many cells as
# the named property of the target says (None: no argument cells).
SPECIFIERS = {"interrupt-parent": None, "device-handle": None, "cpu": None,
              "clocks": "#clock-cells", "iommus": "#iommu-cells",
              "gpios": "#gpio-cells"}


class Node:
    def __init__(self, path):
        self.path = path
        self.props = []         # (name, value text or None)
        self.children = []

    def prop(self, name):
        for n, v in self.props:
            if n == name:
                return v
        return None


def parse(text):
    """dtc -O dts output (one property per line) as a tree of Nodes."""
    root = None
    stack = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("/dts-v1/"):
            continue
        m = re.fullmatch(r"(?:[\w-]+: )?([^\s=]+) \{", line)
        if m:
            name = m.group(1)
            if not stack:
                node = root = Node("/")
            else:
                parent = stack[-1]
                node = Node(parent.path.rstrip("/") + "/" + name)
                parent.children.append(node)
            stack.append(node)
        elif line == "};":
            stack.pop()
        else:
            m = re.fullmatch(r"([^\s=]+)(?: = (.*))?;", line)
            if not m or not stack:
                raise ValueError("unexpected line: " + line)
            stack[-1].props.append((m.group(1), m.group(2)))
    return root


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def chunks(value):
    """A property value as ('<', [cells]) / ('"', text) / ('[', bytes)."""
    out = []
    for m in re.finditer(r'<([^>]*)>|"((?:[^"\\]|\\.)*)"|\[([^\]]*)\]',
                         value or ""):
        if m.group(1) is not None:
            out.append(("<", m.group(1).split()))
        elif m.group(2) is not None:
            out.append(('"', m.group(2)))
        else:
            out.append(("[", m.group(3)))
    return out


def phandles(root):
    """phandle value -> node path."""
    found = {}
    for node in walk(root):
        value = node.prop("phandle")
        if value:
            found[int(chunks(value)[0][1][0], 0)] = node.path
    return found


def compare(ref, gen):
    """Differences between two trees, phandle numbering aside."""
    ref_ph, gen_ph = phandles(ref), phandles(gen)
    diffs = []

    def same_cell(a, b):
        if a == b:
            return True
        pa, pb = ref_ph.get(int(a, 0)), gen_ph.get(int(b, 0))
        return pa is not None and pa == pb

    def same_value(path, a, b):
        ca, cb = chunks(a), chunks(b)
        if path in RANDOM:
            return [(k, len(v)) for k, v in ca] == [(k, len(v))
                                                   for k, v in cb]
        if path.endswith("/phandle"):
            return a is not None and b is not None
        if len(ca) != len(cb):
            return False
        for (ka, va), (kb, vb) in zip(ca, cb):
            if ka != kb or len(va) != len(vb):
                return False
            if ka == "<":
                if not all(same_cell(x, y) for x, y in zip(va, vb)):
                    return False
            elif va != vb:
                return False
        return True

    def visit(r, g):
        rprops, gprops = dict(r.props), dict(g.props)
        for name in sorted(set(rprops) | set(gprops)):
            path = r.path.rstrip("/") + "/" + name
            if name not in gprops:
                diffs.append("%s: only in the reference" % path)
            elif name not in rprops:
                diffs.append("%s = %s: only in virt's tree" %
                             (path, gprops[name]))
            elif not same_value(path, rprops[name], gprops[name]):
                diffs.append("%s: reference %s, virt %s" %
                             (path, rprops[name], gprops[name]))
        rkids = {c.path: c for c in r.children}
        gkids = {c.path: c for c in g.children}
        for path in sorted(set(rkids) | set(gkids)):
            if path not in gkids:
                diffs.append("%s: node only in the reference" % path)
            elif path not in rkids:
                diffs.append("%s: node only in virt's tree" % path)
            else:
                visit(rkids[path], gkids[path])

    visit(ref, gen)
    return diffs


def command_line(dts):
    """The qemu-system-arm command line in a .dts header comment, as the
    arguments after the program name."""
    with open(dts) as f:
        header = f.read().split("/dts-v1/;", 1)[0]
    lines = [re.sub(r"^\s*\*\s?", "", l) for l in header.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("qemu-system-arm -M virt "):
            text = line
            while text.endswith("\\"):
                i += 1
                text = text[:-1] + " " + lines[i]
            return shlex.split(text)[1:]
    raise ValueError("%s: no 'qemu-system-arm -M virt ...' line in the "
                     "header comment" % dts)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          **kw)


def dump(qemu, args, out):
    """virt's tree for args, decompiled; (text, error output)."""
    i = args.index("-M")
    args = args[:i + 1] + [args[i + 1] + ",dumpdtb=" + out] + args[i + 2:]
    res = run([qemu, "-display", "none"] + args)
    if res.returncode or not os.path.exists(out):
        return None, res.stdout
    return decompile(out)


def decompile(dtb):
    res = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True)
    if res.returncode:
        return None, res.stderr
    return res.stdout, ""


def labels(root):
    """A label for every node with a phandle: its name without the unit
    address, with the address added where two nodes share a name."""
    nodes = [n for n in walk(root) if n.prop("phandle")]
    base = {n.path: re.sub(r"[^a-z0-9_]", "_",
                           n.path.rsplit("/", 1)[1].split("@")[0].lower())
            for n in nodes}
    names = list(base.values())
    out = {}
    for n in nodes:
        label = base[n.path]
        if names.count(label) > 1:
            label += "_" + n.path.rsplit("@", 1)[1].replace(",", "_")
        out[n.path] = label
    return out


def with_labels(root):
    """The tree as .dts text, phandles written as labels."""
    ph = phandles(root)
    lab = labels(root)
    by_path = {n.path: n for n in walk(root)}

    def cells_of(path, prop, default):
        v = by_path[path].prop(prop)
        return int(chunks(v)[0][1][0], 0) if v else default

    def ref(cell):
        return "&" + lab[ph[int(cell, 0)]]

    def rewrite(node, name, value):
        if name in SPECIFIERS and value and value.startswith("<"):
            cells = chunks(value)[0][1]
            i = 0
            while i < len(cells):
                target = ph.get(int(cells[i], 0))
                if target is None:
                    return value
                cells[i] = ref(cells[i])
                i += 1 + (cells_of(target, SPECIFIERS[name], 0)
                          if SPECIFIERS[name] else 0)
            return "<" + " ".join(cells) + ">"
        if name == "msi-map":
            cells = chunks(value)[0][1]
            for i in range(1, len(cells), 4):
                cells[i] = ref(cells[i])
            return "<" + " ".join(cells) + ">"
        if name == "interrupt-map":
            cells = chunks(value)[0][1]
            child = (cells_of(node.path, "#address-cells", 0) +
                     cells_of(node.path, "#interrupt-cells", 1))
            i = 0
            while i < len(cells):
                target = ph[int(cells[i + child], 0)]
                cells[i + child] = ref(cells[i + child])
                i += (child + 1 + cells_of(target, "#address-cells", 0) +
                      cells_of(target, "#interrupt-cells", 1))
            return "<" + " ".join(cells) + ">"
        if node.path + "/" + name in RANDOM:
            n = len(chunks(value)[0][1])
            return "<" + " ".join(["0x00"] * n) + ">"
        return value

    out = []

    def emit(node, depth):
        tab = "\t" * depth
        name = "/" if node.path == "/" else node.path.rsplit("/", 1)[1]
        label = lab.get(node.path)
        out.append("%s%s%s {" % (tab, label + ": " if label else "", name))
        for pname, value in node.props:
            if pname == "phandle":
                continue
            value = rewrite(node, pname, value)
            out.append("%s\t%s%s;" % (tab, pname,
                                      "" if value is None else " = " + value))
        for child in node.children:
            out.append("")
            emit(child, depth + 1)
        out.append(tab + "};")

    emit(root, 0)
    return "\n".join(out) + "\n"


def main():
    qemu = sys.argv[1]
    update = sys.argv[2:] == ["--update"]
    if not update and len(sys.argv) != 3:
        sys.exit(__doc__)
    dtb_dir = None if update else sys.argv[2]
    sources = sorted(f for f in os.listdir(DTS_DIR) if f.endswith(".dts"))
    n = failed = 0
    with tempfile.TemporaryDirectory(prefix="vcm-dtb-drift-") as tmp:
        for src in sources:
            dts = os.path.join(DTS_DIR, src)
            name = src[:-4]
            n += 1
            args = command_line(dts)
            gen_text, err = dump(qemu, args, os.path.join(tmp, name + ".dtb"))
            if gen_text is None:
                failed += 1
                print("not ok %d - %s: virt's tree for its command line" %
                      (n, src))
                print("\n".join("# " + l for l in err.splitlines()))
                continue
            if update:
                with open(dts) as f:
                    header = f.read().split("/dts-v1/;", 1)[0]
                with open(dts, "w") as f:
                    f.write(header + "/dts-v1/;\n\n" +
                            with_labels(parse(gen_text)))
                print("ok %d - %s rewritten from virt's tree" % (n, src))
                continue
            ref_text, err = decompile(os.path.join(dtb_dir, name + ".dtb"))
            diffs = compare(parse(ref_text), parse(gen_text)) \
                if ref_text is not None else [err]
            if diffs:
                failed += 1
            print("%s %d - %s equals virt's tree for %s" %
                  ("not ok" if diffs else "ok", n, src, " ".join(args)))
            for d in diffs:
                print("# " + d)
            if diffs:
                print("# if virt's nodes changed on purpose: "
                      "tests/dt/dtb-drift.py build/qemu-system-arm --update")
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
