// SPDX-License-Identifier: GPL-2.0
/*
 * msm_fix_test: guest checks for the msm_iommu fixes (issue 11,
 * linux-patches/msm-iommu/) on the emulated smmu-vcm and vcm-dma.
 *
 * It binds to nothing; msm_fix_test.run=<case> on the kernel command line
 * picks one case, run at module load:
 *
 *   stall      unmodified kernels: a registered IOMMU fault handler and a
 *              DMA (vcm-dma registers, IOMMU API) into an unmapped IOVA.
 *              Mainline msm_iommu never calls the handler and never
 *              writes RESUME, so the transfer stays parked.
 *   retry      fixed kernel: a dmaengine memcpy (qemu-vcm-dma channel,
 *              DMA API through the SMMU) into an unmapped IOVA; the
 *              handler maps the page and returns 0, the transfer goes on.
 *   terminate  fixed kernel: the same, the handler returns an error; the
 *              transfer ends with vcm-dma's terminate code and the channel
 *              keeps working.
 *   two        fixed kernel: two vcm-dma masters on one SMMU, each in its
 *              own context bank with its own page tables, copying at the
 *              same time.
 *
 * Every result is one "msm-fix-test:" line the boot tests match.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dmaengine.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/version.h>
#include "vcm_dma_regs.h"

static char *run = "";
module_param(run, charp, 0444);
MODULE_PARM_DESC(run, "case to run: stall, retry, terminate or two");

/* IOVAs nobody maps: the ARM DMA API hands out IOVAs from 0 upwards */
#define FAULT_IOVA	0xf0000000UL
#define STALL_SRC_IOVA	0x20000000UL
#define STALL_DST_IOVA	0x30000000UL

#define pr_fix(fmt, ...)	pr_info("msm-fix-test: " fmt "\n", ##__VA_ARGS__)
#define pr_fail(fmt, ...)	pr_err("msm-fix-test: FAIL " fmt "\n", ##__VA_ARGS__)

struct fault_ctx {
	atomic_t calls;
	unsigned long iova;
	int flags;
	bool map;		/* map @pa at the faulting page and return 0 */
	phys_addr_t pa;
};

static int fix_map(struct iommu_domain *d, unsigned long iova, phys_addr_t pa,
		   size_t size, gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return iommu_map(d, iova, pa, size, IOMMU_READ | IOMMU_WRITE, gfp);
#else
	return iommu_map(d, iova, pa, size, IOMMU_READ | IOMMU_WRITE);
#endif
}

static int fix_fault_handler(struct iommu_domain *domain, struct device *dev,
			     unsigned long iova, int flags, void *token)
{
	struct fault_ctx *f = token;
	int ret;

	atomic_inc(&f->calls);
	f->iova = iova;
	f->flags = flags;
	if (!f->map) {
		dev_info(dev, "msm-fix-test: fault handler: iova %#lx %s, returning -EFAULT\n",
			 iova, flags & IOMMU_FAULT_WRITE ? "write" : "read");
		return -EFAULT;
	}
	ret = fix_map(domain, iova & PAGE_MASK, f->pa, PAGE_SIZE, GFP_ATOMIC);
	dev_info(dev, "msm-fix-test: fault handler: iova %#lx %s, mapped pa %pa: %d, returning %d\n",
		 iova, flags & IOMMU_FAULT_WRITE ? "write" : "read", &f->pa,
		 ret, ret);
	return ret;
}

/* The n-th "qemu,vcm-dma" device of the device tree */
static struct device *vcm_dma_device(int n)
{
	struct device_node *np = NULL;
	struct platform_device *pdev;

	while ((np = of_find_compatible_node(np, NULL, "qemu,vcm-dma"))) {
		if (n-- == 0)
			break;
	}
	if (!np)
		return NULL;
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	return pdev ? &pdev->dev : NULL;
}

static int fix_bind_probe(struct platform_device *pdev)
{
	return 0;
}

static const struct of_device_id fix_bind_match[] = {
	{ .compatible = "qemu,vcm-dma" },
	{ }
};

