// SPDX-License-Identifier: GPL-2.0
/*
 * vcm_api_test: the VCM framework (linux-patches/vcm/) on the emulated
 * SMMUs, with the vcm-dma masters behind them. Each result is one
 * "vcm-api-test:" line the boot tests match.
 *
 *   vcm_api_test.run=api    the seed's three-mapper example, the
 *                           refusals, vcm_hook on msm_iommu, and the
 *                           mapping graph across two SMMUs, left in
 *                           place for /tests/vcm-user
 *   vcm_api_test.run=munch  max munch against 4K-only blocks: the same
 *                           stream on each SMMU (the host compares the
 *                           SMMUs' TLB statistics)
 *
 * Needs two vcm-dma devices, each behind its own smmu-vcm, that vcm_test
 * leaves alone (vcm_test.disable=1).
 */

#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/version.h>

#if __has_include(<linux/vcm.h>) && IS_ENABLED(CONFIG_VCM)
#include <linux/vcm.h>
#define HAVE_VCM 1
#else
#define HAVE_VCM 0
#endif

#include "vcm_api_test.h"
#include "vcm_dma_regs.h"

static char *run = "";
module_param(run, charp, 0444);
MODULE_PARM_DESC(run, "api or munch");

#if HAVE_VCM

struct vat_master {
	struct device *dev;
	void __iomem *regs;
};

static struct vat_master masters[2];
static struct device *cpu_dev;
static int failures;

#define vat_check(cond, fmt, ...)					\
	({								\
		bool __ok = (cond);					\
		if (!__ok) {						\
			failures++;					\
			pr_err("vcm-api-test: FAIL " fmt "\n",		\
			       ##__VA_ARGS__);				\
		}							\
		__ok;							\
	})

/* One transfer; it runs inside the GO write, so STATUS is final after it */
static u32 vat_dma(struct vat_master *m, bool fill, u32 pattern, u64 src,
		   u64 dst, u32 len)
{
	u32 st;

	writel(VDMA_ST_DONE | VDMA_ST_ERROR, m->regs + VDMA_STATUS);
	writel(pattern, m->regs + VDMA_PATTERN);
	writel(lower_32_bits(src), m->regs + VDMA_SRC_LO);
	writel(upper_32_bits(src), m->regs + VDMA_SRC_HI);
	writel(lower_32_bits(dst), m->regs + VDMA_DST_LO);
	writel(upper_32_bits(dst), m->regs + VDMA_DST_HI);
	writel(len, m->regs + VDMA_LEN);
	writel((fill ? VDMA_CTRL_FILL : 0) | VDMA_CTRL_GO,
	       m->regs + VDMA_CTRL);
	st = readl(m->regs + VDMA_STATUS);
	if (st & VDMA_ST_STALLED) {
		msleep(20);		/* let the IOMMU driver report it */
		writel(VDMA_CTRL_ABORT, m->regs + VDMA_CTRL);
		st |= readl(m->regs + VDMA_STATUS);
	}
	return st;
}

/* /dev/vcm/<device>'s VCM_IOC_TRANSFER */
static int vat_transfer(struct device *dev, void *data,
			const struct vcm_ioc_transfer *t)
{
	u32 st = vat_dma(data, t->op == VCM_TRANSFER_FILL, t->pattern, t->src,
			 t->dst, t->len);

	if (st & VDMA_ST_STALLED)
		return -EFAULT;
	return st == VDMA_ST_DONE ? 0 : -EIO;
}

static bool vat_words(const void *p, size_t len, u32 want)
{
	const u32 *w = p;
	size_t i;

	for (i = 0; i < len / 4; i++)
		if (w[i] != want) {
			pr_err("vcm-api-test: word %zu is %#x, want %#x\n", i,
			       w[i], want);
			return false;
		}
	return true;
}

static const char *vat_blocks(const struct physmem *pm, char *buf,
			      size_t size)
{
	unsigned int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < pm->nblocks && n < size - 8; i++)
		n += scnprintf(buf + n, size - n, "%s%s", i ? " " : "",
			       vcm_block_name(pm->blocks[i].size));
	return buf;
}

