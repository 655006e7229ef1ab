/*
 * vcm-user: user space on the VCM framework (linux-patches/vcm/) through
 * /dev/vcm/<device>, after vcm_api_test.run=api set up its graph:
 *  - mmap the graph test's physmem (three mappers: two SMMUs and the
 *    CPU) and check what the devices left there;
 *  - print /sys/kernel/debug/vcm/graph and find that physmem with three
 *    mappers;
 *  - a buffer of its own: allocate, reserve, back, fill by DMA, mmap,
 *    check, tear down;
 *  - hostile calls, each of which must fail with its error code.
 * One "vcm-user: " line per result; exit 0 when all is well or there is
 * no /dev/vcm (the VCM test did not run), 1 on any failure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../vcm-api-test/vcm_api_test.h"
#include "../vcm-api-test/vcm_uapi.h"

#define DEV "/dev/vcm/" VAT_GRAPH_DEV
#define GRAPH "/sys/kernel/debug/vcm/graph"

static int failures;

static void result(int ok, const char *fmt, const char *what, long got)
{
    printf("vcm-user: %s", ok ? "" : "FAIL ");
    printf(fmt, what, got);
    printf("\n");
    failures += !ok;
}

static void check_graph_mmap(int fd)
{
    unsigned char *p = mmap(NULL, VAT_GRAPH_SIZE, PROT_READ, MAP_SHARED, fd,
                            VAT_GRAPH_ADDR);
    unsigned int i, bad = 0;

    if (p == MAP_FAILED) {
        printf("vcm-user: FAIL mmap of %#x: %s\n", VAT_GRAPH_ADDR,
               strerror(errno));
        failures++;
        return;
    }
    for (i = 0; i < VAT_GRAPH_SIZE; i++) {
        bad += p[i] != vat_pattern(i);
    }
    printf("vcm-user: %smmap of the shared physmem at %#x: %u bytes, "
           "%u wrong\n", bad ? "FAIL " : "", VAT_GRAPH_ADDR, VAT_GRAPH_SIZE,
           bad);
    failures += bad != 0;
    munmap(p, VAT_GRAPH_SIZE);
}

static void check_graph_text(void)
{
    char line[512];
    int found = 0;
    FILE *f;

    mkdir("/sys/kernel/debug", 0755);
    mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
    f = fopen(GRAPH, "r");
    if (!f) {
        printf("vcm-user: FAIL %s: %s\n", GRAPH, strerror(errno));
        failures++;
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        int id;
        unsigned int mappers;
        char *m = strstr(line, " mappers ");

        printf("vcm-user: graph: %s", line);
        if (sscanf(line, "physmem %d ", &id) == 1 && m &&
            sscanf(m, " mappers %u", &mappers) == 1 && mappers == 3) {
            found++;
        }
    }
    fclose(f);
    printf("vcm-user: %sthe graph shows %d physmem with 3 mappers\n",
           found == 1 ? "" : "FAIL ", found);
    failures += found != 1;
}

static void own_buffer(int fd)
{
    const uint64_t len = 0x10000 + 0x1000;
    struct vcm_ioc_phys_alloc pa = { .len = len };
    struct vcm_ioc_reserve rv = {
        .len = len, .attr = VCM_READ | VCM_WRITE | VCM_USER,
    };
    struct vcm_ioc_back bk;
    struct vcm_ioc_transfer tr;
    uint32_t *p, i, bad = 0;

    if (ioctl(fd, VCM_IOC_PHYS_ALLOC, &pa) || ioctl(fd, VCM_IOC_RESERVE, &rv)) {
        printf("vcm-user: FAIL alloc/reserve: %s\n", strerror(errno));
        failures++;
        return;
    }
    bk.res = rv.handle;
    bk.physmem = pa.handle;
    tr = (struct vcm_ioc_transfer){ .dst = rv.dev_addr, .len = len,
                                    .op = VCM_TRANSFER_FILL,
                                    .pattern = 0xc0ffee00 };
    if (ioctl(fd, VCM_IOC_BACK, &bk) || ioctl(fd, VCM_IOC_TRANSFER, &tr)) {
        printf("vcm-user: FAIL back/transfer: %s\n", strerror(errno));
        failures++;
        return;
    }
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, rv.dev_addr);
    if (p == MAP_FAILED) {
        printf("vcm-user: FAIL mmap %#llx: %s\n",
               (unsigned long long)rv.dev_addr, strerror(errno));
        failures++;
        return;
    }
    for (i = 0; i < len / 4; i++) {
        bad += p[i] != 0xc0ffee00;
    }
    /* unback while user space maps it: refused */
    result(ioctl(fd, VCM_IOC_UNBACK, &rv.handle) < 0 && errno == EBUSY,
           "hostile %s: errno %ld", "unback while mmapped", errno);
    munmap(p, len);
    result(ioctl(fd, VCM_IOC_PHYS_FREE, &pa.handle) < 0 && errno == EBUSY,
           "hostile %s: errno %ld", "free of a backed physmem", errno);
    result(ioctl(fd, VCM_IOC_UNRESERVE, &rv.handle) < 0 && errno == EBUSY,
           "hostile %s: errno %ld", "unreserve of a backed reservation",
           errno);
    if (ioctl(fd, VCM_IOC_UNBACK, &rv.handle) ||
        ioctl(fd, VCM_IOC_UNRESERVE, &rv.handle) ||
        ioctl(fd, VCM_IOC_PHYS_FREE, &pa.handle)) {
        printf("vcm-user: FAIL tear-down: %s\n", strerror(errno));
        failures++;
    }
    printf("vcm-user: %sown buffer: %u blocks, reserved at %#llx, backed, "
           "filled by DMA, %u of %u words wrong through mmap\n",
           bad ? "FAIL " : "", pa.nblocks, (unsigned long long)rv.dev_addr,
           bad, (unsigned int)(len / 4));
    failures += bad != 0;

    /* handles that were freed */
    result(ioctl(fd, VCM_IOC_BACK, &bk) < 0 && errno == ENOENT,
           "hostile %s: errno %ld", "back with freed handles", errno);
    result(ioctl(fd, VCM_IOC_UNRESERVE, &rv.handle) < 0 && errno == ENOENT,
           "hostile %s: errno %ld", "unreserve of a freed handle", errno);
    result(ioctl(fd, VCM_IOC_PHYS_FREE, &pa.handle) < 0 && errno == ENOENT,
           "hostile %s: errno %ld", "free of a freed handle", errno);
}

