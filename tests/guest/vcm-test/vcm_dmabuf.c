// SPDX-License-Identifier: GPL-2.0
/*
 * vcm_dmabuf: one buffer, many mappers. With two vcm-dma masters behind
 * two different smmu-vcm instances:
 *
 *  - the module exports a dma-buf backed by physically discontiguous
 *    chunks (2 x 64K, 4 x 16K, 16 x 4K, no two of them adjacent);
 *  - master A, the exporter's device, maps the chunks into its own IOMMU
 *    domain with iommu_map at DB_IOVA_A;
 *  - master B imports the buffer through the dma-buf API (attach, map
 *    attachment) and maps the scatterlist into its own domain with
 *    iommu_map_sg at DB_IOVA_B, read-only;
 *  - A writes the buffer (a FILL, then a copy of an address-dependent
 *    pattern), B copies all of it into a buffer of its own, the CPU checks
 *    every byte;
 *  - /dev/vcm_test hands the buffer to userspace as a dma-buf fd
 *    (tests/guest/userspace/dmabuf-check.c mmaps it) and lets userspace
 *    have B check what it wrote.
 *
 * The kernel's DMA API is direct-mapped (no ARM_DMA_USE_IOMMU): the
 * exporter's dma_map_sgtable gives physical addresses and does the cache
 * maintenance; the IOMMU mappings are made explicitly through the IOMMU
 * API, as VCM-style code does.
 *
 * The dma-buf holds a reference on this module (exp_info.owner), so once
 * the buffer exists the module stays loaded; vcm_dmabuf_exit() tears down
 * whatever a failed or skipped run left.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "vcm_test.h"
#include "vcm_test_uapi.h"

MODULE_IMPORT_NS(DMA_BUF);

#define DB_SIZE		VCM_TEST_DMABUF_SIZE
#define DB_PAGES	(DB_SIZE >> PAGE_SHIFT)
#define DB_ORDER	6		/* of A's source and B's destination */

/* Each master's IOVAs: the dma-buf, and a private buffer of its own */
#define DB_IOVA_A	0x40000000UL
#define DB_IOVA_A_SRC	0x48000000UL
#define DB_IOVA_B	0x50000000UL
#define DB_IOVA_B_DST	0x58000000UL

#define DB_FILL_WORD	0xc0ffee11u