/* ---- the seed's "Mapping IOMMU, one-to-one and VMM reservations" ---- */

static void vat_example(void)
{
	struct vat_master *a = &masters[0], *b = &masters[1];
	struct vcm *vcm_iommu, *vcm_onetoone, *vcm_vmm;
	struct avcm *avcm_iommu, *avcm_onetoone, *avcm_vmm;
	struct res *res_iommu, *res_onetoone, *res_vmm;
	const size_t len = SZ_2M + SZ_4K;
	struct physmem *physmem;
	struct page *scratch;
	int before = failures;
	char blocks[64];
	u8 *cpu;
	u32 st;

	physmem = vcm_phys_alloc(VCM_MEMTYPE_DEFAULT, len, VCM_PHYS_CONTIGUOUS);
	if (!vat_check(!IS_ERR(physmem), "example: phys_alloc %ld",
		       PTR_ERR(physmem)))
		return;
	vcm_iommu = vcm_create(SZ_1K, SZ_16M);
	vcm_onetoone = vcm_create(physmem->phys_addr, physmem->size);
	vcm_vmm = vcm_create_from_prebuilt(VCM_PREBUILT_KERNEL);
	if (!vat_check(!IS_ERR(vcm_iommu) && !IS_ERR(vcm_onetoone) &&
		       !IS_ERR(vcm_vmm) && vcm_iommu->type == VCM_IOMMU &&
		       vcm_onetoone->type == VCM_ONE_TO_ONE,
		       "example: vcm_create %ld %ld %ld", PTR_ERR(vcm_iommu),
		       PTR_ERR(vcm_onetoone), PTR_ERR(vcm_vmm)))
		return;

	avcm_iommu = vcm_assoc(vcm_iommu, a->dev, 0);
	avcm_onetoone = vcm_assoc(vcm_onetoone, b->dev, 0);
	avcm_vmm = vcm_assoc(vcm_vmm, cpu_dev, 0);
	if (!vat_check(!IS_ERR(avcm_iommu) && !IS_ERR(avcm_onetoone) &&
		       !IS_ERR(avcm_vmm), "example: vcm_assoc"))
		return;
	vat_check(!vcm_activate(avcm_iommu) && !vcm_activate(avcm_onetoone) &&
		  !vcm_activate(avcm_vmm), "example: vcm_activate");

	res_iommu = vcm_reserve(vcm_iommu, len, VCM_READ | VCM_WRITE);
	res_onetoone = vcm_reserve(vcm_onetoone, len, VCM_READ | VCM_WRITE);
	res_vmm = vcm_reserve(vcm_vmm, len, VCM_READ | VCM_WRITE);
	if (!vat_check(!IS_ERR(res_iommu) && !IS_ERR(res_onetoone) &&
		       !IS_ERR(res_vmm), "example: vcm_reserve %ld %ld %ld",
		       PTR_ERR(res_iommu), PTR_ERR(res_onetoone),
		       PTR_ERR(res_vmm)))
		return;
	vat_check(!vcm_back(res_iommu, physmem) &&
		  !vcm_back(res_onetoone, physmem) &&
		  !vcm_back(res_vmm, physmem), "example: vcm_back");
	pr_info("vcm-api-test: example: physmem 2M+4K contiguous at %pa "
		"(blocks %s); iommu res %#lx on %s, one-to-one res %#lx on "
		"%s, vmm res %#lx\n", &physmem->phys_addr,
		vat_blocks(physmem, blocks, sizeof(blocks)),
		res_iommu->dev_addr, dev_name(a->dev), res_onetoone->dev_addr,
		dev_name(b->dev), res_vmm->dev_addr);

	cpu = (u8 *)res_vmm->dev_addr;
	scratch = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!vat_check(scratch, "example: scratch page"))
		return;

	/* a DMA through the IOMMU, read by the CPU and the one-to-one device */
	st = vat_dma(a, true, 0x11223344, 0, res_iommu->dev_addr, len);
	vat_check(st == VDMA_ST_DONE, "example: iommu fill status %#x", st);
	vat_check(vat_words(cpu, len, 0x11223344), "example: vmm read");
	st = vat_dma(b, false, 0, res_onetoone->dev_addr,
		     page_to_phys(scratch), SZ_4K);
	st |= vat_dma(b, false, 0, res_onetoone->dev_addr + SZ_2M,
		      page_to_phys(scratch) + SZ_4K, SZ_4K);
	vat_check(st == VDMA_ST_DONE, "example: one-to-one copy %#x", st);
	vat_check(vat_words(page_address(scratch), SZ_8K, 0x11223344),
		  "example: one-to-one read");
	pr_info("vcm-api-test: example: iommu DMA write -> vmm read %s, "
		"one-to-one DMA read %s\n", failures == before ? "ok" : "FAIL",
		failures == before ? "ok" : "FAIL");

	/* the reverse: the one-to-one device writes, the CPU and IOMMU read */
	st = vat_dma(b, true, 0x55667788, 0, res_onetoone->dev_addr, len);
	vat_check(st == VDMA_ST_DONE, "example: one-to-one fill %#x", st);
	vat_check(vat_words(cpu, len, 0x55667788), "example: vmm read 2");
	memset(cpu + SZ_2M, 0, SZ_4K);
	st = vat_dma(a, false, 0, res_iommu->dev_addr + SZ_1M + SZ_4K,
		     res_iommu->dev_addr + SZ_2M, SZ_4K);
	vat_check(st == VDMA_ST_DONE, "example: iommu copy %#x", st);
	vat_check(vat_words(cpu + SZ_2M, SZ_4K, 0x55667788),
		  "example: iommu read");
	pr_info("vcm-api-test: example: one-to-one DMA write -> vmm read %s, "
		"iommu DMA read %s\n", failures == before ? "ok" : "FAIL",
		failures == before ? "ok" : "FAIL");
	__free_pages(scratch, 1);

	vat_check(!vcm_unback(res_iommu) && !vcm_unback(res_onetoone) &&
		  !vcm_unback(res_vmm), "example: vcm_unback");
	vat_check(!vcm_unreserve(res_iommu) && !vcm_unreserve(res_onetoone) &&
		  !vcm_unreserve(res_vmm), "example: vcm_unreserve");
	vat_check(!vcm_deactivate(avcm_iommu) &&
		  !vcm_deactivate(avcm_onetoone) &&
		  !vcm_deactivate(avcm_vmm), "example: vcm_deactivate");
	vat_check(!vcm_deassoc(avcm_iommu) && !vcm_deassoc(avcm_onetoone) &&
		  !vcm_deassoc(avcm_vmm), "example: vcm_deassoc");
	vat_check(!vcm_free(vcm_iommu) && !vcm_free(vcm_onetoone) &&
		  !vcm_free(vcm_vmm), "example: vcm_free");
	vat_check(!vcm_phys_free(physmem), "example: vcm_phys_free");
	pr_info("vcm-api-test: example %s\n",
		failures == before ? "ok" : "FAILED");
}

