#!/usr/bin/python3
"""Device-tree checks of the overlay (issue 16), as a TAP test.

    check-dt.py QEMU_SYSTEM_ARM [--keep DIR] [--dtb FILE.dtb ...]

1. The project's bindings (docs/devicetree/bindings) pass dt-doc-validate,
   and each one's examples build and pass dt-validate, as the kernel's
   "make dt_binding_check" would check them.
2. The device tree virt generates for the demo configuration and for a
   4-SMMU, 4-chip-select one passes dt-validate against the project's
   bindings and against the Linux 6.12 bindings the guests use
   (iommu/qcom,apq8064-iommu.yaml, memory-controllers/ddr/jedec,lpddr2*.yaml
   and every binding they reference), taken from the 6.12 source the guest
   build unpacks in VCM_CACHE (default ~/.cache/smmu-vcm). Only complaints
   about the overlay's nodes (iommu@, dma@, memory-controller@ on the
   platform bus, and their children) fail; the rest of virt's tree is
   reported as information.

Without the 6.12 source the test fails: make check builds the guests first.
--dtb validates the given trees (an edited copy, say) instead of virt's;
--keep leaves the processed schema and the trees in DIR.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINDINGS = os.path.join(ROOT, "docs", "devicetree", "bindings")
# The kernel series submits the same vcm-dma binding; they must not drift.
VCM_DMA_PATCH = os.path.join(
    ROOT, "tests", "guest", "linux-patches", "vcm-dma",
    "0001-dt-bindings-dma-Add-QEMU-vcm-dma-engine.patch")

# The Linux 6.12 bindings the generated nodes must satisfy, relative to
# Documentation/devicetree/bindings; what they reference is added.
KERNEL_ROOTS = ["iommu/qcom,apq8064-iommu.yaml",
                "memory-controllers/ddr/jedec,lpddr2*.yaml"]

OUR_NODE = re.compile(r"^(iommu|dma|memory-controller)@[0-9a-f]+$")

CONFIGS = {
    "demo": ["-m", "1G",
             "-device", "smmu-vcm,id=smmu0",
             "-device", "vcm-dma,iommu=smmu0,mid=3",
             "-device", "smmu-vcm,id=smmu1",
             "-device", "vcm-dma,iommu=smmu1,mid=5",
             "-device", "pasr-ddr"],
    # 4 x 1024 Mbit x32 = 512 MiB: the geometry must add up to -m.
    "4-smmu-4-cs": ["-m", "512M",
                    "-device", "smmu-vcm,id=smmu0,num-contexts=1",
                    "-device", "vcm-dma,iommu=smmu0,mid=0",
                    "-device", "smmu-vcm,id=smmu1,num-contexts=2",
                    "-device", "vcm-dma,iommu=smmu1,mid=1",
                    "-device", "smmu-vcm,id=smmu2,num-contexts=3",
                    "-device", "vcm-dma,iommu=smmu2,mid=127",
                    "-device", "smmu-vcm,id=smmu3",
                    "-device", "vcm-dma,iommu=smmu3,mid=5",
                    "-device", "vcm-dma",
                    "-device", "pasr-ddr,cs=4,lpddr2-type=s2,"
                    "density-mbit=1024,manufacturer-id=3,"
                    "revision-id1=2,revision-id2=17"],
}

n_tests = 0
failed = 0


def result(ok, name, details=""):
    global n_tests, failed
    n_tests += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n_tests, name))
    for line in details.splitlines():
        print("# " + line)
    sys.stdout.flush()


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          **kw)


def kernel_bindings():
    cache = os.environ.get("VCM_CACHE",
                           os.path.expanduser("~/.cache/smmu-vcm"))
    trees = [d for d in glob.glob(os.path.join(cache, "linux-6.12*"))
             if os.path.isdir(os.path.join(d, "Documentation", "devicetree",
                                           "bindings"))]
    if not trees:
        return None, cache
    # newest by version: linux-6.12.117-1~deb12u1 after linux-6.12.9-...
    def key(d):
        return [int(x) for x in re.findall(r"\d+", os.path.basename(d))]
    tree = max(trees, key=key)
    return os.path.join(tree, "Documentation", "devicetree", "bindings"), tree


def dtschema_dir():
    """dt-schema's own schemas, asked of the Python that runs its tools
    (meson may run this script with another one)."""
    with open(shutil.which("dt-validate")) as f:
        interp = f.readline()[2:].split()
    out = subprocess.run(interp + ["-c", "import dtschema, os; print("
                                   "os.path.dirname(dtschema.__file__))"],
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True)
    return os.path.join(out.stdout.strip(), "schemas")


def refs_of(path):
    with open(path) as f:
        text = f.read()
    return re.findall(r"\$ref:\s*[\"']?([^\"'#\s]+)", text)


def stage_schemas(kbind, stage):
    """Copy the project's bindings, the kernel roots and everything they
    reference (that dt-schema itself does not provide) under stage."""
    core = dtschema_dir()
    todo = []
    for dirpath, _, files in os.walk(BINDINGS):
        for f in files:
            if f.endswith(".yaml"):
                src = os.path.join(dirpath, f)
                todo.append((src, os.path.relpath(src, BINDINGS)))
    for pattern in KERNEL_ROOTS:
        for src in sorted(glob.glob(os.path.join(kbind, pattern))):
            todo.append((src, os.path.relpath(src, kbind)))
    if len(todo) <= len(KERNEL_ROOTS):
        return None
    done = set()
    while todo:
        src, rel = todo.pop()
        if rel in done:
            continue
        done.add(rel)
        dst = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        for ref in refs_of(src):
            ref = re.sub(r"^http://devicetree.org", "", ref)
            if ref.startswith("/schemas/"):
                target = ref[len("/schemas/"):]
            else:
                target = os.path.normpath(os.path.join(os.path.dirname(rel),
                                                       ref))
            if os.path.exists(os.path.join(core, target)):
                continue
            ksrc = os.path.join(kbind, target)
            if os.path.exists(ksrc):
                todo.append((ksrc, target))
    return sorted(done)


def parse_validate(output, dtb):
    """dt-validate's report as (node, text) records."""
    records = []
    for line in output.splitlines():
        if line.startswith("\t") and records:
            records[-1][1].append(line.strip())
            continue
        rest = line
        if rest.startswith(dtb):
            rest = rest[len(dtb):]
        rest = re.sub(r"^:(\d+:\d+:)?\s*", "", rest)
        node, _, msg = rest.partition(": ")
        records.append((node, [msg]))
    return [(node, "\n  ".join(msg)) for node, msg in records]