/* Chunk orders, largest first: the 64K chunks land on 64K-aligned IOVAs */
static const unsigned int db_orders[] = {
	4, 4, 2, 2, 2, 2,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
#define DB_CHUNKS	ARRAY_SIZE(db_orders)

struct db_master {
	struct device *dev;
	void __iomem *regs;
	struct iommu_domain *domain;
};

/* One importer's attachment: its scatterlist and how it was mapped */
struct db_attach {
	struct list_head node;
	struct device *dev;
	struct sg_table sgt;
	enum dma_data_direction dir;
	bool mapped;
};

/* The exported buffer (dma_buf->priv) */
struct db_buf {
	struct page *chunk[DB_CHUNKS];
	struct page *pages[DB_PAGES];	/* every page, in buffer order */
	struct device *owner_dev;	/* master A */
	struct sg_table own_sgt;	/* the exporter's mapping for A */
	bool own_mapped;
	struct mutex lock;		/* attachments */
	struct list_head attachments;
};

static struct {
	struct db_master m[2];
	int nmasters;
	struct dma_buf *dmabuf;
	bool a_mapped;			/* DB_IOVA_A */
	struct dma_buf_attachment *b_att;
	struct sg_table *b_sgt;
	size_t b_mapped;		/* DB_IOVA_B */
	struct page *src, *dst;		/* A's and B's private buffers */
	dma_addr_t src_dma, dst_dma;
	bool src_iova, dst_iova;
	bool misc;
	struct mutex lock;		/* the ioctls */
	int failures;
} db = { .lock = __MUTEX_INITIALIZER(db.lock) };

#define db_check(dev, cond, fmt, ...)					\
	({								\
		bool ok_ = (cond);					\
		if (!ok_) {						\
			db.failures++;					\
			dev_err((dev), "vcm-test: FAIL dma-buf " fmt "\n", \
				##__VA_ARGS__);				\
		}							\
		ok_;							\
	})

static resource_size_t db_base(struct device *dev)
{
	struct resource *r = platform_get_resource(to_platform_device(dev),
						   IORESOURCE_MEM, 0);

	return r ? r->start : 0;
}

/*
 * Probe order follows the device tree, not the command line: keep the two
 * masters with the lowest register addresses, lowest first, so A is the
 * first vcm-dma of the command line (c100000.dma) and B the second.
 */
void vcm_dmabuf_add_master(struct device *dev, void __iomem *regs)
{
	int i = db.nmasters < ARRAY_SIZE(db.m) ? db.nmasters++ : -1;

	if (i < 0) {
		if (db_base(dev) > db_base(db.m[1].dev))
			return;
		i = 1;
	}
	db.m[i].dev = dev;
	db.m[i].regs = regs;
	if (i == 1 && db_base(db.m[1].dev) < db_base(db.m[0].dev))
		swap(db.m[0], db.m[1]);
}

/* ---- the exporter ---- */

static int db_fill_sgt(struct db_buf *b, struct sg_table *sgt)
{
	struct scatterlist *sg;
	int i, ret;

	ret = sg_alloc_table(sgt, DB_CHUNKS, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, b->chunk[i], PAGE_SIZE << db_orders[i], 0);
	return 0;
}

static int db_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *att)
{
	struct db_buf *b = dmabuf->priv;
	struct db_attach *a = kzalloc(sizeof(*a), GFP_KERNEL);
	int ret;

	if (!a)
		return -ENOMEM;
	ret = db_fill_sgt(b, &a->sgt);
	if (ret) {
		kfree(a);
		return ret;
	}
	a->dev = att->dev;
	att->priv = a;
	mutex_lock(&b->lock);
	list_add(&a->node, &b->attachments);
	mutex_unlock(&b->lock);
	return 0;
}

static void db_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *att)
{
	struct db_buf *b = dmabuf->priv;
	struct db_attach *a = att->priv;

	mutex_lock(&b->lock);
	list_del(&a->node);
	mutex_unlock(&b->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

/* Direct-mapped DMA API: the DMA addresses come out physical. */
static struct sg_table *db_map_dma_buf(struct dma_buf_attachment *att,
				       enum dma_data_direction dir)
{
	struct db_buf *b = att->dmabuf->priv;
	struct db_attach *a = att->priv;
	int ret;

	mutex_lock(&b->lock);
	if (a->mapped) {
		mutex_unlock(&b->lock);
		return ERR_PTR(-EBUSY);
	}
	ret = dma_map_sgtable(att->dev, &a->sgt, dir, 0);
	if (!ret) {
		a->dir = dir;
		a->mapped = true;
	}
	mutex_unlock(&b->lock);
	return ret ? ERR_PTR(ret) : &a->sgt;
}

static void db_unmap_dma_buf(struct dma_buf_attachment *att,
			     struct sg_table *sgt,
			     enum dma_data_direction dir)
{
	struct db_buf *b = att->dmabuf->priv;
	struct db_attach *a = att->priv;

	mutex_lock(&b->lock);
	dma_unmap_sgtable(att->dev, sgt, dir, 0);
	a->mapped = false;
	mutex_unlock(&b->lock);
}

static void db_free_buf(struct db_buf *b)
{
	int i;

	if (b->own_mapped)
		dma_unmap_sgtable(b->owner_dev, &b->own_sgt,
				  DMA_BIDIRECTIONAL, 0);
	sg_free_table(&b->own_sgt);
	for (i = 0; i < DB_CHUNKS; i++)
		if (b->chunk[i])
			__free_pages(b->chunk[i], db_orders[i]);
	kfree(b);
}

static void db_release(struct dma_buf *dmabuf)
{
	db_free_buf(dmabuf->priv);
}

/* Cached mapping of every page; coherency through DMA_BUF_IOCTL_SYNC. */
static int db_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct db_buf *b = dmabuf->priv;
	unsigned long addr, pgoff = vma->vm_pgoff;
	int ret;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* dma_buf_mmap_internal() checked that the range fits the buffer */
	for (addr = vma->vm_start; addr < vma->vm_end;
	     addr += PAGE_SIZE, pgoff++) {
		ret = remap_pfn_range(vma, addr, page_to_pfn(b->pages[pgoff]),
				      PAGE_SIZE, vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The CPU takes the buffer from the devices: sync every device mapping
 * (the exporter's own for A and each importer's) for the CPU; and back.
 */
static int db_begin_cpu_access(struct dma_buf *dmabuf,
			       enum dma_data_direction dir)
{
	struct db_buf *b = dmabuf->priv;
	struct db_attach *a;

	mutex_lock(&b->lock);
	if (b->own_mapped)
		dma_sync_sgtable_for_cpu(b->owner_dev, &b->own_sgt,
					 DMA_BIDIRECTIONAL);
	list_for_each_entry(a, &b->attachments, node)
		if (a->mapped)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, a->dir);
	mutex_unlock(&b->lock);
	return 0;
}

static int db_end_cpu_access(struct dma_buf *dmabuf,
			     enum dma_data_direction dir)
{
	struct db_buf *b = dmabuf->priv;
	struct db_attach *a;

	mutex_lock(&b->lock);
	if (b->own_mapped)
		dma_sync_sgtable_for_device(b->owner_dev, &b->own_sgt,
					    DMA_BIDIRECTIONAL);
	list_for_each_entry(a, &b->attachments, node)
		if (a->mapped)
			dma_sync_sgtable_for_device(a->dev, &a->sgt, a->dir);
	mutex_unlock(&b->lock);
	return 0;
}

static const struct dma_buf_ops db_ops = {
	.attach = db_attach,
	.detach = db_detach,
	.map_dma_buf = db_map_dma_buf,
	.unmap_dma_buf = db_unmap_dma_buf,
	.release = db_release,
	.mmap = db_mmap,
	.begin_cpu_access = db_begin_cpu_access,
	.end_cpu_access = db_end_cpu_access,
};

/* Does [pfn, pfn + n) touch any chunk allocated so far? */
static bool db_touches(struct db_buf *b, int nchunks, unsigned long pfn,
		       unsigned long n)
{
	int i;

	for (i = 0; i < nchunks; i++) {
		unsigned long s = page_to_pfn(b->chunk[i]);
		unsigned long e = s + (1UL << db_orders[i]);

		if (pfn + n >= s && pfn <= e)
			return true;
	}
	return false;
}

/*
 * The chunks, zeroed; an allocation that is adjacent to (or overlaps the
 * neighbourhood of) one already taken is set aside and freed at the end,
 * so no two chunks are physically contiguous.
 */
static int db_alloc_chunks(struct db_buf *b, unsigned int *rejected)
{
	struct page *spare[64];
	unsigned int spare_order[64], nspare = 0;
	int i, j, n = 0, ret = 0;

	for (i = 0; i < DB_CHUNKS; i++) {
		for (;;) {
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO,
						     db_orders[i]);

			if (!p) {
				ret = -ENOMEM;
				goto out;
			}
			if (!db_touches(b, i, page_to_pfn(p),
					1UL << db_orders[i])) {
				b->chunk[i] = p;
				break;
			}
			if (nspare == ARRAY_SIZE(spare)) {
				__free_pages(p, db_orders[i]);
				ret = -EAGAIN;
				goto out;
			}
			spare_order[nspare] = db_orders[i];
			spare[nspare++] = p;
		}
		for (j = 0; j < 1 << db_orders[i]; j++)
			b->pages[n++] = b->chunk[i] + j;
	}
out:
	*rejected = nspare;
	while (nspare--)
		__free_pages(spare[nspare], spare_order[nspare]);
	return ret;
}

static struct dma_buf *db_export(struct device *dev_a)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct dma_buf *dmabuf;
	struct db_buf *b;
	unsigned int rejected;
	int i, breaks = 0, ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	mutex_init(&b->lock);
	INIT_LIST_HEAD(&b->attachments);
	b->owner_dev = dev_a;
	ret = db_alloc_chunks(b, &rejected);
	if (!ret)
		ret = db_fill_sgt(b, &b->own_sgt);
	if (!ret)
		ret = dma_map_sgtable(dev_a, &b->own_sgt, DMA_BIDIRECTIONAL, 0);
	if (ret) {
		db_free_buf(b);
		return ERR_PTR(ret);
	}
	b->own_mapped = true;
	for (i = 1; i < DB_PAGES; i++)
		if (page_to_pfn(b->pages[i]) != page_to_pfn(b->pages[i - 1]) + 1)
			breaks++;
	exp_info.ops = &db_ops;
	exp_info.size = DB_SIZE;
	exp_info.flags = O_RDWR;
	exp_info.priv = b;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		db_free_buf(b);
		return dmabuf;
	}
	pr_info("vcm-test: dma-buf exported %d pages (discontiguous): %zu chunks "
		"of 64K/16K/4K, %d physical breaks, %u adjacent allocations "
		"set aside\n", DB_PAGES, DB_CHUNKS, breaks, rejected);
	db_check(dev_a, breaks == DB_CHUNKS - 1,
		 "%d physical breaks between %zu chunks", breaks, DB_CHUNKS);
	return dmabuf;
}

