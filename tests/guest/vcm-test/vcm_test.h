/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vcm_test internals shared by its objects: a register-level vcm-dma
 * helper, iommu_map across kernel versions, and the hooks of the dma-buf
 * test (vcm_dmabuf.c).
 */
#ifndef VCM_TEST_H
#define VCM_TEST_H

#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/version.h>
#include "vcm_dma_regs.h"

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

/* vcm_smp.c */
void vcm_smp_add_master(struct device *dev, void __iomem *regs);
void vcm_smp_soak_run(void);

/* vcm_dmabuf.c */
void vcm_dmabuf_add_master(struct device *dev, void __iomem *regs);
void vcm_dmabuf_run(void);
void vcm_dmabuf_exit(void);

#endif
