// SPDX-License-Identifier: GPL-2.0
/*
 * Guest test of the PASR framework against QEMU's pasr-ddr controller.
 *
 * Does nothing unless loaded with run=1. Then it takes a large amount of
 * memory in blocks of the order PASR counts, fills it with a pattern that
 * depends on the address, gives back whole sections (every other section
 * group it owns completely), suspends the memory for suspend_ms (masked
 * sections lose their contents), and checks every byte it still owns.
 * With negative=1 it also forces the mask of a section it still owns: the
 * check must then find the corruption (the proof that it can fail). It
 * never reads memory it gave back unless peek=1, so that pasr-ddr's
 * check-lost sanitizer sees no read of lost memory in a correct run.
 *
 * Every result line starts with "pasr-test: "; the verdict is
 * "pasr-test: PASS" or "pasr-test: FAIL <why>".
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pasr.h>
#include <linux/slab.h>

static bool run;
module_param(run, bool, 0444);
MODULE_PARM_DESC(run, "run the test (default: do nothing)");

static bool negative;
module_param(negative, bool, 0444);
MODULE_PARM_DESC(negative, "also force the mask of a section the test still owns; the check must then fail");

static unsigned int mb = 384;
module_param(mb, uint, 0444);
MODULE_PARM_DESC(mb, "MiB to allocate (default 384)");

static bool peek;
module_param(peek, bool, 0444);
MODULE_PARM_DESC(peek, "after the suspend, read a word of memory the test gave back (a PASR bug on purpose: the controller's check-lost reports it)");

static bool zero_check;
module_param(zero_check, bool, 0444);
MODULE_PARM_DESC(zero_check, "at the end, allocate as many blocks again with __GFP_ZERO and count those not zero (init_on_free=1 skips that zeroing)");

static unsigned int suspend_ms = 200;
module_param(suspend_ms, uint, 0444);
MODULE_PARM_DESC(suspend_ms, "length of the suspend, ms (default 200)");

#define BLOCK_BYTES	(PAGE_SIZE << PASR_BLOCK_ORDER)
#define BLOCK_PAGES	(1UL << PASR_BLOCK_ORDER)
/* pasr-ddr's default poison: every 64-bit word is this ^ its address */
#define POISON_MAGIC	0x5041535250534E00ULL

struct block {
	struct page *page;
	phys_addr_t phys;
	bool freed;
};

static struct pasr_info info;

static u64 pattern(u64 addr)
{
	return (addr * 0x9E3779B97F4A7C15ULL) ^ (addr >> 13) ^ 0x7E57C0DEULL;
}

static void fill_block(const struct block *b)
{
	unsigned long i, w;

	for (i = 0; i < BLOCK_PAGES; i++) {
		u64 addr = b->phys + i * PAGE_SIZE;
		u64 *p = kmap_local_page(b->page + i);

		for (w = 0; w < PAGE_SIZE / 8; w++)
			p[w] = pattern(addr + w * 8);
		kunmap_local(p);
	}
}

struct damage {
	unsigned long bad_words, poison_words, bad_blocks;
	unsigned int reported;
};

/* Compare every word of a block; report the first bad one of the block */
static void check_block(const struct block *b, struct damage *d)
{
	unsigned long i, w, bad = 0;

	for (i = 0; i < BLOCK_PAGES; i++) {
		u64 addr = b->phys + i * PAGE_SIZE;
		u64 *p = kmap_local_page(b->page + i);

		for (w = 0; w < PAGE_SIZE / 8; w++) {
			u64 a = addr + w * 8, v = p[w];

			if (likely(v == pattern(a)))
				continue;
			if ((v ^ a) == POISON_MAGIC)
				d->poison_words++;
			if (!bad++ && d->reported++ < 4)
				pr_info("pasr-test: corruption detected in owned memory at 0x%llx: read 0x%016llx, wrote 0x%016llx%s\n",
					a, v, pattern(a),
					(v ^ a) == POISON_MAGIC ?
					" (the controller's poison)" : "");
		}
		kunmap_local(p);
	}
	if (bad) {
		d->bad_words += bad;
		d->bad_blocks++;
	}
}

static unsigned int section_of(phys_addr_t addr)
{
	if (addr < info.base)
		return UINT_MAX;
	addr = (addr - info.base) >> info.section_shift;
	return addr < info.nr_sections ? addr : UINT_MAX;
}

/*
 * zero_check=1: take @n blocks again with __GFP_ZERO, count the blocks
 * and words that are not zero. The allocator zeroes them, unless
 * init_on_free=1, where it trusts that free pages were zeroed when freed:
 * then pages whose refresh PASR switched off come back holding whatever
 * self-refresh left in them.
 */