/* ---- refusals ---- */

static int refusals, refusals_ok;

static void vat_refuse(const char *what, long got, long want)
{
	refusals++;
	if (vat_check(got == want, "refuse %s: got %ld, want %ld", what, got,
		      want)) {
		refusals_ok++;
		pr_info("vcm-api-test: refuse %s: %ld ok\n", what, got);
	}
}

static long vat_err(const void *p)
{
	return IS_ERR(p) ? PTR_ERR(p) : 0;
}

static void vat_refusals(void)
{
	struct vat_master *a = &masters[0], *b = &masters[1];
	struct vcm *va, *va2, *vmm;
	struct avcm *ava, *ava2, *avmm, *avb;
	struct res *ra, *rsmall, *rv, *rbig;
	struct physmem *pm;
	struct vcm *bad;

	pm = vcm_phys_alloc(VCM_MEMTYPE_DEFAULT, SZ_64K, 0);
	va = vcm_create(0x10000000, SZ_256M);
	va2 = vcm_create(0x20000000, SZ_16M);
	vmm = vcm_create_from_prebuilt(VCM_PREBUILT_KERNEL);
	if (!vat_check(!IS_ERR(pm) && !IS_ERR(va) && !IS_ERR(va2) &&
		       !IS_ERR(vmm), "refusals: set-up"))
		return;
	ava = vcm_assoc(va, a->dev, 0);
	ava2 = vcm_assoc(va2, a->dev, 0);
	avmm = vcm_assoc(vmm, cpu_dev, 0);
	vat_check(!IS_ERR(ava) && !IS_ERR(ava2) && !IS_ERR(avmm) &&
		  !vcm_activate(ava) && !vcm_activate(avmm),
		  "refusals: assoc/activate");
	ra = vcm_reserve(va, SZ_64K, VCM_READ | VCM_WRITE | VCM_NOTCACHED);
	rsmall = vcm_reserve(va, SZ_4K, VCM_READ | VCM_WRITE | VCM_NOTCACHED);
	rv = vcm_reserve(vmm, SZ_64K, VCM_READ | VCM_WRITE | VCM_WB_WA);
	if (!vat_check(!IS_ERR(ra) && !IS_ERR(rsmall) && !IS_ERR(rv) &&
		       !vcm_back(ra, pm), "refusals: reserve/back"))
		return;

	vat_refuse("incompatible attributes (cpu write-back, device not-cached)",
		   vcm_back(rv, pm), -EINVAL);
	vat_refuse("backing a reservation smaller than the physmem",
		   vcm_back(rsmall, pm), -EINVAL);
	vat_refuse("unreserve of a backed reservation", vcm_unreserve(ra),
		   -EBUSY);
	vat_refuse("free of a backed physmem", vcm_phys_free(pm), -EBUSY);
	vat_refuse("free of an associated VCM", vcm_free(va), -EBUSY);
	vat_refuse("activate of a second VCM on the same device",
		   vcm_activate(ava2), -EBUSY);
	rbig = vcm_reserve(va2, SZ_32M, VCM_READ);
	vat_refuse("a reservation larger than the VCM", vat_err(rbig), -EINVAL);
	bad = vcm_create(pm->phys_addr + SZ_2K, SZ_64K);
	vat_refuse("an unaligned one-to-one VCM", vat_err(bad), -EINVAL);
	avb = vcm_assoc(va2, b->dev, VCM_SPLIT);
	vat_refuse("a split association", vat_err(avb), -EOPNOTSUPP);
	vat_refuse("an unknown reservation attribute",
		   vat_err(vcm_reserve(va2, SZ_4K, BIT(20))), -EINVAL);
	vat_refuse("two cache policies",
		   vat_err(vcm_reserve(va2, SZ_4K, VCM_NOTCACHED | VCM_WT)),
		   -EINVAL);
	vat_refuse("a zero-length reservation",
		   vat_err(vcm_reserve(va2, 0, VCM_READ)), -EINVAL);
	vat_refuse("a wrapping VCM", vat_err(vcm_create(0xfff00000, SZ_2M)),
		   -EINVAL);
	vat_refuse("an unknown memory type",
		   vat_err(vcm_phys_alloc(7, SZ_4K, 0)), -EINVAL);
	vat_refuse("a hook on a device without association",
		   vcm_hook(b->dev, NULL, NULL), -ENODEV);

	/* tear down: every step now succeeds */
	vat_check(!vcm_unback(ra) && !vcm_unreserve(ra) &&
		  !vcm_unreserve(rsmall) && !vcm_unreserve(rv) &&
		  !vcm_phys_free(pm) && !vcm_deactivate(ava) &&
		  !vcm_deactivate(avmm) && !vcm_deassoc(ava) &&
		  !vcm_deassoc(ava2) && !vcm_deassoc(avmm) && !vcm_free(va) &&
		  !vcm_free(va2) && !vcm_free(vmm), "refusals: tear-down");
	pr_info("vcm-api-test: refusals: %d/%d with the expected error code\n",
		refusals_ok, refusals);
}

