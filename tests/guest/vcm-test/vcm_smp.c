// SPDX-License-Identifier: GPL-2.0
/*
 * vcm_smp: the soak spread over the CPUs. With smp_threads=N, once every
 * vcm-dma master has probed, each master gets an IOMMU domain of its own
 * and N kernel threads, one bound to each online CPU in turn, run
 * smp_cycles cycles each: map a random block at a random IOVA, DMA-fill
 * it, check it, DMA-copy it to a second mapping, check that, unmap both.
 * A thread takes the masters in turn, cycle by cycle, so both SMMUs see
 * maps, unmaps (the driver's TLB invalidations) and DMA from several CPUs
 * at once. Each thread has its own buffers and its own IOVA windows; one
 * master's registers are programmed by one thread at a time (the engine
 * runs one transfer), the mappings are not serialised.
 */

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "vcm_test.h"

static unsigned int smp_threads;
module_param(smp_threads, uint, 0444);
MODULE_PARM_DESC(smp_threads, "soak threads over the CPUs (0: none)");

static unsigned int smp_cycles = 1000;
module_param(smp_cycles, uint, 0444);
MODULE_PARM_DESC(smp_cycles, "cycles per soak thread");

#define SMP_MAX_MASTERS	2
#define SMP_MAX_THREADS	8
/* Each thread's two windows: 128 MiB at A and B + id * 128 MiB */
#define SMP_IOVA_A	0x20000000UL
#define SMP_IOVA_B	0x60000000UL
#define SMP_WINDOW	SZ_128M

struct smp_master {
	struct device *dev;
	void __iomem *regs;
	struct iommu_domain *domain;
	struct mutex engine;	/* one transfer at a time */
};

struct smp_block {
	struct page *page;
	phys_addr_t pa;
	size_t size;
};

struct smp_worker {
	unsigned int id, cpu, cycles, errors;
	unsigned int per_master[SMP_MAX_MASTERS];
	struct smp_block blocks[3];
	struct completion done;
};

static struct smp_master smp_m[SMP_MAX_MASTERS];
static int smp_n;

void vcm_smp_add_master(struct device *dev, void __iomem *regs)
{
	if (smp_n < SMP_MAX_MASTERS) {
		smp_m[smp_n].dev = dev;
		smp_m[smp_n].regs = regs;
		smp_n++;
	}
}

static u32 smp_op(struct smp_master *m, u32 op, u32 pattern,
		  unsigned long src, unsigned long dst, u32 len)
{
	u32 st;

	mutex_lock(&m->engine);
	writel(pattern, m->regs + VDMA_PATTERN);
	st = vcm_dma_regs_op(m->regs, op, src, dst, len);
	mutex_unlock(&m->engine);
	return st;
}

/* 0, or the first word of @b that does not hold @pattern, plus one */
static size_t smp_verify(const struct smp_block *b, size_t len, u32 pattern)
{
	const u32 *p = page_address(b->page);
	size_t w;

	for (w = 0; w < len / 4; w++)
		if (p[w] != pattern)
			return w + 1;
	return 0;
}

static int smp_worker_fn(void *arg)
{
	struct smp_worker *w = arg;
	unsigned int i;

	for (i = 0; i < smp_cycles && !w->errors; i++) {
		unsigned int mi = (w->id + i) % smp_n;
		struct smp_master *m = &smp_m[mi];
		u32 r = get_random_u32(), pattern = get_random_u32(), st;
		struct smp_block *a = &w->blocks[r % 3];
		struct smp_block *b = &w->blocks[(r % 3 + 1 + (r >> 2) % 2) % 3];
		size_t len = min(a->size, b->size), bad = 0;
		unsigned long ia = SMP_IOVA_A + w->id * SMP_WINDOW +
				   ((r >> 4) & 0x7ff) * SZ_64K;
		unsigned long ib = SMP_IOVA_B + w->id * SMP_WINDOW +
				   ((r >> 15) & 0x7ff) * SZ_64K;

		ia = ALIGN_DOWN(ia, a->size);
		ib = ALIGN_DOWN(ib, b->size);
		if (vcm_map(m->domain, ia, a->pa, a->size) ||
		    vcm_map(m->domain, ib, b->pa, b->size)) {
			w->errors++;
			pr_err("vcm-test: FAIL smp thread %u cycle %u: map\n",
			       w->id, i);
			break;
		}
		st = smp_op(m, VDMA_CTRL_FILL, pattern, 0, ia, a->size);
		if (st == VDMA_ST_DONE)
			bad = smp_verify(a, a->size, pattern);
		if (st == VDMA_ST_DONE && !bad)
			st = smp_op(m, 0, 0, ia, ib, len);
		if (st == VDMA_ST_DONE && !bad)
			bad = smp_verify(b, len, pattern);
		if (st != VDMA_ST_DONE || bad) {
			w->errors++;
			dev_err(m->dev, "vcm-test: FAIL smp thread %u cycle %u: "
				"iova %#lx (%zu) -> %#lx, status %#x, word %zu "
				"wrong\n", w->id, i, ia, a->size, ib, st,
				bad ? bad - 1 : 0);
		}
		iommu_unmap(m->domain, ia, a->size);
		iommu_unmap(m->domain, ib, b->size);
		w->per_master[mi]++;
		w->cycles++;
	}
	w->cpu = raw_smp_processor_id();
	complete(&w->done);
	return 0;
}