static int expect_errno(int fd, unsigned long cmd, void *arg, int want,
                        const char *what)
{
    int ret = ioctl(fd, cmd, arg);
    int ok = ret < 0 && errno == want;

    result(ok, "hostile %s: errno %ld", what, ret < 0 ? errno : 0);
    return ok;
}

static void hostile(int fd)
{
    struct vcm_ioc_reserve rv;
    struct vcm_ioc_phys_alloc pa;
    struct vcm_ioc_transfer tr;
    struct vcm_ioc_dev_addr da = { .handle = 0 };
    uint32_t h = 0;
    void *p;

    rv = (struct vcm_ioc_reserve){ .len = 0, .attr = VCM_READ };
    expect_errno(fd, VCM_IOC_RESERVE, &rv, EINVAL, "zero-length reserve");
    rv = (struct vcm_ioc_reserve){ .len = 1ULL << 63, .attr = VCM_READ };
    expect_errno(fd, VCM_IOC_RESERVE, &rv, EINVAL, "2^63-byte reserve");
    rv = (struct vcm_ioc_reserve){ .len = 0xffffffffu, .attr = VCM_READ };
    expect_errno(fd, VCM_IOC_RESERVE, &rv, EINVAL,
                 "reserve that wraps when rounded to a page");
    rv = (struct vcm_ioc_reserve){ .len = 0x40000000u, .attr = VCM_READ };
    expect_errno(fd, VCM_IOC_RESERVE, &rv, EINVAL,
                 "reserve larger than the VCM");
    rv = (struct vcm_ioc_reserve){ .len = 4096, .attr = 1u << 20 };
    expect_errno(fd, VCM_IOC_RESERVE, &rv, EINVAL, "unknown reserve attr");
    pa = (struct vcm_ioc_phys_alloc){ .len = 0 };
    expect_errno(fd, VCM_IOC_PHYS_ALLOC, &pa, EINVAL, "zero-length alloc");
    pa = (struct vcm_ioc_phys_alloc){ .len = 0xfffff001u };
    expect_errno(fd, VCM_IOC_PHYS_ALLOC, &pa, EINVAL,
                 "alloc that wraps when rounded to a page");
    pa = (struct vcm_ioc_phys_alloc){ .len = 0x80000000u };
    expect_errno(fd, VCM_IOC_PHYS_ALLOC, &pa, ENOMEM,
                 "alloc of 2 GiB");
    pa = (struct vcm_ioc_phys_alloc){ .len = 4096, .attr = 1u << 30 };
    expect_errno(fd, VCM_IOC_PHYS_ALLOC, &pa, EINVAL, "unknown alloc attr");
    pa = (struct vcm_ioc_phys_alloc){ .len = 4096, .memtype = 9 };
    expect_errno(fd, VCM_IOC_PHYS_ALLOC, &pa, EINVAL, "unknown memtype");
    expect_errno(fd, VCM_IOC_UNBACK, &h, ENOENT, "unback of handle 0");
    h = 0x7fffffff;
    expect_errno(fd, VCM_IOC_PHYS_FREE, &h, ENOENT, "free of a handle "
                 "never given");
    expect_errno(fd, VCM_IOC_DEV_ADDR, &da, ENOENT, "dev_addr of handle 0");
    tr = (struct vcm_ioc_transfer){ .dst = 0x1000, .len = 4096,
                                    .op = VCM_TRANSFER_FILL };
    expect_errno(fd, VCM_IOC_TRANSFER, &tr, EFAULT,
                 "DMA outside every backed reservation");
    tr = (struct vcm_ioc_transfer){ .dst = 0xfffff000u, .len = 0x2000,
                                    .op = VCM_TRANSFER_FILL };
    expect_errno(fd, VCM_IOC_TRANSFER, &tr, EFAULT, "wrapping DMA");
    tr = (struct vcm_ioc_transfer){ .dst = VAT_GRAPH_ADDR, .len = 0,
                                    .op = VCM_TRANSFER_FILL };
    expect_errno(fd, VCM_IOC_TRANSFER, &tr, EINVAL, "zero-length DMA");
    tr = (struct vcm_ioc_transfer){ .dst = VAT_GRAPH_ADDR, .len = 4,
                                    .op = 7 };
    expect_errno(fd, VCM_IOC_TRANSFER, &tr, EINVAL, "unknown DMA op");
    tr = (struct vcm_ioc_transfer){ .dst = VAT_GRAPH_ADDR,
                                    .len = VAT_GRAPH_SIZE + 4,
                                    .op = VCM_TRANSFER_FILL };
    expect_errno(fd, VCM_IOC_TRANSFER, &tr, EFAULT,
                 "DMA past the end of a reservation");
    expect_errno(fd, _IOW('v', 0x7f, uint32_t), &h, ENOTTY,
                 "unknown ioctl");

    p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x0f000000);
    result(p == MAP_FAILED && errno == ENXIO, "hostile %s: errno %ld",
           "mmap where nothing is reserved", p == MAP_FAILED ? errno : 0);
    p = mmap(NULL, VAT_GRAPH_SIZE + 4096, PROT_READ, MAP_SHARED, fd,
             VAT_GRAPH_ADDR);
    result(p == MAP_FAILED && errno == EINVAL, "hostile %s: errno %ld",
           "mmap larger than the physmem", p == MAP_FAILED ? errno : 0);
}

int main(void)
{
    int fd = open(DEV, O_RDWR | O_CLOEXEC);

    if (fd < 0 && errno == ENOENT) {
        printf("vcm-user: no %s, skipped\n", DEV);
        return 0;
    }
    if (fd < 0) {
        printf("vcm-user: FAIL open %s: %s\n", DEV, strerror(errno));
        return 1;
    }
    check_graph_mmap(fd);
    check_graph_text();
    own_buffer(fd);
    hostile(fd);
    close(fd);
    printf("vcm-user: %s (%d failures)\n",
           failures ? "FAILED" : "all passed", failures);
    return failures != 0;
}