/* ---- the masters ---- */

static int db_attach_master(struct db_master *m)
{
	int ret;

	m->domain = iommu_domain_alloc(&platform_bus_type);
	if (!m->domain)
		return -ENOMEM;
	ret = iommu_attach_device(m->domain, m->dev);
	if (ret) {
		iommu_domain_free(m->domain);
		m->domain = NULL;
	}
	return ret;
}

/* Every page of the buffer at iova, as the SMMU's V2P reports it */
static void db_check_v2p(struct db_master *m, unsigned long iova,
			 struct db_buf *b)
{
	int i, bad = 0;

	for (i = 0; i < DB_PAGES; i++) {
		unsigned long off = i * PAGE_SIZE + (i * 0x124 & ~PAGE_MASK);
		phys_addr_t pa = iommu_iova_to_phys(m->domain, iova + off);
		phys_addr_t want = page_to_phys(b->pages[i]) +
				   (off & ~PAGE_MASK);

		if (pa != want && !bad++)
			db_check(m->dev, false, "iova_to_phys(%#lx) = %pa, "
				 "want %pa", iova + off, &pa, &want);
	}
	db_check(m->dev, !bad, "%d pages misplaced at iova %#lx", bad, iova);
}

/* Device B copies the whole dma-buf into its buffer; 0 if DMA went ok */
static int db_b_copy(void)
{
	struct db_master *mb = &db.m[1];
	u32 st;

	memset(page_address(db.dst), 0, DB_SIZE);
	dma_sync_single_for_device(mb->dev, db.dst_dma, DB_SIZE,
				   DMA_FROM_DEVICE);
	st = vcm_dma_regs_op(mb->regs, 0, DB_IOVA_B, DB_IOVA_B_DST, DB_SIZE);
	dma_sync_single_for_cpu(mb->dev, db.dst_dma, DB_SIZE, DMA_FROM_DEVICE);
	if (!db_check(mb->dev, st == VDMA_ST_DONE, "B copy status %#x, "
		      "fault addr %#x", st, readl(mb->regs + VDMA_FAULT_ADDR)))
		return -EIO;
	return 0;
}