static int smp_alloc_blocks(struct smp_worker *w)
{
	static const size_t sizes[] = { SZ_4K, SZ_64K, SZ_1M };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		w->blocks[i].size = sizes[i];
		w->blocks[i].page = alloc_pages(GFP_KERNEL | __GFP_ZERO,
						get_order(sizes[i]));
		if (!w->blocks[i].page)
			return -ENOMEM;
		w->blocks[i].pa = page_to_phys(w->blocks[i].page);
	}
	return 0;
}

static void smp_free_blocks(struct smp_worker *w)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(w->blocks); i++)
		if (w->blocks[i].page)
			__free_pages(w->blocks[i].page,
				     get_order(w->blocks[i].size));
}

static int smp_attach(void)
{
	int i, ret;

	for (i = 0; i < smp_n; i++) {
		mutex_init(&smp_m[i].engine);
		smp_m[i].domain = iommu_domain_alloc(&platform_bus_type);
		if (!smp_m[i].domain)
			return -ENOMEM;
		ret = iommu_attach_device(smp_m[i].domain, smp_m[i].dev);
		if (ret) {
			iommu_domain_free(smp_m[i].domain);
			smp_m[i].domain = NULL;
			return ret;
		}
	}
	return 0;
}

static void smp_detach(void)
{
	int i;

	for (i = 0; i < smp_n; i++) {
		if (!smp_m[i].domain)
			continue;
		iommu_detach_device(smp_m[i].domain, smp_m[i].dev);
		iommu_domain_free(smp_m[i].domain);
		smp_m[i].domain = NULL;
	}
}

void vcm_smp_soak_run(void)
{
	unsigned int nalloc = min_t(unsigned int, smp_threads, SMP_MAX_THREADS);
	unsigned int n = nalloc, i, cycles = 0, errors = 0, cpu = 0;
	struct smp_worker *w;
	cpumask_t used;
	ktime_t start;
	int ret;

	if (!n)
		return;
	w = kcalloc(n, sizeof(*w), GFP_KERNEL);
	ret = w ? smp_attach() : -ENOMEM;
	for (i = 0; !ret && i < n; i++)
		ret = smp_alloc_blocks(&w[i]);
	if (ret || !smp_n) {
		pr_err("vcm-test: FAIL smp soak: setup %d, %d masters\n", ret,
		       smp_n);
		goto out;
	}
	cpumask_clear(&used);
	start = ktime_get();
	for (i = 0; i < n; i++) {
		struct task_struct *task;

		w[i].id = i;
		init_completion(&w[i].done);
		task = kthread_create(smp_worker_fn, &w[i], "vcm-soak/%u", i);
		if (IS_ERR(task)) {
			pr_err("vcm-test: FAIL smp soak: thread %u: %ld\n", i,
			       PTR_ERR(task));
			n = i;
			break;
		}
		kthread_bind(task, cpu);
		wake_up_process(task);
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&w[i].done);
		pr_info("vcm-test: smp soak thread %u on cpu %u: %u cycles "
			"(%u on %s, %u on %s), %u data errors\n", i, w[i].cpu,
			w[i].cycles, w[i].per_master[0], dev_name(smp_m[0].dev),
			w[i].per_master[1],
			smp_n > 1 ? dev_name(smp_m[1].dev) : "-", w[i].errors);
		cpumask_set_cpu(w[i].cpu, &used);
		cycles += w[i].cycles;
		errors += w[i].errors;
	}
	pr_info("vcm-test: smp soak: %u threads on %u of %u cpus, %d masters: "
		"%u cycles, %u data errors, %lld ms\n", n, cpumask_weight(&used),
		num_online_cpus(), smp_n, cycles, errors,
		ktime_ms_delta(ktime_get(), start));
	if (!n || cycles != n * smp_cycles)
		pr_err("vcm-test: FAIL smp soak: %u of %u cycles\n", cycles,
		       n * smp_cycles);
out:
	smp_detach();
	for (i = 0; w && i < nalloc; i++)
		smp_free_blocks(&w[i]);
	kfree(w);
}
