// SPDX-License-Identifier: GPL-2.0
/*
 * vcm_test: guest test driver for the emulated vcm-dma master behind an
 * smmu-vcm IOMMU, driven only through the kernel's IOMMU API, the way
 * VCM-style code does: reserve an IOVA window, back it with physically
 * discontiguous 4K, 64K, 1M and 16M blocks, check the translations the
 * hardware reports (iommu_iova_to_phys uses the SMMU's V2P registers),
 * move data with the DMA engine, unmap and watch a DMA fault, detach.
 *
 * Every result is one "vcm-test:" line the boot tests match. Then
 * vcm_smp.c runs the soak on several CPUs (smp_threads=N) and, with two
 * vcm-dma devices, vcm_dmabuf.c the dma-buf test.
 */

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/version.h>

#include "vcm_test.h"

/* The IOVA window, and where each block size lives in it */
#define IOVA_4K		0x10000000
#define IOVA_64K	0x10010000
#define IOVA_1M		0x10100000
#define IOVA_16M	0x11000000

static unsigned int soak_cycles;
module_param(soak_cycles, uint, 0444);
MODULE_PARM_DESC(soak_cycles, "map/DMA/verify/unmap cycles per device");

static bool stale_demo;
module_param(stale_demo, bool, 0444);
MODULE_PARM_DESC(stale_demo, "demo: change a PTE without TLB invalidation");

static bool disable;
module_param(disable, bool, 0444);
MODULE_PARM_DESC(disable, "leave the vcm-dma devices to another test");

static unsigned int park_ms;
module_param(park_ms, uint, 0444);
MODULE_PARM_DESC(park_ms, "park a copy on a stall this long, then resume it");

struct vcm_block {
	const char *name;
	unsigned long iova;
	size_t size;
	struct page *page;	/* NULL: borrowed kernel RAM, read only */
	phys_addr_t pa;
};

struct vcm_test {
	struct device *dev;
	void __iomem *regs;
	struct iommu_domain *domain;
	struct vcm_block blocks[4];
	int failures;
};

#define check(t, cond, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			(t)->failures++;				\
			dev_err((t)->dev, "vcm-test: FAIL " fmt "\n",	\
				##__VA_ARGS__);				\
		}							\
	} while (0)

static u32 vcm_dma_op(struct vcm_test *t, u32 op, u64 src, u64 dst,
		      u32 len)
{
	return vcm_dma_regs_op(t->regs, op, src, dst, len);
}

static u32 vcm_dma(struct vcm_test *t, u64 src, u64 dst, u32 len)
{
	return vcm_dma_op(t, 0, src, dst, len);
}

/* Back the window: discontiguous pages for 4K/64K/1M, RAM for 16M. */
static int vcm_back(struct vcm_test *t)
{
	static const struct { const char *name; unsigned long iova;
			      size_t size; } layout[] = {
		{ "4K", IOVA_4K, SZ_4K }, { "64K", IOVA_64K, SZ_64K },
		{ "1M", IOVA_1M, SZ_1M }, { "16M", IOVA_16M, SZ_16M },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(layout); i++) {
		struct vcm_block *b = &t->blocks[i];

		b->name = layout[i].name;
		b->iova = layout[i].iova;
		b->size = layout[i].size;
		if (b->size < SZ_16M) {
			b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO,
					      get_order(b->size));
			if (!b->page)
				return -ENOMEM;
			b->pa = page_to_phys(b->page);
		} else {
			/* 16M-aligned RAM the kernel owns: only read by DMA */
			b->pa = ALIGN(__pa(PAGE_OFFSET), SZ_16M);
		}
		ret = vcm_map(t->domain, b->iova, b->pa, b->size);
		dev_info(t->dev, "vcm-test: map %s iova %#lx -> pa %pa: %d\n",
			 b->name, b->iova, &b->pa, ret);
		if (ret)
			return ret;
	}
	return 0;
}

/* The SMMU's V2P at the first, a middle and the last byte of each block */
static void vcm_check_v2p(struct vcm_test *t)
{
	int i, j;

	for (i = 0; i < ARRAY_SIZE(t->blocks); i++) {
		struct vcm_block *b = &t->blocks[i];
		size_t offs[] = { 0, b->size / 2 + 0x123, b->size - 1 };

		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			phys_addr_t pa = iommu_iova_to_phys(t->domain,
							    b->iova + offs[j]);

			check(t, pa == b->pa + offs[j],
			      "iova_to_phys(%#lx) = %pa, want pa + %#zx",
			      b->iova + offs[j], &pa, offs[j]);
		}
		dev_info(t->dev, "vcm-test: v2p %s ok\n", b->name);
	}
}