/* Bytes of B's copy that differ from want(offset); the first is logged */
static unsigned int db_compare(const char *what, u32 seed, bool fill)
{
	const u8 *p = page_address(db.dst);
	unsigned int i, bad = 0;

	for (i = 0; i < DB_SIZE; i++) {
		u8 want = fill ? DB_FILL_WORD >> (8 * (i % 4)) :
				 vcm_test_pattern(i, seed);

		if (p[i] != want && !bad++)
			dev_err(db.m[1].dev, "vcm-test: FAIL dma-buf %s: byte "
				"%#x is %#04x, want %#04x\n", what, i, p[i],
				want);
	}
	if (bad) {
		db.failures++;
		dev_err(db.m[1].dev, "vcm-test: FAIL dma-buf %s: %u of %u "
			"bytes wrong\n", what, bad, DB_SIZE);
	}
	return bad;
}

/* Master A writes the buffer twice, B copies it each time, CPU checks */
static void db_a_fill_b_copy(void)
{
	struct db_master *ma = &db.m[0];
	u8 *src = page_address(db.src);
	int failures = db.failures;
	u32 st;
	int i;

	/* 1: a FILL of the whole buffer through A's IOVA */
	writel(DB_FILL_WORD, ma->regs + VDMA_PATTERN);
	st = vcm_dma_regs_op(ma->regs, VDMA_CTRL_FILL, 0, DB_IOVA_A, DB_SIZE);
	db_check(ma->dev, st == VDMA_ST_DONE, "A fill status %#x, fault "
		 "addr %#x", st, readl(ma->regs + VDMA_FAULT_ADDR));
	if (st == VDMA_ST_DONE && !db_b_copy())
		db_compare("A FILL -> B copy", 0, true);

	/* 2: A copies an address-dependent pattern from its own buffer */
	for (i = 0; i < DB_SIZE; i++)
		src[i] = vcm_test_pattern(i, VCM_TEST_SEED_DEVICE);
	dma_sync_single_for_device(ma->dev, db.src_dma, DB_SIZE,
				   DMA_TO_DEVICE);
	st = vcm_dma_regs_op(ma->regs, 0, DB_IOVA_A_SRC, DB_IOVA_A, DB_SIZE);
	db_check(ma->dev, st == VDMA_ST_DONE, "A copy status %#x, fault "
		 "addr %#x", st, readl(ma->regs + VDMA_FAULT_ADDR));
	if (st == VDMA_ST_DONE && !db_b_copy())
		db_compare("A pattern -> B copy", VCM_TEST_SEED_DEVICE, false);

	if (db.failures == failures)
		pr_info("vcm-test: dma-buf A fill -> B copy ok (%u bytes, "
			"%s -> %s)\n", DB_SIZE, dev_name(ma->dev),
			dev_name(db.m[1].dev));
}

