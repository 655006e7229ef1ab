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
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* One line per entry of a sysfs directory: "vcm-init: sysfs DIR/NAME". */
static void report_dir(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;

    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] != '.') {
            printf("vcm-init: sysfs %s/%s\n", path, e->d_name);
        }
    }
    if (dir) {
        closedir(dir);
    }
}

/*
 * What the IOMMU core registered (docs/specs/smmu-vcm.rst 7): the SMMU instances
 * in /sys/class/iommu with their masters, the groups' members, and the
 * interrupt handlers msm_iommu requested.
 */
static void report_iommu_sysfs(void)
{
    DIR *dir = opendir("/sys/class/iommu");
    struct dirent *e;
    char path[512], line[256];
    FILE *f;

    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof(path), "/sys/class/iommu/%s/devices",
                     e->d_name);
            printf("vcm-init: sysfs /sys/class/iommu/%s\n", e->d_name);
            report_dir(path);
        }
    }
    if (dir) {
        closedir(dir);
    }
    dir = opendir("/sys/kernel/iommu_groups");
    while (dir && (e = readdir(dir))) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices",
                     e->d_name);
            report_dir(path);
        }
    }
    if (dir) {
        closedir(dir);
    }
    f = fopen("/proc/interrupts", "r");
    while (f && fgets(line, sizeof(line), f)) {
        char *name = strrchr(line, ' ');

        if (strstr(line, "msm_iommu") && name) {
            printf("vcm-init: irq %s", name + 1);
        }
    }
    if (f) {
        fclose(f);
    }
}

/* The platform-bus offset of the first node with this compatible. */
static long find_platform_node(const char *compatible)
{
    DIR *dir = opendir(DT_PLATFORM_BUS);
    struct dirent *e;
    char path[512], compat[256];
    long offset = -1;

    while (dir && (e = readdir(dir))) {
        const char *at = strchr(e->d_name, '@');

        snprintf(path, sizeof(path), "%s/%s/compatible", DT_PLATFORM_BUS,
                 e->d_name);
        if (at && read_dt_strings(path, compat, sizeof(compat)) == 0 &&
            !strcmp(compat, compatible)) {
            offset = strtol(at + 1, NULL, 16);
            break;
        }
    }
    if (dir) {
        closedir(dir);
    }
    return offset;
}

#define PLATFORM_BUS_BASE   0x0c000000

static volatile uint32_t *ddr;

static uint32_t ddr_rd(unsigned off)
{
    return ddr[off / 4];
}

static void ddr_wr(unsigned off, uint32_t v)
{
    ddr[off / 4] = v;
}

/* MRR of mode register @ma on chip select @cs (pasr-ddr MR_CMD) */
static uint32_t ddr_mrr(unsigned cs, unsigned ma)
{
    ddr_wr(0x044, 6);
    ddr_wr(0x040, 1u << 31 | (1u << cs) << 16 | ma);
    return ddr_rd(0x048) & 0xFFFF;
}

/* MRW of @op to mode register @ma of the chip selects in @cs_mask */
static void ddr_mrw(unsigned cs_mask, unsigned ma, unsigned op)
{
    ddr_wr(0x044, 6);
    ddr_wr(0x040, 1u << 31 | 1u << 24 | cs_mask << 16 | op << 8 | ma);
}

/*
 * Drive the LP-DDR2 controller through /dev/mem: identify it, read the
 * dies' mode registers, and run an unmasked self-refresh pulse on every
 * chip select (no mask: nothing is lost).
 */