/* ---- vcm_hook on msm_iommu ---- */

static atomic_t hook_calls = ATOMIC_INIT(0);

static int vat_hook(struct device *dev, void *data, unsigned long iova,
		    int flags)
{
	atomic_inc(&hook_calls);
	dev_info(dev, "vcm-api-test: hook: fault at %#lx flags %#x, "
		 "terminate\n", iova, flags);
	return 0;
}

static void vat_hook_test(void)
{
	struct vat_master *a = &masters[0];
	struct avcm *av;
	struct vcm *vcm;
	struct res *res;
	u32 st, far;

	vcm = vcm_create(0x10000000, SZ_16M);
	if (!vat_check(!IS_ERR(vcm), "hook: vcm_create"))
		return;
	av = vcm_assoc(vcm, a->dev, 0);
	if (!vat_check(!IS_ERR(av) && !vcm_activate(av) &&
		       !vcm_hook(a->dev, vat_hook, NULL), "hook: set-up"))
		return;
	res = vcm_reserve(vcm, SZ_64K, VCM_READ | VCM_WRITE);
	if (!vat_check(!IS_ERR(res), "hook: reserve"))
		return;
	st = vat_dma(a, true, 0xdeadbeef, 0, res->dev_addr, SZ_4K);
	far = readl(a->regs + VDMA_FAULT_ADDR);
	vat_check((st & VDMA_ST_STALLED) && (st & VDMA_ST_ERROR) &&
		  ((st >> 8) & 0xf) == 5 && far == res->dev_addr,
		  "hook: status %#x fault address %#x", st, far);
	pr_info("vcm-api-test: hook: DMA into unbacked %#lx stopped at %#x "
		"(status %#x), handler called %d times (msm_iommu does not "
		"report faults to the IOMMU core)\n", res->dev_addr, far, st,
		atomic_read(&hook_calls));
	vat_check(!vcm_hook(a->dev, NULL, NULL) && !vcm_unreserve(res) &&
		  !vcm_deactivate(av) && !vcm_deassoc(av) && !vcm_free(vcm),
		  "hook: tear-down");
}