/* A private, contiguous buffer of master m at iova */
static struct page *db_private(struct db_master *m, unsigned long iova,
			       enum dma_data_direction dir, dma_addr_t *dma,
			       bool *mapped)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, DB_ORDER);

	if (!p)
		return NULL;
	*dma = dma_map_page(m->dev, p, 0, DB_SIZE, dir);
	if (dma_mapping_error(m->dev, *dma)) {
		__free_pages(p, DB_ORDER);
		return NULL;
	}
	*mapped = !vcm_map(m->domain, iova, page_to_phys(p), DB_SIZE);
	return p;
}

/* ---- /dev/vcm_test ---- */

static long db_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct vcm_test_dmabuf out = { .size = DB_SIZE };
	long ret = 0;
	u32 seed;

	switch (cmd) {
	case VCM_TEST_IOC_GET_DMABUF:
		get_dma_buf(db.dmabuf);
		out.fd = dma_buf_fd(db.dmabuf, O_CLOEXEC);
		if (out.fd < 0) {
			dma_buf_put(db.dmabuf);
			return out.fd;
		}
		/* on a fault the fd stays installed, like other exporters */
		if (copy_to_user((void __user *)arg, &out, sizeof(out)))
			return -EFAULT;
		return 0;
	case VCM_TEST_IOC_CHECK:
		if (get_user(seed, (u32 __user *)arg))
			return -EFAULT;
		mutex_lock(&db.lock);
		ret = db_b_copy();
		if (!ret && db_compare("user write -> B copy", seed, false))
			ret = -EIO;
		if (!ret)
			pr_info("vcm-test: dma-buf user write -> B copy ok "
				"(seed %#x)\n", seed);
		mutex_unlock(&db.lock);
		return ret;
	}
	return -ENOTTY;
}

static const struct file_operations db_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = db_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice db_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VCM_TEST_DEVNAME,
	.fops = &db_fops,
};

/* ---- the test ---- */