static void demo_pasr_ddr(void)
{
    long off = find_platform_node("qemu,pasr-ddr");
    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    unsigned ncs;
    uint32_t ctrl;

    if (off < 0 || fd < 0) {
        printf("vcm-init: pasr-ddr: no device (%ld) or /dev/mem (%s)\n",
               off, strerror(errno));
        return;
    }
    ddr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
               PLATFORM_BUS_BASE + off);
    close(fd);
    if (ddr == MAP_FAILED) {
        printf("vcm-init: pasr-ddr: mmap failed: %s\n", strerror(errno));
        return;
    }
    ncs = ddr_rd(0x008) & 0xF;
    printf("vcm-init: pasr-ddr: ID 0x%08x CAPS 0x%08x MAP_CFG 0x%08x, "
           "%u chip selects\n", ddr_rd(0x000), ddr_rd(0x008), ddr_rd(0x00C),
           ncs);
    for (unsigned cs = 0; cs < ncs && cs < 4; cs++) {
        printf("vcm-init: pasr-ddr: CS%u base 0x%08x %u MiB, MR5 0x%02x "
               "MR8 0x%02x MR4 0x%02x\n", cs, ddr_rd(0x104 + 0x20 * cs),
               ddr_rd(0x108 + 0x20 * cs), ddr_mrr(cs, 5) & 0xFF,
               ddr_mrr(cs, 8) & 0xFF, ddr_mrr(cs, 4) & 0xFF);
    }
    /*
     * The PASR framework keeps the CSn_MR16/17 shadows set for free
     * memory, and the kernel may allocate from it while this pulse runs:
     * with CTRL.APPLY_ON_SR cleared the dies keep the masks they hold,
     * which two MRWs clear first, so nothing is lost.
     */
    ctrl = ddr_rd(0x020);
    ddr_wr(0x020, ctrl & ~1u);
    ddr_mrw((1u << ncs) - 1, 16, 0);
    ddr_mrw((1u << ncs) - 1, 17, 0);
    ddr_wr(0x088, 1000);                        /* SR_PULSE_US */
    ddr_wr(0x080, ((1u << ncs) - 1) | 1 << 8);  /* SR_PULSE, all CS */
    for (int i = 0; i < 1000 && (ddr_rd(0x084) & 0xF); i++) {
        usleep(1000);                           /* until PM_STATUS.IN_SR = 0 */
    }
    ddr_wr(0x020, ctrl);
    printf("vcm-init: pasr-ddr: after a 1 ms self-refresh pulse: "
           "SR_COUNT %u LOSS_COUNT %u PM_STATUS 0x%x\n", ddr_rd(0x0D8),
           ddr_rd(0x0DC), ddr_rd(0x084));
    munmap((void *)ddr, 4096);
}

/*
 * "module.param=value" words of the kernel command line, for a module
 * loaded from here (what modprobe does for modules it loads).
 */
static void module_params(const char *module, char *out, size_t size)
{
    char cmdline[4096], *word, *save = NULL;
    size_t prefix = strlen(module), used = 0;
    FILE *f = fopen("/proc/cmdline", "r");

    out[0] = '\0';
    if (!f || !fgets(cmdline, sizeof(cmdline), f)) {
        if (f) {
            fclose(f);
        }
        return;
    }
    fclose(f);
    for (word = strtok_r(cmdline, " \n", &save); word;
         word = strtok_r(NULL, " \n", &save)) {
        if (!strncmp(word, module, prefix) && word[prefix] == '.') {
            used += snprintf(out + used, size - used, "%s%s",
                             used ? " " : "", word + prefix + 1);
            if (used >= size) {
                out[size - 1] = '\0';
                return;
            }
        }
    }
}

/* Load every kernel module found in the root directory. */
static void load_modules(void)
{
    DIR *dir = opendir("/");
    struct dirent *e;

    while (dir && (e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        char path[300], name[256], params[1024];
        int fd;

        if (n < 4 || strcmp(e->d_name + n - 3, ".ko")) {
            continue;
        }
        snprintf(path, sizeof(path), "/%s", e->d_name);
        snprintf(name, sizeof(name), "%.*s", (int)(n - 3), e->d_name);
        module_params(name, params, sizeof(params));
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || syscall(SYS_finit_module, fd, params, 0) < 0) {
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

/*
 * Run the test programs of /tests (tests/guest/userspace/) in name order,
 * after the modules they talk to are loaded.
 */
static void run_tests(void)
{
    struct dirent **names;
    int n = scandir("/tests", &names, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        char path[300];
        int status = 0;
        pid_t pid;

        if (names[i]->d_name[0] != '.') {
            snprintf(path, sizeof(path), "/tests/%s", names[i]->d_name);
            fflush(stdout);
            pid = fork();
            if (pid == 0) {
                execl(path, path, (char *)NULL);
                _exit(127);
            }
            if (pid > 0 && waitpid(pid, &status, 0) == pid &&
                WIFEXITED(status)) {
                printf("vcm-init: run %s: exit %d\n", path,
                       WEXITSTATUS(status));
            } else {
                printf("vcm-init: run %s: failed (status %#x)\n", path,
                       status);
            }
        }
        free(names[i]);
    }
    if (n >= 0) {
        free(names);
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
    report_iommu_sysfs();
    run_tests();
    demo_pasr_ddr();

    printf("vcm-init: done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