static void pasr_test_zero_check(struct block *blocks, unsigned int n)
{
	unsigned long i, w, p, dirty_blocks = 0, words = 0, poison = 0;

	for (i = 0; i < n; i++) {
		bool dirty = false;

		blocks[i].page = alloc_pages(GFP_HIGHUSER | __GFP_ZERO |
					     __GFP_NOWARN | __GFP_NORETRY,
					     PASR_BLOCK_ORDER);
		if (!blocks[i].page)
			break;
		blocks[i].phys = page_to_phys(blocks[i].page);
		for (p = 0; p < BLOCK_PAGES; p++) {
			u64 addr = blocks[i].phys + p * PAGE_SIZE;
			u64 *v = kmap_local_page(blocks[i].page + p);

			for (w = 0; w < PAGE_SIZE / 8; w++) {
				if (!v[w])
					continue;
				words++;
				dirty = true;
				poison += (v[w] ^ (addr + w * 8)) == POISON_MAGIC;
			}
			kunmap_local(v);
		}
		dirty_blocks += dirty;
		cond_resched();
	}
	pr_info("pasr-test: zero check: %lu of %lu __GFP_ZERO blocks not zero, %lu words (%lu of the controller's poison)\n",
		dirty_blocks, i, words, poison);
	while (i--)
		__free_pages(blocks[i].page, PASR_BLOCK_ORDER);
}

