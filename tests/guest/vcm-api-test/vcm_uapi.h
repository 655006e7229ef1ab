/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * A copy of include/uapi/linux/vcm.h of linux-patches/vcm/ for the static
 * test programs, which are built against the toolchain's headers, not the
 * kernel's. The ioctl numbers encode the structure sizes, so a copy that
 * drifts fails /tests/vcm-user with ENOTTY.
 */
#ifndef _UAPI_LINUX_VCM_H
#define _UAPI_LINUX_VCM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Reservation (mapping) attributes: vcm_reserve() */
#define VCM_READ		(1U << 0)
#define VCM_WRITE		(1U << 1)
#define VCM_EXECUTE		(1U << 2)
#define VCM_USER		(1U << 3)
#define VCM_SUPERVISOR		(1U << 4)
#define VCM_SECURE		(1U << 5)
/* Cache policy: at most one of these; none means VCM_WB_WA */
#define VCM_NOTCACHED		(1U << 6)
#define VCM_WB_WA		(1U << 7)
#define VCM_WB_NWA		(1U << 8)
#define VCM_WT			(1U << 9)
#define VCM_CACHE_MASK		(VCM_NOTCACHED | VCM_WB_WA | VCM_WB_NWA | \
				 VCM_WT)
#define VCM_RES_ATTR_MASK	((1U << 10) - 1)

/* Association attributes: vcm_assoc() */
#define VCM_USE_LOW		(1U << 0)
#define VCM_USE_HIGH		(1U << 1)
#define VCM_SPLIT		(1U << 2)
#define VCM_ASSOC_ATTR_MASK	(VCM_USE_LOW | VCM_USE_HIGH | VCM_SPLIT)

/* Physical allocation attributes: vcm_phys_alloc() */
#define VCM_PHYS_CONTIGUOUS	(1U << 0)
/* Block sizes the allocation may use; none of them means all four */
#define VCM_PHYS_4K		(1U << 1)
#define VCM_PHYS_64K		(1U << 2)
#define VCM_PHYS_1M		(1U << 3)
#define VCM_PHYS_16M		(1U << 4)
#define VCM_PHYS_SIZES		(VCM_PHYS_4K | VCM_PHYS_64K | VCM_PHYS_1M | \
				 VCM_PHYS_16M)
/* log2 of the alignment of the first byte (0: natural to its block) */
#define VCM_PHYS_ALIGN_SHIFT	8
#define VCM_PHYS_ALIGN_MASK	(0x1fU << VCM_PHYS_ALIGN_SHIFT)
#define VCM_PHYS_ALIGN(order)	((__u32)(order) << VCM_PHYS_ALIGN_SHIFT)
#define VCM_PHYS_ATTR_MASK	(VCM_PHYS_CONTIGUOUS | VCM_PHYS_SIZES | \
				 VCM_PHYS_ALIGN_MASK)

/* Memory targets */
#define VCM_MEMTYPE_DEFAULT	0	/* block pools, contiguous pool */

/*
 * /dev/vcm/<device>: every ioctl works on the VCM that is active on the
 * device. Objects a file creates are named by handles (> 0) that are
 * only valid in that file; closing it unbacks, unreserves and frees
 * them.
 */
struct vcm_ioc_reserve {
	__u64 len;		/* in */
	__u32 attr;		/* in: VCM_READ ... VCM_WT */
	__u32 handle;		/* out */
	__u64 dev_addr;		/* out */
};

struct vcm_ioc_phys_alloc {
	__u64 len;		/* in */
	__u32 attr;		/* in: VCM_PHYS_* */
	__u32 memtype;		/* in: VCM_MEMTYPE_DEFAULT */
	__u32 handle;		/* out */
	__u32 nblocks;		/* out: blocks of the allocation */
};

struct vcm_ioc_back {
	__u32 res;		/* in: reservation handle */
	__u32 physmem;		/* in: physical allocation handle */
};

struct vcm_ioc_dev_addr {
	__u32 handle;		/* in: reservation handle */
	__u32 attr;		/* out */
	__u64 dev_addr;		/* out */
	__u64 len;		/* out */
};

/* A transfer on the device, for tests; both ranges must be backed. */
struct vcm_ioc_transfer {
	__u64 src;		/* device address (ignored for a fill) */
	__u64 dst;		/* device address */
	__u64 len;
	__u32 op;		/* VCM_TRANSFER_COPY or _FILL */
	__u32 pattern;		/* 32-bit fill pattern */
};
#define VCM_TRANSFER_COPY	0
#define VCM_TRANSFER_FILL	1

#define VCM_IOC_RESERVE		_IOWR('v', 0x00, struct vcm_ioc_reserve)
#define VCM_IOC_UNRESERVE	_IOW('v', 0x01, __u32)
#define VCM_IOC_PHYS_ALLOC	_IOWR('v', 0x02, struct vcm_ioc_phys_alloc)
#define VCM_IOC_PHYS_FREE	_IOW('v', 0x03, __u32)
#define VCM_IOC_BACK		_IOW('v', 0x04, struct vcm_ioc_back)
#define VCM_IOC_UNBACK		_IOW('v', 0x05, __u32)
#define VCM_IOC_DEV_ADDR	_IOWR('v', 0x06, struct vcm_ioc_dev_addr)
#define VCM_IOC_TRANSFER	_IOW('v', 0x07, struct vcm_ioc_transfer)

/*
 * mmap(2) of /dev/vcm/<device> at offset dev_addr maps the backed
 * reservation that starts there, with the cache policy of its physical
 * memory.
 */

#endif /* _UAPI_LINUX_VCM_H */