/* ---- the graph across two SMMUs, left for user space ---- */

static struct {
	struct vcm *vcm[3];
	struct avcm *avcm[3];
	struct res *res[3];
	struct physmem *pm;
} graph;

static void vat_graph(void)
{
	struct vat_master *a = &masters[0], *b = &masters[1];
	const u32 size = VAT_GRAPH_SIZE, half = size / 2;
	struct device *devs[3] = { a->dev, b->dev, cpu_dev };
	struct dma_buf_attachment *att;
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	struct scatterlist *sg;
	int before = failures;
	char blocks[64];
	u32 i, st;
	u8 *cpu;

	graph.vcm[0] = vcm_create(VAT_GRAPH_ADDR, SZ_256M);
	graph.vcm[1] = vcm_create(VAT_GRAPH_ADDR, SZ_256M);
	graph.vcm[2] = vcm_create_from_prebuilt(VCM_PREBUILT_KERNEL);
	graph.pm = vcm_phys_alloc(VCM_MEMTYPE_DEFAULT, size, 0);
	if (!vat_check(!IS_ERR(graph.vcm[0]) && !IS_ERR(graph.vcm[1]) &&
		       !IS_ERR(graph.vcm[2]) && !IS_ERR(graph.pm),
		       "graph: set-up")) {
		memset(&graph, 0, sizeof(graph));
		return;
	}
	for (i = 0; i < 3; i++) {
		graph.avcm[i] = vcm_assoc(graph.vcm[i], devs[i], 0);
		vat_check(!IS_ERR(graph.avcm[i]) &&
			  !vcm_activate(graph.avcm[i]), "graph: assoc %u", i);
		graph.res[i] = vcm_reserve(graph.vcm[i], size, VCM_READ |
					   VCM_WRITE | VCM_USER);
		if (!vat_check(!IS_ERR(graph.res[i]), "graph: reserve %u", i))
			return;
		vat_check(!vcm_back(graph.res[i], graph.pm), "graph: back %u",
			  i);
	}
	vat_check(graph.res[0]->dev_addr == VAT_GRAPH_ADDR,
		  "graph: A's reservation at %#lx", graph.res[0]->dev_addr);
	pr_info("vcm-api-test: graph: physmem %d (blocks %s) backs %s %#lx, "
		"%s %#lx and the cpu %#lx\n", graph.pm->id,
		vat_blocks(graph.pm, blocks, sizeof(blocks)), dev_name(a->dev),
		graph.res[0]->dev_addr, dev_name(b->dev),
		graph.res[1]->dev_addr, graph.res[2]->dev_addr);

	/* the CPU writes, A copies, B copies back, the CPU checks */
	cpu = (u8 *)graph.res[2]->dev_addr;
	for (i = 0; i < half; i++)
		cpu[i] = vat_pattern(i);
	memset(cpu + half, 0, size - half);
	st = vat_dma(a, false, 0, graph.res[0]->dev_addr,
		     graph.res[0]->dev_addr + half, half);
	vat_check(st == VDMA_ST_DONE, "graph: A copy status %#x", st);
	memset(cpu, 0, half);
	st = vat_dma(b, false, 0, graph.res[1]->dev_addr + half,
		     graph.res[1]->dev_addr, half);
	vat_check(st == VDMA_ST_DONE, "graph: B copy status %#x", st);
	for (i = 0; i < 2 * half; i++)
		if (!vat_check(cpu[i] == vat_pattern(i),
			       "graph: byte %#x is %#x, want %#x", i, cpu[i],
			       vat_pattern(i)))
			break;
	pr_info("vcm-api-test: graph: cpu write -> %s copy -> %s copy -> cpu "
		"check %s\n", dev_name(a->dev), dev_name(b->dev),
		failures == before ? "ok" : "FAILED");

	/* the same blocks through a dma-buf, imported by B */
	dmabuf = vcm_physmem_export(graph.pm, O_RDWR);
	if (!vat_check(!IS_ERR(dmabuf), "export %ld", PTR_ERR(dmabuf)))
		return;
	att = dma_buf_attach(dmabuf, b->dev);
	if (vat_check(!IS_ERR(att), "dma-buf attach %ld", PTR_ERR(att))) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
		sgt = dma_buf_map_attachment_unlocked(att, DMA_BIDIRECTIONAL);
#else
		sgt = dma_buf_map_attachment(att, DMA_BIDIRECTIONAL);
#endif
		if (vat_check(!IS_ERR(sgt), "map attachment %ld",
			      PTR_ERR(sgt))) {
			vat_check(sgt->orig_nents == graph.pm->nblocks,
				  "dma-buf: %u sg entries", sgt->orig_nents);
			for_each_sgtable_sg(sgt, sg, i)
				vat_check(i < graph.pm->nblocks &&
					  sg_phys(sg) == graph.pm->blocks[i].phys &&
					  sg->length == graph.pm->blocks[i].size,
					  "dma-buf: sg entry %u", i);
			pr_info("vcm-api-test: dma-buf: %s imports %u sg "
				"entries (%s), the physmem's own blocks\n",
				dev_name(b->dev), sgt->orig_nents, blocks);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
			dma_buf_unmap_attachment_unlocked(att, sgt,
							  DMA_BIDIRECTIONAL);
#else
			dma_buf_unmap_attachment(att, sgt, DMA_BIDIRECTIONAL);
#endif
		}
		vat_check(vcm_phys_free(graph.pm) == -EBUSY,
			  "free of an exported physmem");
		dma_buf_detach(dmabuf, att);
	}
	dma_buf_put(dmabuf);

	vat_check(!vcm_set_transfer(a->dev, vat_transfer, a) &&
		  !vcm_set_transfer(b->dev, vat_transfer, b),
		  "graph: set_transfer");
	pr_info("vcm-api-test: graph ready for user space: /dev/vcm/%s at "
		"%#x\n", dev_name(a->dev), VAT_GRAPH_ADDR);
}