/*
 * A device joins its IOMMU group when a driver probes it. If vcm_test has
 * not bound the vcm-dma devices (yet), this placeholder driver does.
 */
static struct platform_driver fix_bind_driver = {
	.probe = fix_bind_probe,
	.driver = {
		.name = "msm-fix-test",
		.of_match_table = fix_bind_match,
	},
};

/*
 * stall (unmodified msm_iommu): register a fault handler on a domain of
 * our own and let vcm-dma copy into an unmapped IOVA. The context stalls
 * (ACTLR.CFCFG=1), the engine parks; a driver that reports faults calls
 * the handler, one that resumes lets the engine go on or end.
 */
static int case_stall(void)
{
	struct device *dev = vcm_dma_device(0);
	struct fault_ctx f = { .map = false };
	struct iommu_domain *domain = NULL;
	struct page *src = NULL;
	void __iomem *regs = NULL;
	bool bound = false;
	u32 st;
	int ret;

	if (!dev) {
		pr_fail("stall: no vcm-dma device");
		return -ENODEV;
	}
	if (!dev->driver)
		bound = !platform_driver_register(&fix_bind_driver);
	if (!dev->iommu_group) {
		pr_fail("stall: %s is in no IOMMU group", dev_name(dev));
		ret = -ENODEV;
		goto out;
	}
	src = alloc_page(GFP_KERNEL | __GFP_ZERO);
	regs = of_iomap(dev->of_node, 0);
	domain = iommu_domain_alloc(&platform_bus_type);
	if (!src || !regs || !domain) {
		pr_fail("stall: no memory");
		ret = -ENOMEM;
		goto out;
	}
	ret = iommu_attach_device(domain, dev);
	if (ret) {
		pr_fail("stall: attach %d", ret);
		goto out;
	}
	iommu_set_fault_handler(domain, fix_fault_handler, &f);
	ret = fix_map(domain, STALL_SRC_IOVA, page_to_phys(src), PAGE_SIZE,
		      GFP_KERNEL);
	if (ret) {
		pr_fail("stall: map %d", ret);
		goto detach;
	}

	writel(VDMA_ST_DONE | VDMA_ST_ERROR, regs + VDMA_STATUS);
	writel(lower_32_bits(STALL_SRC_IOVA), regs + VDMA_SRC_LO);
	writel(0, regs + VDMA_SRC_HI);
	writel(lower_32_bits(STALL_DST_IOVA), regs + VDMA_DST_LO);
	writel(0, regs + VDMA_DST_HI);
	writel(PAGE_SIZE, regs + VDMA_LEN);
	writel(VDMA_CTRL_GO, regs + VDMA_CTRL);
	msleep(200);		/* the SMMU's threaded fault handler has run */
	st = readl(regs + VDMA_STATUS);
	pr_fix("stall: copy to unmapped iova %#lx: vcm-dma STATUS %#x%s after 200 ms, fault handler called %d times",
	       STALL_DST_IOVA, st, st & VDMA_ST_STALLED ? " (STALLED)" : "",
	       atomic_read(&f.calls));
	if (!atomic_read(&f.calls) && (st & VDMA_ST_STALLED))
		pr_fix("stall: the registered fault handler was never called and nothing resumed the stalled transfer");
	writel(VDMA_CTRL_ABORT, regs + VDMA_CTRL);
	pr_fix("stall: after ABORT: STATUS %#x", readl(regs + VDMA_STATUS));
	writel(VDMA_ST_DONE | VDMA_ST_ERROR, regs + VDMA_STATUS);
	iommu_unmap(domain, STALL_SRC_IOVA, PAGE_SIZE);
detach:
	iommu_detach_device(domain, dev);
out:
	if (domain)
		iommu_domain_free(domain);
	if (regs)
		iounmap(regs);
	if (src)
		__free_page(src);
	if (bound)
		platform_driver_unregister(&fix_bind_driver);
	put_device(dev);
	return ret;
}