/* DMA between IOVAs through each block size, checked by the CPU */
static void vcm_check_dma(struct vcm_test *t)
{
	u8 *p4k = page_address(t->blocks[0].page);
	u8 *p64k = page_address(t->blocks[1].page);
	u8 *p1m = page_address(t->blocks[2].page);
	const u8 *p16m = phys_to_virt(t->blocks[3].pa);
	u32 st;
	int i;

	for (i = 0; i < SZ_4K; i++)
		p4k[i] = i * 7 + 3;
	st = vcm_dma(t, IOVA_4K, IOVA_64K + SZ_32K, SZ_4K);
	check(t, st == VDMA_ST_DONE, "4K -> 64K status %#x", st);
	check(t, !memcmp(p64k + SZ_32K, p4k, SZ_4K), "4K -> 64K data");
	st = vcm_dma(t, IOVA_64K, IOVA_1M + SZ_512K, SZ_64K);
	check(t, st == VDMA_ST_DONE, "64K -> 1M status %#x", st);
	check(t, !memcmp(p1m + SZ_512K, p64k, SZ_64K), "64K -> 1M data");
	st = vcm_dma(t, IOVA_16M + SZ_1M, IOVA_1M, SZ_256K);
	check(t, st == VDMA_ST_DONE, "16M -> 1M status %#x", st);
	check(t, !memcmp(p1m, p16m + SZ_1M, SZ_256K), "16M -> 1M data");
	dev_info(t->dev, "vcm-test: dma through 4K/64K/1M/16M %s\n",
		 t->failures ? "FAILED" : "ok");
}

/*
 * Unmapped: V2P gives 0 and a DMA there faults. msm_iommu reports the
 * fault; the transfer stalls (CFCFG) and is aborted here.
 */
static void vcm_check_unmap_fault(struct vcm_test *t)
{
	size_t n = iommu_unmap(t->domain, IOVA_4K, SZ_4K);
	phys_addr_t pa = iommu_iova_to_phys(t->domain, IOVA_4K);
	u32 st;

	check(t, n == SZ_4K, "unmap returned %zu", n);
	check(t, pa == 0, "iova_to_phys after unmap = %pa", &pa);
	st = vcm_dma(t, IOVA_4K, IOVA_64K, SZ_4K);
	check(t, st & VDMA_ST_STALLED, "DMA from unmapped IOVA: status %#x",
	      st);
	dev_info(t->dev, "vcm-test: dma fault at %#x, status %#x\n",
		 readl(t->regs + VDMA_FAULT_ADDR), st);
	msleep(20);		/* let the fault handler print */
	writel(VDMA_CTRL_ABORT, t->regs + VDMA_CTRL);
	st = readl(t->regs + VDMA_STATUS);
	check(t, st == (VDMA_ST_ERROR | 5 << 8), "after ABORT: status %#x",
	      st);
	dev_info(t->dev, "vcm-test: unmap and fault %s\n",
		 t->failures ? "FAILED" : "ok");
}

/* Detached, the master's addresses are physical again (bypass) */
static void vcm_check_detach(struct vcm_test *t)
{
	struct vcm_block *b64k = &t->blocks[1], *b1m = &t->blocks[2];
	u32 st;

	iommu_detach_device(t->domain, t->dev);
	memset(page_address(b1m->page), 0, SZ_64K);
	st = vcm_dma(t, b64k->pa, b1m->pa, SZ_64K);
	check(t, st == VDMA_ST_DONE, "bypass DMA status %#x", st);
	check(t, !memcmp(page_address(b1m->page), page_address(b64k->page),
			 SZ_64K), "bypass DMA data");
	dev_info(t->dev, "vcm-test: detach and bypass %s\n",
		 t->failures ? "FAILED" : "ok");
}

/*
 * Soak: map one of the 4K/64K/1M blocks at a random IOVA with its natural
 * page size, fill it by DMA with a random pattern, verify with the CPU,
 * copy it by DMA to another random IOVA mapping of a second block,
 * verify, unmap both (the driver's TLBIVAs). Any stale translation puts
 * data in the wrong place and fails the check.
 */
