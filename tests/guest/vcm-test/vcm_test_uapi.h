/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The vcm_test module's user interface, shared by the module
 * (vcm_dmabuf.c) and tests/guest/userspace/dmabuf-check.c: the misc
 * device, its ioctls and the byte pattern of the shared dma-buf.
 */
#ifndef VCM_TEST_UAPI_H
#define VCM_TEST_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VCM_TEST_DEVNAME	"vcm_test"	/* /dev/vcm_test */
#define VCM_TEST_DMABUF_SIZE	(64 * 4096)

/* Pattern seeds: what device A writes, what the userspace check writes */
#define VCM_TEST_SEED_DEVICE	0x0a11ce00u
#define VCM_TEST_SEED_USER	0x0b0b0b0bu

struct vcm_test_dmabuf {
	__s32 fd;	/* out: a dma-buf fd (O_RDWR, O_CLOEXEC) */
	__u32 size;	/* out: its size in bytes */
};

/* A new fd for the module's dma-buf */
#define VCM_TEST_IOC_GET_DMABUF	_IOR('V', 0x40, struct vcm_test_dmabuf)
/*
 * Device B copies the whole dma-buf (through its own IOVA) into a buffer
 * of its own and the module checks every byte against the pattern of
 * this seed: 0 when it matches, -EIO when it does not.
 */
#define VCM_TEST_IOC_CHECK	_IOW('V', 0x41, __u32)

/*
 * Byte @off of the buffer for pattern @seed: depends on the page, the
 * word and the byte, so a misplaced page, word or byte shows.
 */
static inline __u8 vcm_test_pattern(__u32 off, __u32 seed)
{
	__u32 x = off * 0x9e3779b1u ^ seed ^ (off >> 12) * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (__u8)(x ^ x >> 24);
}

#endif