static void vat_graph_teardown(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (IS_ERR_OR_NULL(graph.vcm[i]))
			continue;
		if (!IS_ERR_OR_NULL(graph.res[i])) {
			vcm_unback(graph.res[i]);
			vcm_unreserve(graph.res[i]);
		}
		if (!IS_ERR_OR_NULL(graph.avcm[i])) {
			vcm_deactivate(graph.avcm[i]);
			vcm_deassoc(graph.avcm[i]);
		}
		vcm_free(graph.vcm[i]);
	}
	if (!IS_ERR_OR_NULL(graph.pm))
		vcm_phys_free(graph.pm);
}

/* ---- max munch against 4K blocks ---- */

#define MUNCH_LEN	(SZ_16M + SZ_1M + SZ_64K + SZ_4K + SZ_4K)
#define MUNCH_PASSES	4

static void vat_munch(void)
{
	static const size_t want[] = { SZ_16M, SZ_1M, SZ_64K, SZ_4K, SZ_4K };
	struct vcm *vcm[2];
	struct avcm *av[2];
	struct res *res[2];
	struct physmem *pm[2];
	int before = failures;
	char blocks[64];
	unsigned int i, pass;
	u32 st;

	pm[0] = vcm_phys_alloc(VCM_MEMTYPE_DEFAULT, MUNCH_LEN, 0);
	pm[1] = vcm_phys_alloc(VCM_MEMTYPE_DEFAULT, MUNCH_LEN, VCM_PHYS_4K);
	if (!vat_check(!IS_ERR(pm[0]) && !IS_ERR(pm[1]),
		       "munch: phys_alloc %ld %ld", PTR_ERR(pm[0]),
		       PTR_ERR(pm[1])))
		return;
	vat_check(pm[0]->nblocks == ARRAY_SIZE(want), "munch: %u blocks",
		  pm[0]->nblocks);
	for (i = 0; i < pm[0]->nblocks && i < ARRAY_SIZE(want); i++)
		vat_check(pm[0]->blocks[i].size == want[i] &&
			  IS_ALIGNED(pm[0]->blocks[i].phys, want[i]),
			  "munch: block %u is %s at %pa", i,
			  vcm_block_name(pm[0]->blocks[i].size),
			  &pm[0]->blocks[i].phys);
	pr_info("vcm-api-test: max munch: 16M+1M+64K+4K+4K gets %u blocks: %s\n",
		pm[0]->nblocks, vat_blocks(pm[0], blocks, sizeof(blocks)));
	vat_check(pm[1]->nblocks == MUNCH_LEN / SZ_4K, "4K only: %u blocks",
		  pm[1]->nblocks);
	pr_info("vcm-api-test: 4K only: the same length gets %u blocks of 4K\n",
		pm[1]->nblocks);

	for (i = 0; i < 2; i++) {
		vcm[i] = vcm_create(0x10000000, SZ_256M);
		av[i] = vcm_assoc(vcm[i], masters[i].dev, 0);
		vat_check(!IS_ERR(av[i]) && !vcm_activate(av[i]),
			  "munch: activate %u", i);
		res[i] = vcm_reserve(vcm[i], MUNCH_LEN, VCM_READ | VCM_WRITE);
		if (!vat_check(!IS_ERR(res[i]) && !vcm_back(res[i], pm[i]),
			       "munch: reserve/back %u", i))
			return;
	}
	/* every block is one translation of its own size */
	for (i = 0; i < pm[0]->nblocks; i++) {
		unsigned long iova = res[0]->dev_addr;
		unsigned int j;
		phys_addr_t pa;

		for (j = 0; j < i; j++)
			iova += pm[0]->blocks[j].size;
		pa = iommu_iova_to_phys(vcm[0]->domain, iova +
					pm[0]->blocks[i].size - 4);
		vat_check(pa == pm[0]->blocks[i].phys +
			  pm[0]->blocks[i].size - 4,
			  "munch: v2p of block %u: %pa", i, &pa);
	}
	for (pass = 0; pass < MUNCH_PASSES; pass++)
		for (i = 0; i < 2; i++) {
			st = vat_dma(&masters[i], true, 0x1000 + pass, 0,
				     res[i]->dev_addr, MUNCH_LEN);
			vat_check(st == VDMA_ST_DONE,
				  "munch: stream %u on %s: status %#x", pass,
				  dev_name(masters[i].dev), st);
		}
	pr_info("vcm-api-test: stream: %d fills of 16M+1M+64K+4K+4K, max munch "
		"through %s (smmu0), 4K only through %s (smmu1): %s\n",
		MUNCH_PASSES, dev_name(masters[0].dev),
		dev_name(masters[1].dev), failures == before ? "ok" : "FAILED");
	for (i = 0; i < 2; i++)
		vat_check(!vcm_unback(res[i]) && !vcm_unreserve(res[i]) &&
			  !vcm_deactivate(av[i]) && !vcm_deassoc(av[i]) &&
			  !vcm_free(vcm[i]) && !vcm_phys_free(pm[i]),
			  "munch: tear-down %u", i);
}