def our_nodes(dtb):
    """Names and paths of the overlay's nodes and their children."""
    names = set()
    top = run(["fdtget", "-l", dtb, "/"]).stdout.split()
    for bus in [n for n in top if n.startswith("platform-bus@")]:
        for child in run(["fdtget", "-l", dtb, "/" + bus]).stdout.split():
            if not OUR_NODE.match(child):
                continue
            path = "/%s/%s" % (bus, child)
            names |= {child, path}
            for sub in run(["fdtget", "-l", dtb, path]).stdout.split():
                names |= {sub, path + "/" + sub}
    return names


def validate(schema, dtb):
    """(errors on our nodes, other complaints, our node names)."""
    out = run(["dt-validate", "-m", "-s", schema, dtb])
    ours = our_nodes(dtb)
    errors, info = [], []
    for node, text in parse_validate(out.stdout, dtb):
        (errors if node in ours else info).append("%s: %s" % (node, text))
    if out.returncode:
        errors.append("dt-validate exited with %d" % out.returncode)
    return errors, info, ours


def check_binding(path, stage, schema, incdir, tmp):
    rel = os.path.relpath(path, BINDINGS)
    # the staged copy: its $id is checked against the path under -u
    out = run(["dt-doc-validate", "-u", stage, os.path.join(stage, rel)])
    result(out.returncode == 0 and not out.stdout.strip(),
           "dt-doc-validate %s" % rel, out.stdout)

    ex = run(["dt-extract-example", path])
    base = os.path.join(tmp, os.path.basename(path))
    pre = run(["cpp", "-P", "-nostdinc", "-undef", "-D__DTS__",
               "-x", "assembler-with-cpp", "-I", incdir, "-"],
              input=ex.stdout)
    dts = base + ".example.dts"
    with open(dts, "w") as f:
        f.write(pre.stdout)
    dtc = run(["dtc", "-I", "dts", "-O", "dtb", "-o", base + ".dtb", dts])
    if ex.returncode or pre.returncode or dtc.returncode:
        result(False, "example of %s builds" % rel,
               ex.stdout + pre.stdout + dtc.stdout)
        return
    out = run(["dt-validate", "-s", schema, base + ".dtb"])
    records = parse_validate(out.stdout, base + ".dtb")
    result(out.returncode == 0 and not records,
           "example of %s passes dt-validate" % rel,
           "\n".join("%s: %s" % r for r in records))