static bool filter_dev(struct dma_chan *chan, void *param)
{
	return chan->device->dev == param;
}

static struct dma_chan *vcm_dma_chan(int n)
{
	struct device *dev = vcm_dma_device(n);
	struct dma_chan *chan = NULL;
	dma_cap_mask_t mask;

	if (!dev)
		return NULL;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, filter_dev, dev);
	put_device(dev);
	return chan;
}

struct xfer {
	struct completion done;
	struct dmaengine_result res;
};

static void xfer_done(void *param, const struct dmaengine_result *res)
{
	struct xfer *x = param;

	x->res = *res;
	complete(&x->done);
}

static int xfer_submit(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		       size_t len, struct xfer *x)
{
	struct dma_async_tx_descriptor *tx;

	init_completion(&x->done);
	tx = dmaengine_prep_dma_memcpy(chan, dst, src, len,
				       DMA_PREP_INTERRUPT);
	if (!tx)
		return -EIO;
	tx->callback_result = xfer_done;
	tx->callback_param = x;
	return dma_submit_error(dmaengine_submit(tx)) ? -EIO : 0;
}

static int xfer_wait(struct xfer *x)
{
	return wait_for_completion_timeout(&x->done, 10 * HZ) ? 0 : -ETIMEDOUT;
}

/*
 * retry / terminate (fixed msm_iommu): a memcpy through the DMA API into
 * FAULT_IOVA, which nothing maps. The context stalls, the engine parks,
 * msm_iommu reports the fault to our handler and writes RESUME with its
 * answer.
 */
static int case_fault(bool retry)
{
	const char *name = retry ? "retry" : "terminate";
	struct fault_ctx f = { .map = retry };
	struct iommu_domain *domain;
	struct dma_chan *chan;
	struct device *dev;
	dma_addr_t src_dma, dst_dma;
	u8 *src, *dst;
	struct xfer x;
	phys_addr_t src_pa;
	int ret, i;

	chan = vcm_dma_chan(0);
	if (!chan) {
		pr_fail("%s: no vcm-dma dmaengine channel", name);
		return -ENODEV;
	}
	dev = chan->device->dev;
	domain = iommu_get_domain_for_dev(dev);
	src = dma_alloc_coherent(dev, PAGE_SIZE, &src_dma, GFP_KERNEL);
	dst = dma_alloc_coherent(dev, PAGE_SIZE, &dst_dma, GFP_KERNEL);
	if (!domain || !src || !dst) {
		pr_fail("%s: domain %p, buffers %p %p", name, domain, src, dst);
		ret = -ENOMEM;
		goto out;
	}
	src_pa = iommu_iova_to_phys(domain, src_dma);
	f.pa = iommu_iova_to_phys(domain, dst_dma);
	for (i = 0; i < PAGE_SIZE; i++)
		src[i] = i * 13 + 5;
	memset(dst, 0, PAGE_SIZE);
	iommu_set_fault_handler(domain, fix_fault_handler, &f);
	pr_fix("%s: %s: src iova %pad (pa %pa), dst iova %#lx unmapped (page pa %pa)",
	       name, dma_chan_name(chan), &src_dma, &src_pa, FAULT_IOVA, &f.pa);

	ret = xfer_submit(chan, FAULT_IOVA, src_dma, PAGE_SIZE, &x);
	if (!ret) {
		dma_async_issue_pending(chan);
		ret = xfer_wait(&x);
	}
	if (ret) {
		pr_fail("%s: transfer did not end: %d", name, ret);
		dmaengine_terminate_sync(chan);
		goto unhook;
	}
	pr_fix("%s: fault handler called %d times (iova %#lx, %s); transfer result %d residue %u",
	       name, atomic_read(&f.calls), f.iova,
	       f.flags & IOMMU_FAULT_WRITE ? "write" : "read", x.res.result,
	       x.res.residue);

	if (retry) {
		if (atomic_read(&f.calls) == 1 &&
		    x.res.result == DMA_TRANS_NOERROR && !x.res.residue &&
		    !memcmp(dst, src, PAGE_SIZE))
			pr_fix("retry: the handler mapped the page and returned 0; the transfer completed (DONE) and the data is right");
		else
			pr_fail("retry: calls %d result %d data %s",
				atomic_read(&f.calls), x.res.result,
				memcmp(dst, src, PAGE_SIZE) ? "wrong" : "ok");
		iommu_unmap(domain, FAULT_IOVA, PAGE_SIZE);
	} else {
		if (atomic_read(&f.calls) == 1 &&
		    x.res.result == DMA_TRANS_WRITE_FAILED)
			pr_fix("terminate: the handler returned an error; the transfer was terminated");
		else
			pr_fail("terminate: calls %d result %d",
				atomic_read(&f.calls), x.res.result);
		/* The guest and the channel go on */
		memset(dst, 0, PAGE_SIZE);
		ret = xfer_submit(chan, dst_dma, src_dma, PAGE_SIZE, &x);
		if (!ret) {
			dma_async_issue_pending(chan);
			ret = xfer_wait(&x);
		}
		if (!ret && x.res.result == DMA_TRANS_NOERROR &&
		    !memcmp(dst, src, PAGE_SIZE))
			pr_fix("terminate: the next copy on %s is ok",
			       dma_chan_name(chan));
		else
			pr_fail("terminate: next copy %d result %d", ret,
				x.res.result);
	}
unhook:
	iommu_set_fault_handler(domain, NULL, NULL);
out:
	if (dst)
		dma_free_coherent(dev, PAGE_SIZE, dst, dst_dma);
	if (src)
		dma_free_coherent(dev, PAGE_SIZE, src, src_dma);
	dma_release_channel(chan);
	return ret;
}

