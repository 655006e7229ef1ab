/*
 * dmabuf-check: the CPU side of the vcm_test dma-buf test. Gets the
 * module's dma-buf through /dev/vcm_test, mmaps it and checks, between
 * DMA_BUF_SYNC_START and _END, every byte device A wrote there; then
 * writes a second pattern and has the module check it through device B's
 * IOMMU mapping (VCM_TEST_IOC_CHECK). One "dmabuf-check: " line; exit 0
 * when all is well or there is no /dev/vcm_test (fewer than two vcm-dma
 * devices), 1 on any failure.
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
#include <unistd.h>
#include <linux/dma-buf.h>

#include "../vcm-test/vcm_test_uapi.h"

#define DEV "/dev/" VCM_TEST_DEVNAME

static int sync_buf(int fd, uint64_t flags)
{
    struct dma_buf_sync s = { .flags = flags };
    int ret;

    do {
        ret = ioctl(fd, DMA_BUF_IOCTL_SYNC, &s);
    } while (ret < 0 && (errno == EINTR || errno == EAGAIN));
    return ret;
}

int main(void)
{
    struct vcm_test_dmabuf db;
    uint32_t seed = VCM_TEST_SEED_USER;
    unsigned char *p;
    size_t bad = 0, first = 0;
    int dev, fd;

    dev = open(DEV, O_RDWR | O_CLOEXEC);
    if (dev < 0 && errno == ENOENT) {
        printf("dmabuf-check: no %s, skipped\n", DEV);
        return 0;
    }
    if (dev < 0) {
        printf("dmabuf-check: FAIL open %s: %s\n", DEV, strerror(errno));
        return 1;
    }
    if (ioctl(dev, VCM_TEST_IOC_GET_DMABUF, &db) < 0) {
        printf("dmabuf-check: FAIL VCM_TEST_IOC_GET_DMABUF: %s\n",
               strerror(errno));
        return 1;
    }
    fd = db.fd;
    if (db.size != VCM_TEST_DMABUF_SIZE) {
        printf("dmabuf-check: FAIL dma-buf size %u, want %u\n", db.size,
               VCM_TEST_DMABUF_SIZE);
        return 1;
    }
    p = mmap(NULL, db.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        printf("dmabuf-check: FAIL mmap: %s\n", strerror(errno));
        return 1;
    }

    /* what device A wrote */
    if (sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ) < 0) {
        printf("dmabuf-check: FAIL SYNC_START: %s\n", strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < db.size; i++) {
        if (p[i] != vcm_test_pattern(i, VCM_TEST_SEED_DEVICE) && !bad++) {
            first = i;
        }
    }
    if (sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ) < 0) {
        printf("dmabuf-check: FAIL SYNC_END: %s\n", strerror(errno));
        return 1;
    }
    if (bad) {
        printf("dmabuf-check: FAIL %zu of %u bytes differ from device A's "
               "pattern, first at %#zx: %#04x, want %#04x\n", bad, db.size,
               first, p[first],
               vcm_test_pattern(first, VCM_TEST_SEED_DEVICE));
        return 1;
    }

    /* a CPU write through the mapping, read back by device B */
    if (sync_buf(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE) < 0) {
        printf("dmabuf-check: FAIL SYNC_START write: %s\n", strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < db.size; i++) {
        p[i] = vcm_test_pattern(i, seed);
    }
    if (sync_buf(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE) < 0) {
        printf("dmabuf-check: FAIL SYNC_END write: %s\n", strerror(errno));
        return 1;
    }
    if (ioctl(dev, VCM_TEST_IOC_CHECK, &seed) < 0) {
        printf("dmabuf-check: FAIL device B read of the CPU's write: %s\n",
               strerror(errno));
        return 1;
    }

    munmap(p, db.size);
    close(fd);
    close(dev);
    printf("dmabuf-check: %u bytes ok (device A's write read by the CPU, "
           "the CPU's write read by device B)\n", db.size);
    return 0;
}