static void vcm_soak(struct vcm_test *t)
{
	ktime_t start = ktime_get();
	unsigned int i, errors = 0;

	dev_info(t->dev, "vcm-test: soak %u cycles starting\n", soak_cycles);
	for (i = 0; i < soak_cycles && !errors; i++) {
		u32 r = get_random_u32();
		struct vcm_block *a = &t->blocks[r % 3];
		struct vcm_block *b = &t->blocks[(r % 3 + 1 + (r >> 2) % 2) % 3];
		size_t len = min(a->size, b->size);
		/* two disjoint windows, IOVAs aligned to the block */
		unsigned long ia = 0x20000000 + ((r >> 4) & 0xfff) * SZ_64K;
		unsigned long ib = 0x30000000 + ((r >> 17) & 0xfff) * SZ_64K;
		u32 pattern = get_random_u32(), st;
		u32 *pa = page_address(a->page), *pb = page_address(b->page);
		size_t w;

		ia = ALIGN_DOWN(ia, a->size);
		ib = ALIGN_DOWN(ib, b->size);
		if (vcm_map(t->domain, ia, a->pa, a->size) ||
		    vcm_map(t->domain, ib, b->pa, b->size)) {
			errors++;
			dev_err(t->dev, "vcm-test: FAIL soak cycle %u: map\n", i);
			break;
		}
		writel(pattern, t->regs + VDMA_PATTERN);
		st = vcm_dma_op(t, VDMA_CTRL_FILL, 0, ia, a->size);
		for (w = 0; w < a->size / 4 && st == VDMA_ST_DONE; w++)
			if (pa[w] != pattern)
				st = ~0u;
		if (st == VDMA_ST_DONE)
			st = vcm_dma(t, ia, ib, len);
		for (w = 0; w < len / 4 && st == VDMA_ST_DONE; w++)
			if (pb[w] != pattern)
				st = ~0u;
		if (st != VDMA_ST_DONE) {
			errors++;
			dev_err(t->dev, "vcm-test: FAIL soak cycle %u: %s iova "
				"%#lx -> %s iova %#lx, status %#x\n", i, a->name,
				ia, b->name, ib, st);
		}
		iommu_unmap(t->domain, ia, a->size);
		iommu_unmap(t->domain, ib, b->size);
	}
	t->failures += errors;
	dev_info(t->dev, "vcm-test: soak %u cycles, %u data errors, %lld ms\n",
		 i, errors, ktime_ms_delta(ktime_get(), start));
}

static void vcm_free(struct vcm_test *t)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(t->blocks); i++)
		if (t->blocks[i].page)
			__free_pages(t->blocks[i].page,
				     get_order(t->blocks[i].size));
	iommu_domain_free(t->domain);
}

/*
 * The SMMU's registers, mapped, and in @ctx the context bank the master's
 * MID is routed to, found the way the hardware finds it: M2VCBR[mid].
 */
static void __iomem *vcm_smmu_ctx(struct vcm_test *t, u32 *ctx)
{
	struct of_phandle_args smmu;
	void __iomem *base;

	if (of_parse_phandle_with_args(t->dev->of_node, "iommus",
				       "#iommu-cells", 0, &smmu))
		return NULL;
	base = of_iomap(smmu.np, 0);
	of_node_put(smmu.np);
	if (base)
		*ctx = (readl(base + 0xff000 + 4 * smmu.args[0]) >> 8) & 0xff;
	return base;
}

/*
 * The level-2 entry the SMMU walks for @iova: the context's TTBR0 names
 * the level-1 table (TTBCR.N = 0, as msm_iommu programs it). Tables are
 * kernel lowmem.
 */
static u32 *vcm_find_pte(struct vcm_test *t, unsigned long iova)
{
	void __iomem *base;
	u32 ctx, ttbr0, *l1, l1e;

	base = vcm_smmu_ctx(t, &ctx);
	if (!base)
		return NULL;
	ttbr0 = readl(base + (ctx << 12) + 0x010);
	iounmap(base);
	l1 = phys_to_virt(ttbr0 & ~0x3fffu);
	l1e = l1[iova >> 20];
	if ((l1e & 3) != 1)
		return NULL;
	return (u32 *)phys_to_virt(l1e & ~0x3ffu) + ((iova >> 12) & 0xff);
}

/*
 * Demo of the bug check-stale=on catches: a driver that rewrites a
 * page-table entry and forgets the TLB invalidation. The SMMU keeps using
 * the cached translation, so the DMA still lands in the old page; the
 * proper unmap/map (msm_iommu issues TLBIVA) reaches the new one.
 */