/* The context bank and TTBR0 the SMMU routes @dev's master ID to */
static void describe_master(struct device *dev, u32 *mid, u32 *cb, u32 *ttbr0)
{
	struct of_phandle_args smmu;
	void __iomem *base;

	*mid = *cb = *ttbr0 = ~0u;
	if (of_parse_phandle_with_args(dev->of_node, "iommus", "#iommu-cells",
				       0, &smmu))
		return;
	*mid = smmu.args[0];
	base = of_iomap(smmu.np, 0);
	of_node_put(smmu.np);
	if (!base)
		return;
	*cb = (readl(base + 0xff000 + 4 * *mid) >> 8) & 0xff;
	*ttbr0 = readl(base + (*cb << 12) + 0x010);
	iounmap(base);
}

#define TWO_LEN		SZ_64K
#define TWO_ROUNDS	8

/*
 * two (fixed msm_iommu): two vcm-dma masters on one SMMU, each attached to
 * its own DMA-API domain, get their own context banks; copies on both
 * channels are queued together, round after round over the same mappings
 * (the shared TLB serves both contexts), and every byte is checked.
 *
 * The buffers are streaming mappings of kmalloc memory: QEMU's virt marks
 * its devices dma-coherent, and for coherent devices ARM's
 * dma_alloc_coherent() through an IOMMU maps only the first page of a
 * larger buffer right (__iommu_alloc_simple() passes one page as the page
 * array of the whole size).
 */