static void pasr_test_run(void)
{
	unsigned long owned[PASR_MAX_SECTIONS] = { 0 };
	unsigned long section_size, kept = 0, freed_bytes = 0;
	unsigned int nr, n = 0, i, g, complete = 0, freed_groups = 0;
	u32 free_groups = 0, forced_group = 0, rep_units = 0;
	struct pasr_suspend_report rep;
	phys_addr_t forced_addr = 0, peek_addr = 0;
	struct damage d = { 0 };
	struct block *blocks;
	char line[160];
	bool fail = false;
	int ret, len;

	if (pasr_get_info(&info)) {
		pr_info("pasr-test: FAIL no PASR controller registered\n");
		return;
	}
	section_size = 1UL << info.section_shift;
	pr_info("pasr-test: %u sections of %lu MiB at 0x%llx on %u chip selects, blocks of %lu KiB\n",
		info.nr_sections, section_size >> 20, (u64)info.base,
		info.nr_dies, BLOCK_BYTES >> 10);

	nr = ((u64)mb << 20) / BLOCK_BYTES;
	blocks = kcalloc(nr, sizeof(*blocks), GFP_KERNEL);
	if (!blocks) {
		pr_info("pasr-test: FAIL no memory for the block table\n");
		return;
	}
	for (n = 0; n < nr; n++) {
		struct page *page = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN |
						__GFP_NORETRY,
						PASR_BLOCK_ORDER);

		if (!page)
			break;
		blocks[n].page = page;
		blocks[n].phys = page_to_phys(page);
		fill_block(&blocks[n]);
		i = section_of(blocks[n].phys);
		if (i != UINT_MAX)
			owned[i] += BLOCK_BYTES;
		cond_resched();
	}
	pr_info("pasr-test: allocated and filled %lu MiB in %u blocks\n",
		n * BLOCK_BYTES >> 20, n);

	/*
	 * Groups of paired sections we own completely: give back every
	 * other one, keep the rest (negative=1 forces the mask of one kept).
	 */
	for (g = 0; g < info.nr_sections; g++) {
		bool whole = false;

		for (i = 0; i < info.nr_sections; i++) {
			if (info.section[i].group != g)
				continue;
			whole = owned[i] == section_size;
			if (!whole)
				break;
		}
		if (!whole)
			continue;
		if (complete++ % 2 == 0) {
			free_groups |= BIT(g);
			freed_groups++;
		} else if (!forced_group) {
			forced_group = BIT(g);
		}
	}
	if (!freed_groups || (negative && !forced_group)) {
		pr_info("pasr-test: FAIL owns only %u whole section groups\n",
			complete);
		goto out;
	}
	for (i = 0; i < n; i++) {
		unsigned int s = section_of(blocks[i].phys);

		if (s != UINT_MAX && (free_groups & BIT(info.section[s].group))) {
			__free_pages(blocks[i].page, PASR_BLOCK_ORDER);
			blocks[i].freed = true;
			freed_bytes += BLOCK_BYTES;
			if (!peek_addr)
				peek_addr = blocks[i].phys;
		} else {
			kept += BLOCK_BYTES;
		}
	}
	pr_info("pasr-test: gave back %lu MiB (%u of %u whole section groups), kept %lu MiB\n",
		freed_bytes >> 20, freed_groups, complete, kept >> 20);

	if (negative) {
		for (i = 0; i < info.nr_sections; i++)
			if (BIT(info.section[i].group) & forced_group)
				break;
		forced_addr = info.section[i].start;
		pr_info("pasr-test: negative: forcing the mask of owned section 0x%llx (0x%llx-0x%llx)\n",
			(u64)forced_addr, (u64)forced_addr,
			(u64)forced_addr + section_size - 1);
		if (pasr_debug_force_mask(forced_addr, true)) {
			pr_info("pasr-test: FAIL cannot force a mask\n");
			goto out;
		}
	}

	ret = pasr_suspend(suspend_ms, &rep);
	if (negative)
		pasr_debug_force_mask(forced_addr, false);
	if (ret) {
		pr_info("pasr-test: FAIL suspend: %d\n", ret);
		goto out;
	}

	/* What the controller was told and what it says happened */
	pasr_get_info(&info);
	for (i = 0; i < info.nr_dies; i++)
		rep_units |= (u32)rep.mask[i] << (i * PASR_UNITS_PER_DIE);
	len = scnprintf(line, sizeof(line), "pasr-test: masked sections:");
	for (i = 0; i < info.nr_sections; i++) {
		bool masked = (info.section[i].units & rep_units) ==
			      info.section[i].units;

		if (masked)
			len += scnprintf(line + len, sizeof(line) - len,
					 " 0x%llx", (u64)info.section[i].start);
		if (!masked && (free_groups & BIT(info.section[i].group))) {
			pr_info("pasr-test: FAIL given-back section 0x%llx was not masked\n",
				(u64)info.section[i].start);
			fail = true;
		}
	}
	pr_info("%s\n", line);
	for (i = 0; i < info.nr_dies; i++) {
		bool lost = rep.lost_dies & BIT(i);

		pr_info("pasr-test: CS%u mask 0x%02x%s\n", i, rep.mask[i],
			lost ? ", DATA_LOST" : "");
		if (lost)
			pr_info("pasr-test: DATA_LOST on CS%u\n", i);
		if (lost != !!rep.mask[i]) {
			pr_info("pasr-test: FAIL CS%u DATA_LOST %d with mask 0x%02x\n",
				i, lost, rep.mask[i]);
			fail = true;
		}
	}
	pr_info("pasr-test: suspended %u ms: loss count +%u, %llu uJ in self-refresh, %llu uJ fully refreshed\n",
		rep.ms, rep.loss_count, rep.energy_uj, rep.energy_full_uj);
	if (rep.energy_uj >= rep.energy_full_uj) {
		pr_info("pasr-test: FAIL masks saved no self-refresh energy\n");
		fail = true;
	}

	/*
	 * peek=1: a given-back block should now hold the poison. Reading it
	 * is what PASR code must never do, and check-lost says so.
	 */
	if (peek && peek_addr) {
		u64 *p = kmap_local_page(pfn_to_page(PHYS_PFN(peek_addr)));
		u64 v = p[0];

		kunmap_local(p);
		pr_info("pasr-test: given-back memory at 0x%llx reads 0x%016llx%s\n",
			(u64)peek_addr, v, (v ^ peek_addr) == POISON_MAGIC ?
			" (the controller's poison: its refresh was off)" : "");
	}

	for (i = 0; i < n; i++) {
		if (!blocks[i].freed)
			check_block(&blocks[i], &d);
		cond_resched();
	}
	if (d.bad_words) {
		pr_info("pasr-test: %lu bytes of owned memory corrupted in %lu blocks (%lu words hold the poison)\n",
			d.bad_words * 8, d.bad_blocks, d.poison_words);
		pr_info("pasr-test: FAIL owned memory corrupted%s\n",
			negative ? " (expected: negative=1 forced a mask)" : "");
	} else {
		pr_info("pasr-test: kept %lu MiB intact\n", kept >> 20);
		if (negative)
			pr_info("pasr-test: FAIL negative run: the forced mask of 0x%llx went unnoticed\n",
				(u64)forced_addr);
		else if (!fail)
			pr_info("pasr-test: PASS\n");
	}
out:
	for (i = 0; i < n; i++)
		if (!blocks[i].freed)
			__free_pages(blocks[i].page, PASR_BLOCK_ORDER);
	if (zero_check)
		pasr_test_zero_check(blocks, n);
	kfree(blocks);
}

static int __init pasr_test_init(void)
{
	if (run)
		pasr_test_run();
	return 0;
}

static void __exit pasr_test_exit(void)
{
}

module_init(pasr_test_init);
module_exit(pasr_test_exit);
MODULE_DESCRIPTION("PASR guest test for QEMU pasr-ddr");
MODULE_LICENSE("GPL");