static void vcm_stale_demo(struct vcm_test *t)
{
	struct vcm_block *b = &t->blocks[0];
	struct page *fresh = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u32 *pte = vcm_find_pte(t, b->iova);
	u32 *old_page = page_address(b->page), *new_page, old_pte;
	phys_addr_t new_pa;

	if (!fresh || !pte) {
		check(t, 0, "stale demo: no page (%p) or PTE (%p)", fresh, pte);
		if (fresh)
			__free_page(fresh);
		return;
	}
	new_page = page_address(fresh);
	new_pa = page_to_phys(fresh);
	vcm_dma_op(t, VDMA_CTRL_FILL, 0, b->iova, SZ_4K);   /* TLB filled */
	old_pte = READ_ONCE(*pte);
	WRITE_ONCE(*pte, (u32)new_pa | (old_pte & 0xfff));
	dev_info(t->dev, "vcm-test: stale demo: PTE of %#lx now points at %pa, "
		 "no TLB invalidation\n", b->iova, &new_pa);
	writel(0x5a5a5a5a, t->regs + VDMA_PATTERN);
	vcm_dma_op(t, VDMA_CTRL_FILL, 0, b->iova, SZ_4K);
	writel(0, t->regs + VDMA_PATTERN);
	check(t, old_page[0] == 0x5a5a5a5a && new_page[0] == 0,
	      "stale demo: old page %#x, new page %#x", old_page[0],
	      new_page[0]);
	dev_info(t->dev, "vcm-test: stale demo: the DMA still wrote the old "
		 "page %pa (stale TLB entry)\n", &b->pa);

	/* the proper way: unmap (TLBIVA) and map again */
	WRITE_ONCE(*pte, old_pte);
	iommu_unmap(t->domain, b->iova, SZ_4K);
	vcm_map(t->domain, b->iova, new_pa, SZ_4K);
	writel(0xa5a5a5a5, t->regs + VDMA_PATTERN);
	vcm_dma_op(t, VDMA_CTRL_FILL, 0, b->iova, SZ_4K);
	writel(0, t->regs + VDMA_PATTERN);
	check(t, new_page[0] == 0xa5a5a5a5, "stale demo: after unmap/map the "
	      "new page holds %#x", new_page[0]);
	dev_info(t->dev, "vcm-test: stale demo: after iommu_unmap/iommu_map "
		 "the DMA reaches the new page\n");
	iommu_unmap(t->domain, b->iova, SZ_4K);
	vcm_map(t->domain, b->iova, b->pa, SZ_4K);
	memset(old_page, 0, SZ_4K);
	__free_page(fresh);
}

#define IOVA_PARK_SRC	0x18000000
#define IOVA_PARK_DST	0x19000000
#define PARK_LEN	SZ_64K
#define PARK_AT		SZ_16K	/* what the copy moves before it parks */
#define PARK_WORD(w)	(0x9a4c0000 + (w))
#define SMMU_RESUME	0x820	/* in the context bank; TNR = bit 0 */

/*
 * A copy parked on a stall (docs/specs/vcm-dma.rst 3.2, smmu-vcm.rst
 * 3.9) for park_ms: its destination is mapped for the first PARK_AT bytes
 * only. While it waits, the CPU rewrites the source bytes already moved;
 * then the rest of the destination is mapped and RESUME with TNR = 0
 * retries the access. The engine goes on where it stopped, so the
 * destination keeps the old source words below PARK_AT: an engine that
 * lost its place (across a migration, say) copies the new ones, and each
 * such word is a data error.
 */
