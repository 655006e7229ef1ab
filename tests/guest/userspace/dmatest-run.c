/*
 * Run the kernel's dmatest when the command line asks for it (any
 * "dmatest." parameter but "dmatest.run") and wait for its summary lines.
 * dmatest built in starts its tests from a late initcall, when the
 * dmaengine channels of devices behind an IOMMU may still be deferred;
 * so the boot tests give dmatest its parameters on the command line and
 * this program sets "run" once userspace is up, then reads "wait", which
 * blocks until every dmatest thread is done. Without dmatest, or when
 * nothing asked for it, it does nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PARAMS "/sys/module/dmatest/parameters/"

static int requested(void)
{
    char cmdline[4096], *word;
    FILE *f = fopen("/proc/cmdline", "r");
    int found = 0;

    if (!f || !fgets(cmdline, sizeof(cmdline), f)) {
        if (f) {
            fclose(f);
        }
        return 0;
    }
    fclose(f);
    for (word = strtok(cmdline, " \n"); word; word = strtok(NULL, " \n")) {
        if (!strncmp(word, "dmatest.", 8) && strncmp(word, "dmatest.run", 11)) {
            found = 1;
        }
    }
    return found;
}

int main(void)
{
    char buf[16];
    ssize_t n;
    int fd;

    if (access(PARAMS "run", W_OK) || !requested()) {
        return 0;
    }
    fd = open(PARAMS "run", O_WRONLY);
    if (fd < 0 || write(fd, "1", 1) != 1) {
        printf("dmatest-run: cannot start dmatest\n");
        return 1;
    }
    close(fd);
    printf("dmatest-run: dmatest started\n");
    fflush(stdout);
    fd = open(PARAMS "wait", O_RDONLY);     /* blocks until it is done */
    n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
    if (fd >= 0) {
        close(fd);
    }
    printf("dmatest-run: dmatest finished%s\n", n < 0 ? " (no wait)" : "");
    return 0;
}
