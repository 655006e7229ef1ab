/*
 * Guest init for the boot tests: mounts the pseudo file systems, reports
 * what the guest sees on the serial console, and powers the VM off.
 * Built static for ARM (tests/guest/build-initramfs.sh); the kernel passes
 * unknown "key=value" command-line words to it as environment variables.
 *
 * Lines the boot runner matches start with "vcm-init: ".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DT_PLATFORM_BUS "/proc/device-tree/platform-bus@c000000"

static void mount_fs(const char *type, const char *dir)
{
    mkdir(dir, 0755);
    if (mount(type, dir, type, 0, NULL) < 0 && errno != EBUSY) {
        printf("vcm-init: mount %s on %s failed: %s\n", type, dir,
               strerror(errno));
    }
}

/* A DT string list, printed with ',' between its strings replaced by ' '. */
static int read_dt_strings(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f) {
        return -1;
    }
    n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (size_t i = 0; i + 1 < n; i++) {
        if (buf[i] == '\0') {
            buf[i] = ' ';
        }
    }
    return 0;
}

/* One line per platform-bus node: its name and compatible strings. */
static void report_platform_bus(void)
{
    DIR *dir = opendir(DT_PLATFORM_BUS);
    struct dirent *e;
    char path[512], compat[256];
    int nodes = 0;

    if (!dir) {
        printf("vcm-init: no %s\n", DT_PLATFORM_BUS);
        return;
    }
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s/compatible", DT_PLATFORM_BUS,
                 e->d_name);
        if (read_dt_strings(path, compat, sizeof(compat)) == 0) {
            printf("vcm-init: dt %s compatible=\"%s\"\n", e->d_name, compat);
            nodes++;
        }
        snprintf(path, sizeof(path), "%s/%s/lpddr2/compatible",
                 DT_PLATFORM_BUS, e->d_name);
        if (read_dt_strings(path, compat, sizeof(compat)) == 0) {
            printf("vcm-init: dt %s/lpddr2 compatible=\"%s\"\n", e->d_name,
                   compat);
        }
    }
    closedir(dir);
    printf("vcm-init: %d platform-bus nodes\n", nodes);
}

/* Load every kernel module found in the root directory. */
static void load_modules(void)
{
    DIR *dir = opendir("/");
    struct dirent *e;

    while (dir && (e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        char path[300];
        int fd;

        if (n < 4 || strcmp(e->d_name + n - 3, ".ko")) {
            continue;
        }
        snprintf(path, sizeof(path), "/%s", e->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) < 0) {
            printf("vcm-init: loading %s failed: %s\n", path,
                   strerror(errno));
        } else {
            printf("vcm-init: loaded %s\n", path);
        }
        if (fd >= 0) {
            close(fd);
        }
    }
    if (dir) {
        closedir(dir);
    }
}

int main(void)
{
    const char *test = getenv("vcm_test");

    mount_fs("proc", "/proc");
    mount_fs("sysfs", "/sys");
    mount_fs("devtmpfs", "/dev");
    printf("vcm-init: started, test=%s\n", test ? test : "boot");

    report_platform_bus();
    load_modules();

    printf("vcm-init: done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