static void vcm_park(struct vcm_test *t)
{
	struct vcm_block *src = &t->blocks[1], *dst = &t->blocks[2];
	u32 *s = page_address(src->page), *d = page_address(dst->page);
	unsigned int errors = 0, first = 0, w, off;
	void __iomem *smmu;
	ktime_t start;
	u32 ctx, st;
	int ret;

	for (w = 0; w < PARK_LEN / 4; w++)
		s[w] = PARK_WORD(w);
	memset(d, 0, PARK_LEN);
	smmu = vcm_smmu_ctx(t, &ctx);
	ret = vcm_map(t->domain, IOVA_PARK_SRC, src->pa, PARK_LEN);
	for (off = 0; !ret && off < PARK_AT; off += SZ_4K)
		ret = vcm_map(t->domain, IOVA_PARK_DST + off, dst->pa + off,
			      SZ_4K);
	check(t, smmu && !ret, "park: no SMMU registers or map %d", ret);
	if (!smmu || ret)
		goto out;
	st = vcm_dma(t, IOVA_PARK_SRC, IOVA_PARK_DST, PARK_LEN);
	check(t, st & VDMA_ST_STALLED, "park: the copy did not stall: %#x",
	      st);
	if (!(st & VDMA_ST_STALLED))
		goto out;
	for (w = 0; w < PARK_AT / 4; w++)
		s[w] = ~PARK_WORD(w);
	dev_info(t->dev, "vcm-test: park: copy of %u bytes parked at %#x, "
		 "context %u, for %u ms\n", PARK_LEN,
		 readl(t->regs + VDMA_FAULT_ADDR), ctx, park_ms);
	start = ktime_get();
	msleep(park_ms);
	for (off = PARK_AT; !ret && off < PARK_LEN; off += SZ_4K)
		ret = vcm_map(t->domain, IOVA_PARK_DST + off, dst->pa + off,
			      SZ_4K);
	writel(0, smmu + (ctx << 12) + SMMU_RESUME);
	st = readl(t->regs + VDMA_STATUS);
	for (w = 0; w < PARK_LEN / 4; w++) {
		if (d[w] == (w < PARK_AT / 4 ? PARK_WORD(w) : s[w]))
			continue;
		if (!errors++)
			first = w * 4;
	}
	check(t, !ret && st == VDMA_ST_DONE, "park: map %d, status %#x after "
	      "RESUME", ret, st);
	check(t, !errors, "park: %u data errors, the first at offset %#x",
	      errors, first);
	dev_info(t->dev, "vcm-test: park: resumed after %lld ms, status %#x, "
		 "%u data errors\n", ktime_ms_delta(ktime_get(), start), st,
		 errors);
out:
	if (iommu_iova_to_phys(t->domain, IOVA_PARK_SRC))
		iommu_unmap(t->domain, IOVA_PARK_SRC, PARK_LEN);
	for (off = 0; off < PARK_LEN; off += SZ_4K)
		if (iommu_iova_to_phys(t->domain, IOVA_PARK_DST + off))
			iommu_unmap(t->domain, IOVA_PARK_DST + off, SZ_4K);
	if (smmu)
		iounmap(smmu);
}

static int vcm_test_probe(struct platform_device *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	struct vcm_test *t;
	int ret;

	if (!group) {
		dev_info(&pdev->dev, "vcm-test: no iommu group\n");
		return 0;
	}
	dev_info(&pdev->dev, "vcm-test: in iommu group %d\n",
		 iommu_group_id(group));
	iommu_group_put(group);

	t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev = &pdev->dev;
	t->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(t->regs))
		return PTR_ERR(t->regs);
	if (readl(t->regs + VDMA_ID) != 0x56444d41)
		return -ENODEV;

	t->domain = iommu_domain_alloc(&platform_bus_type);
	if (!t->domain)
		return -ENOMEM;
	ret = iommu_attach_device(t->domain, t->dev);
	dev_info(t->dev, "vcm-test: attach %d\n", ret);
	if (ret) {
		iommu_domain_free(t->domain);
		return ret;
	}
	ret = vcm_back(t);
	if (!ret) {
		vcm_check_v2p(t);
		vcm_check_dma(t);
		if (stale_demo)
			vcm_stale_demo(t);
		vcm_check_unmap_fault(t);
		if (park_ms)
			vcm_park(t);
		if (soak_cycles)
			vcm_soak(t);
	}
	vcm_check_detach(t);
	vcm_free(t);
	dev_info(t->dev, "vcm-test: %s (%d failures)\n",
		 ret || t->failures ? "FAILED" : "all passed", t->failures);
	vcm_smp_add_master(t->dev, t->regs);
	vcm_dmabuf_add_master(t->dev, t->regs);
	return 0;
}

static const struct of_device_id vcm_test_of_match[] = {
	{ .compatible = "qemu,vcm-dma" },
	{ }
};
MODULE_DEVICE_TABLE(of, vcm_test_of_match);

static struct platform_driver vcm_test_driver = {
	.probe = vcm_test_probe,
	.driver = {
		.name = "vcm-test",
		.of_match_table = vcm_test_of_match,
		/* vcm_dmabuf.c keeps using the devices after probe */
		.suppress_bind_attrs = true,
	},
};

/*
 * Probing is synchronous: when platform_driver_register() returns, every
 * vcm-dma device has run the tests above, and with two of them the
 * dma-buf test (vcm_dmabuf.c) runs.
 */
static int __init vcm_test_init(void)
{
	int ret;

	if (disable) {
		pr_info("vcm-test: disabled\n");
		return 0;
	}
	ret = platform_driver_register(&vcm_test_driver);
	if (!ret) {
		vcm_smp_soak_run();
		vcm_dmabuf_run();
	}
	return ret;
}
module_init(vcm_test_init);

static void __exit vcm_test_exit(void)
{
	if (disable)
		return;
	vcm_dmabuf_exit();
	platform_driver_unregister(&vcm_test_driver);
}
module_exit(vcm_test_exit);

MODULE_DESCRIPTION("Guest test driver for smmu-vcm / vcm-dma");
MODULE_LICENSE("GPL");