def check_vcm_dma_patch():
    rel = "dma/qemu,vcm-dma.yaml"
    with open(os.path.join(BINDINGS, rel)) as f:
        ours = f.read()
    with open(VCM_DMA_PATCH) as f:
        patch = f.read()
    hunk = patch.split("+++ b/Documentation/devicetree/bindings/" + rel, 1)
    lines = hunk[1].split("\n")[2:] if len(hunk) == 2 else []
    theirs = "".join(l[1:] + "\n" for l in lines if l.startswith("+"))
    result(ours == theirs,
           "%s equals the binding in the vcm-dma kernel series" % rel,
           "" if ours == theirs else "differs from " +
           os.path.relpath(VCM_DMA_PATCH, ROOT))


def main():
    qemu, keep, dtbs = sys.argv[1], None, []
    args = sys.argv[2:]
    while args:
        opt = args.pop(0)
        if opt == "--keep":
            keep = args.pop(0)
            os.makedirs(keep, exist_ok=True)
        elif opt == "--dtb":
            while args and not args[0].startswith("--"):
                dtbs.append(os.path.abspath(args.pop(0)))
        else:
            sys.exit("usage: check-dt.py QEMU [--keep DIR] [--dtb FILE...]")
    kbind, tree = kernel_bindings()
    if not kbind:
        result(False, "Linux 6.12 bindings in %s/linux-6.12*" % tree,
               "not found: make check builds the guests (make guest) "
               "before the tests, which unpacks the kernel there")
        print("1..%d" % n_tests)
        return 1
    result(True, "Linux bindings from %s" % kbind)

    tmp = keep or tempfile.mkdtemp(prefix="vcm-dt-")
    try:
        stage = os.path.join(tmp, "schemas")
        shutil.rmtree(stage, ignore_errors=True)
        staged = stage_schemas(kbind, stage)
        result(bool(staged), "bindings staged",
               "\n".join(staged or ["no bindings found"]))
        schema = os.path.join(tmp, "processed-schema.json")
        out = run(["dt-mk-schema", "-j", "-o", schema, stage])
        result(out.returncode == 0, "dt-mk-schema", out.stdout)
        if out.returncode:
            return 1

        incdir = os.path.join(tree, "scripts", "dtc", "include-prefixes")
        for dirpath, _, files in sorted(os.walk(BINDINGS)):
            for f in sorted(files):
                if f.endswith(".yaml"):
                    check_binding(os.path.join(dirpath, f), stage, schema,
                                  incdir, tmp)
        check_vcm_dma_patch()

        trees = [(os.path.basename(d), d, None) for d in dtbs] or \
            [(name, os.path.join(tmp, name + ".dtb"), args)
             for name, args in CONFIGS.items()]
        for name, dtb, args in trees:
            if args is not None:
                out = run([qemu, "-M", "virt,dumpdtb=" + dtb, "-nodefaults",
                           "-display", "none"] + args)
                if out.returncode or not os.path.exists(dtb):
                    result(False, "%s: virt generates a device tree" % name,
                           out.stdout)
                    continue
            errors, info, ours = validate(schema, dtb)
            if not ours:
                errors.append("no overlay nodes on the platform bus")
            result(not errors,
                   "%s: dt-validate finds nothing in the overlay's nodes" %
                   name, "\n".join(errors))
            unmatched = [l for l in info
                         if "failed to match any schema" in l]
            for line in info:
                if line not in unmatched:
                    print("# info (not ours): " + line.replace("\n", " "))
            print("# info: %d complaints that virt's other nodes match none "
                  "of the loaded bindings" % len(unmatched))
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n_tests)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