void vcm_dmabuf_run(void)
{
	struct db_master *ma = &db.m[0], *mb = &db.m[1];
	struct scatterlist *sg;
	dma_addr_t dma0;
	phys_addr_t pa0;
	ssize_t mapped;
	int ret;

	if (db.nmasters < 2) {
		pr_info("vcm-test: dma-buf test skipped (%d vcm-dma device%s "
			"behind an iommu, needs 2)\n", db.nmasters,
			db.nmasters == 1 ? "" : "s");
		return;
	}
	ret = db_attach_master(ma);
	if (!ret)
		ret = db_attach_master(mb);
	if (!db_check(ret ? mb->dev : ma->dev, !ret, "attach %d", ret))
		goto out;

	db.dmabuf = db_export(ma->dev);
	if (!db_check(ma->dev, !IS_ERR(db.dmabuf), "export %ld",
		      PTR_ERR(db.dmabuf))) {
		db.dmabuf = NULL;
		goto out;
	}

	/* A: the exporter's own pages, chunk by chunk, with iommu_map */
	{
		struct db_buf *b = db.dmabuf->priv;
		unsigned long iova = DB_IOVA_A;
		int i;

		for (i = 0; i < DB_CHUNKS; i++) {
			ret = vcm_map(ma->domain, iova,
				      page_to_phys(b->chunk[i]),
				      PAGE_SIZE << db_orders[i]);
			if (ret)
				break;
			iova += PAGE_SIZE << db_orders[i];
		}
		if (!db_check(ma->dev, !ret, "A iommu_map %d", ret)) {
			if (iova > DB_IOVA_A)
				iommu_unmap(ma->domain, DB_IOVA_A,
					    iova - DB_IOVA_A);
			goto out;
		}
		db.a_mapped = true;
		db_check_v2p(ma, DB_IOVA_A, b);
		dev_info(ma->dev, "vcm-test: dma-buf mapped by exporter %s at "
			 "iova %#lx\n", dev_name(ma->dev), DB_IOVA_A);
	}

	/* B: import through the dma-buf API, map the sg with iommu_map_sg */
	db.b_att = dma_buf_attach(db.dmabuf, mb->dev);
	if (!db_check(mb->dev, !IS_ERR(db.b_att), "attach %ld",
		      PTR_ERR(db.b_att))) {
		db.b_att = NULL;
		goto out;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	db.b_sgt = dma_buf_map_attachment_unlocked(db.b_att, DMA_TO_DEVICE);
#else
	db.b_sgt = dma_buf_map_attachment(db.b_att, DMA_TO_DEVICE);
#endif
	if (!db_check(mb->dev, !IS_ERR(db.b_sgt), "map attachment %ld",
		      PTR_ERR(db.b_sgt))) {
		db.b_sgt = NULL;
		goto out;
	}
	/* direct-mapped DMA API: dma address == physical address */
	sg = db.b_sgt->sgl;
	dma0 = sg_dma_address(sg);
	pa0 = sg_phys(sg);
	db_check(mb->dev, dma0 == pa0, "sg dma address %pad != phys %pa",
		 &dma0, &pa0);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	mapped = iommu_map_sg(mb->domain, DB_IOVA_B, db.b_sgt->sgl,
			      db.b_sgt->orig_nents, IOMMU_READ, GFP_KERNEL);
#else
	mapped = iommu_map_sg(mb->domain, DB_IOVA_B, db.b_sgt->sgl,
			      db.b_sgt->orig_nents, IOMMU_READ);
#endif
	if (!db_check(mb->dev, mapped == DB_SIZE, "iommu_map_sg %zd",
		      mapped))
		goto out;
	db.b_mapped = mapped;
	db_check_v2p(mb, DB_IOVA_B, db.dmabuf->priv);
	dev_info(mb->dev, "vcm-test: dma-buf imported by %s at iova %#lx "
		 "(%u sg entries, dma addr = phys)\n", dev_name(mb->dev),
		 DB_IOVA_B, db.b_sgt->orig_nents);

	/* the masters' own buffers */
	db.src = db_private(ma, DB_IOVA_A_SRC, DMA_TO_DEVICE, &db.src_dma,
			    &db.src_iova);
	db.dst = db_private(mb, DB_IOVA_B_DST, DMA_FROM_DEVICE, &db.dst_dma,
			    &db.dst_iova);
	if (!db_check(ma->dev, db.src && db.dst && db.src_iova && db.dst_iova,
		      "private buffers"))
		goto out;

	db_a_fill_b_copy();

	ret = misc_register(&db_misc);
	db.misc = !ret;
	db_check(ma->dev, !ret, "misc_register %d", ret);
out:
	pr_info("vcm-test: dma-buf %s (%d failures)\n",
		db.failures ? "FAILED" : "all passed", db.failures);
}

void vcm_dmabuf_exit(void)
{
	struct db_master *ma = &db.m[0], *mb = &db.m[1];

	if (db.misc)
		misc_deregister(&db_misc);
	if (db.dst_iova)
		iommu_unmap(mb->domain, DB_IOVA_B_DST, DB_SIZE);
	if (db.dst) {
		dma_unmap_page(mb->dev, db.dst_dma, DB_SIZE, DMA_FROM_DEVICE);
		__free_pages(db.dst, DB_ORDER);
	}
	if (db.src_iova)
		iommu_unmap(ma->domain, DB_IOVA_A_SRC, DB_SIZE);
	if (db.src) {
		dma_unmap_page(ma->dev, db.src_dma, DB_SIZE, DMA_TO_DEVICE);
		__free_pages(db.src, DB_ORDER);
	}
	if (db.b_mapped)
		iommu_unmap(mb->domain, DB_IOVA_B, db.b_mapped);
	if (db.b_sgt)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
		dma_buf_unmap_attachment_unlocked(db.b_att, db.b_sgt,
						  DMA_TO_DEVICE);
#else
		dma_buf_unmap_attachment(db.b_att, db.b_sgt, DMA_TO_DEVICE);
#endif
	if (db.b_att)
		dma_buf_detach(db.dmabuf, db.b_att);
	if (db.a_mapped)
		iommu_unmap(ma->domain, DB_IOVA_A, DB_SIZE);
	if (db.dmabuf)
		dma_buf_put(db.dmabuf);
	if (mb->domain) {
		iommu_detach_device(mb->domain, mb->dev);
		iommu_domain_free(mb->domain);
	}
	if (ma->domain) {
		iommu_detach_device(ma->domain, ma->dev);
		iommu_domain_free(ma->domain);
	}
}