/* ---- the masters ---- */

static int nmasters;

/*
 * Bind the vcm-dma devices: probing is what gives a device its IOMMU
 * group (of_dma_configure()). They are kept in address order.
 */
static int vat_probe(struct platform_device *pdev)
{
	void __iomem *regs = devm_platform_ioremap_resource(pdev, 0);
	int i;

	if (IS_ERR(regs))
		return PTR_ERR(regs);
	if (readl(regs + VDMA_ID) != 0x56444d41 || nmasters == 2)
		return -ENODEV;
	for (i = nmasters++; i > 0 &&
	     strcmp(dev_name(masters[i - 1].dev), dev_name(&pdev->dev)) > 0;
	     i--)
		masters[i] = masters[i - 1];
	masters[i].dev = &pdev->dev;
	masters[i].regs = regs;
	return 0;
}

static const struct of_device_id vat_of_match[] = {
	{ .compatible = "qemu,vcm-dma" },
	{ }
};

static struct platform_driver vat_driver = {
	.probe = vat_probe,
	.driver = {
		.name = "vcm-api-test",
		.of_match_table = vat_of_match,
		.suppress_bind_attrs = true,
	},
};

static bool vat_has_group(int i)
{
	struct iommu_group *group = iommu_group_get(masters[i].dev);

	iommu_group_put(group);
	return group;
}

