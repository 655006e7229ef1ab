/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcm_test internals shared by its objects: the vcm-dma registers, a
 * register-level DMA helper, iommu_map across kernel versions, and the
 * hooks of the dma-buf test (vcm_dmabuf.c).
 */
#ifndef VCM_TEST_H
#define VCM_TEST_H

#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/version.h>

/* vcm-dma registers (docs/specs/vcm-dma.rst) */
#define VDMA_ID		0x00
#define VDMA_CTRL	0x08
#define VDMA_STATUS	0x0c
#define VDMA_SRC_LO	0x10
#define VDMA_SRC_HI	0x14
#define VDMA_DST_LO	0x18
#define VDMA_DST_HI	0x1c
#define VDMA_LEN	0x20
#define VDMA_PATTERN	0x24
#define VDMA_FAULT_ADDR	0x2c
#define VDMA_CTRL_GO	BIT(0)
#define VDMA_CTRL_ABORT	BIT(1)
#define VDMA_CTRL_FILL	BIT(4)
#define VDMA_ST_DONE	BIT(1)
#define VDMA_ST_ERROR	BIT(2)
#define VDMA_ST_STALLED	BIT(3)
#define VDMA_ERR(st)	(((st) >> 8) & 0xf)

static inline int vcm_map(struct iommu_domain *d, unsigned long iova,
			  phys_addr_t pa, size_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return iommu_map(d, iova, pa, size, IOMMU_READ | IOMMU_WRITE,
			 GFP_KERNEL);
#else
	return iommu_map(d, iova, pa, size, IOMMU_READ | IOMMU_WRITE);
#endif
}

/* One transfer; it runs inside the GO write, so STATUS is final after it. */
static inline u32 vcm_dma_regs_op(void __iomem *regs, u32 op, u64 src,
				  u64 dst, u32 len)
{
	writel(VDMA_ST_DONE | VDMA_ST_ERROR, regs + VDMA_STATUS);
	writel(lower_32_bits(src), regs + VDMA_SRC_LO);
	writel(upper_32_bits(src), regs + VDMA_SRC_HI);
	writel(lower_32_bits(dst), regs + VDMA_DST_LO);
	writel(upper_32_bits(dst), regs + VDMA_DST_HI);
	writel(len, regs + VDMA_LEN);
	writel(op | VDMA_CTRL_GO, regs + VDMA_CTRL);
	return readl(regs + VDMA_STATUS);
}

/* vcm_dmabuf.c */
void vcm_dmabuf_add_master(struct device *dev, void __iomem *regs);
void vcm_dmabuf_run(void);
void vcm_dmabuf_exit(void);

#endif