static int case_two(void)
{
	struct dma_chan *chan[2] = { };
	struct xfer x[2][TWO_ROUNDS];
	dma_addr_t src_dma[2], dst_dma[2];
	u8 *src[2] = { }, *dst[2] = { };
	bool mapped[2] = { };
	u32 mid[2], cb[2], ttbr0[2];
	int i, r, ret = 0, bad = 0;

	chan[0] = vcm_dma_chan(0);
	chan[1] = vcm_dma_chan(1);
	if (!chan[0] || !chan[1]) {
		pr_fail("two: channels %p %p", chan[0], chan[1]);
		ret = -ENODEV;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		struct device *dev = chan[i]->device->dev;
		phys_addr_t pa;

		describe_master(dev, &mid[i], &cb[i], &ttbr0[i]);
		src[i] = kmalloc(TWO_LEN, GFP_KERNEL);
		dst[i] = kzalloc(TWO_LEN, GFP_KERNEL);
		if (!src[i] || !dst[i]) {
			ret = -ENOMEM;
			goto out;
		}
		memset(src[i], 0x11 * (i + 1), TWO_LEN);
		src[i][i] = 0x5a;
		src_dma[i] = dma_map_single(dev, src[i], TWO_LEN, DMA_TO_DEVICE);
		dst_dma[i] = dma_map_single(dev, dst[i], TWO_LEN,
					    DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, src_dma[i]) ||
		    dma_mapping_error(dev, dst_dma[i])) {
			ret = -ENOMEM;
			goto out;
		}
		mapped[i] = true;
		pa = virt_to_phys(src[i]);
		pr_fix("two: %s (%s): mid %u -> context bank %u, TTBR0 %#x; src iova %pad pa %pa",
		       dev_name(dev), dma_chan_name(chan[i]), mid[i], cb[i],
		       ttbr0[i], &src_dma[i], &pa);
	}
	if (cb[0] == cb[1] || ttbr0[0] == ttbr0[1])
		pr_fail("two: both masters share context bank %u / TTBR0 %#x",
			cb[0], ttbr0[0]);

	for (r = 0; r < TWO_ROUNDS && !ret; r++)
		for (i = 0; i < 2 && !ret; i++)
			ret = xfer_submit(chan[i], dst_dma[i], src_dma[i],
					  TWO_LEN, &x[i][r]);
	dma_async_issue_pending(chan[0]);
	dma_async_issue_pending(chan[1]);
	for (r = 0; r < TWO_ROUNDS && !ret; r++)
		for (i = 0; i < 2; i++)
			if (xfer_wait(&x[i][r]) ||
			    x[i][r].res.result != DMA_TRANS_NOERROR)
				bad++;
	for (i = 0; i < 2 && !ret; i++) {
		struct device *dev = chan[i]->device->dev;

		dma_unmap_single(dev, dst_dma[i], TWO_LEN, DMA_FROM_DEVICE);
		dma_unmap_single(dev, src_dma[i], TWO_LEN, DMA_TO_DEVICE);
		mapped[i] = false;
		if (memcmp(dst[i], src[i], TWO_LEN))
			bad++;
	}
	if (ret || bad)
		pr_fail("two: submit %d, %d bad transfers or buffers", ret, bad);
	else
		pr_fix("two: %d copies of %u KiB queued on both channels at once through context banks %u and %u: data ok",
		       2 * TWO_ROUNDS, TWO_LEN / SZ_1K, cb[0], cb[1]);
out:
	for (i = 0; i < 2; i++) {
		if (!chan[i])
			continue;
		if (mapped[i]) {
			dmaengine_terminate_sync(chan[i]);
			dma_unmap_single(chan[i]->device->dev, dst_dma[i],
					 TWO_LEN, DMA_FROM_DEVICE);
			dma_unmap_single(chan[i]->device->dev, src_dma[i],
					 TWO_LEN, DMA_TO_DEVICE);
		}
		kfree(dst[i]);
		kfree(src[i]);
		dma_release_channel(chan[i]);
	}
	return ret;
}

static int __init msm_fix_test_init(void)
{
	int ret;

	if (!strcmp(run, "stall"))
		ret = case_stall();
	else if (!strcmp(run, "retry"))
		ret = case_fault(true);
	else if (!strcmp(run, "terminate"))
		ret = case_fault(false);
	else if (!strcmp(run, "two"))
		ret = case_two();
	else
		return 0;
	pr_fix("%s: done (%d)", run, ret);
	return 0;
}
module_init(msm_fix_test_init);

static void __exit msm_fix_test_exit(void)
{
}
module_exit(msm_fix_test_exit);

MODULE_DESCRIPTION("Guest checks for the msm_iommu fixes on smmu-vcm");
MODULE_LICENSE("GPL");
