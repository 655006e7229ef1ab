#!/usr/bin/python3
"""Write the guest's initramfs: an uncompressed "newc" cpio archive holding
/init (the given file), the other FILEs at the root (or at NAME for a
NAME=FILE argument), /dev/console, /proc, /sys and /tests. Written here so
that no root rights (mknod) are needed.

    mkcpio.py OUTPUT INIT [FILE | NAME=FILE]...
"""

import os
import sys

S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name_b), 0]
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = header + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    output, init, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    entries = [
        entry(1, "dev", S_IFDIR | 0o755),
        entry(2, "dev/console", S_IFCHR | 0o600, rdev=(5, 1)),
        entry(3, "proc", S_IFDIR | 0o755),
        entry(4, "sys", S_IFDIR | 0o755),
        entry(5, "tests", S_IFDIR | 0o755),
    ]
    files = [("init", init)]
    for arg in extra:
        name, _, path = arg.rpartition("=")
        files.append((name or os.path.basename(path), path))
    for ino, (name, path) in enumerate(files, start=6):
        with open(path, "rb") as f:
            entries.append(entry(ino, name, S_IFREG | 0o755, f.read()))
    archive = b"".join(entries + [entry(0, "TRAILER!!!", 0)])
    with open(output + ".tmp", "wb") as f:
        f.write(archive)
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