static int __init vat_init(void)
{
	bool api = !strcmp(run, "api"), munch = !strcmp(run, "munch");
	int ret;

	if (!api && !munch)
		return 0;
	cpu_dev = get_cpu_device(0);
	ret = platform_driver_register(&vat_driver);
	if (ret)
		return ret;
	if (!vat_check(nmasters == 2 && cpu_dev && vat_has_group(0) &&
		       vat_has_group(1),
		       "%d vcm-dma masters behind an IOMMU (vcm_test.disable=1?), "
		       "cpu0 %p", nmasters, cpu_dev))
		goto out;
	if (api) {
		vat_example();
		vat_refusals();
		vat_hook_test();
		vat_graph();
	} else {
		vat_munch();
	}
out:
	pr_info("vcm-api-test: %s %s (%d failures)\n", run,
		failures ? "FAILED" : "all passed", failures);
	return 0;
}

static void __exit vat_exit(void)
{
	if (!strcmp(run, "api") || !strcmp(run, "munch")) {
		vat_graph_teardown();
		platform_driver_unregister(&vat_driver);
	}
}

MODULE_IMPORT_NS(DMA_BUF);

#else /* !HAVE_VCM */

static int __init vat_init(void)
{
	if (*run)
		pr_info("vcm-api-test: FAIL this kernel has no VCM\n");
	return 0;
}

static void __exit vat_exit(void)
{
}

#endif

module_init(vat_init);
module_exit(vat_exit);

MODULE_DESCRIPTION("The VCM framework on smmu-vcm and vcm-dma");
MODULE_LICENSE("GPL");
