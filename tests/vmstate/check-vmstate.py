#!/usr/bin/python3
"""Compare the migration format of the overlay's devices with the one
checked in (tests/vmstate/reference.json, from qemu -dump-vmstate).

    check-vmstate.py QEMU_SYSTEM_ARM [--update]

A device whose sections changed must also have bumped its version_id;
otherwise the format broke silently and the check fails. --update
rewrites the reference after an intended, versioned change.
"""

import json
import os
import subprocess
import sys
import tempfile

DEVICES = ["smmu-vcm", "vcm-dma", "pasr-ddr"]
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "reference.json")


def dump(qemu):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "vmstate.json")
        subprocess.run([qemu, "-M", "virt", "-nodefaults", "-dump-vmstate",
                        path], check=True)
        with open(path) as f:
            full = json.load(f)
    return {dev: full[dev] for dev in DEVICES}


def main():
    current = dump(sys.argv[1])
    if "--update" in sys.argv[2:]:
        with open(REFERENCE, "w") as f:
            json.dump(current, f, indent=1, sort_keys=True)
            f.write("\n")
        print("check-vmstate: reference updated")
        return 0
    with open(REFERENCE) as f:
        reference = json.load(f)
    failed = 0
    for n, dev in enumerate(DEVICES, 1):
        old, new = reference.get(dev), current[dev]
        if old == new:
            print("ok %d - %s unchanged (version %d)" %
                  (n, dev, new["version_id"]))
        elif old and new["version_id"] > old["version_id"]:
            print("ok %d - %s changed with version %d -> %d (run with "
                  "--update to record it)" %
                  (n, dev, old["version_id"], new["version_id"]))
        else:
            failed = 1
            print("not ok %d - %s migration format changed without a "
                  "version_id bump" % (n, dev))
    print("1..%d" % len(DEVICES))
    return failed


if __name__ == "__main__":
    sys.exit(main())
