/*
 * The lost map of pasr-ddr's check-lost sanitizer: which bytes of the
 * DRAM a self-refresh exit destroyed and the guest has not written since
 * (docs/specs/pasr-ddr.rst section 6.7). Pure logic, no device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The map is kept per 4 KiB page, the granule at which a CPU's TLB can
 * tell RAM from I/O: a page is clean, wholly lost, or partly lost with a
 * bitmap of its lost bytes. A write clears the bytes it covers; a page
 * whose last lost byte is written becomes clean.
 */

#ifndef HW_PASR_DDR_PASR_LOST_MAP_H
#define HW_PASR_DDR_PASR_LOST_MAP_H

#define PASR_LOST_PAGE_BITS     12
#define PASR_LOST_PAGE_SIZE     (1u << PASR_LOST_PAGE_BITS)

typedef struct PASRLostPage {
    uint32_t bytes;             /* lost bytes left; 0: the page is clean */
    uint32_t exit;              /* the newest loss (LOSS_COUNT) in it */
    unsigned long *bits;        /* the lost bytes; NULL: all of them */
} PASRLostPage;

typedef struct PASRLostMap {
    uint64_t size;              /* bytes the map covers */
    uint64_t npages;
    PASRLostPage *pages;        /* NULL until the first loss */
    uint64_t lost_pages;        /* pages with lost bytes */
    uint64_t lost_bytes;
} PASRLostMap;

/* A run of lost bytes (or of pages), all lost by exit @exit */
typedef struct PASRLostRun {
    uint64_t off;
    uint64_t len;
    uint32_t exit;
} PASRLostRun;

void pasr_lost_map_init(PASRLostMap *m, uint64_t size);
void pasr_lost_map_destroy(PASRLostMap *m);

/* Forget every loss. */
void pasr_lost_map_clear(PASRLostMap *m);

/* Exit @exit destroyed [@off, @off + @len). */
void pasr_lost_map_lose(PASRLostMap *m, uint64_t off, uint64_t len,
                        uint32_t exit);

/*
 * The guest wrote [@off, @off + @len): those bytes hold data again.
 * Returns how many pages became clean.
 */
uint64_t pasr_lost_map_write(PASRLostMap *m, uint64_t off, uint64_t len);

/*
 * Does [@off, @off + @len) hold a lost byte? If so, *@first is the first
 * and *@exit the loss that reached its page.
 */
bool pasr_lost_map_read(const PASRLostMap *m, uint64_t off, uint64_t len,
                        uint64_t *first, uint32_t *exit);

/*
 * The lost bytes within [@from, @to), as coalesced runs split where the
 * exit changes: a GArray of PASRLostRun.
 */
GArray *pasr_lost_map_runs(const PASRLostMap *m, uint64_t from, uint64_t to);

/*
 * The pages holding lost bytes, as at most @max page-aligned runs: when
 * there are more, the smallest gaps between them are bridged (clean pages
 * inside a run stay covered). A GArray of PASRLostRun; exit is 0.
 */
GArray *pasr_lost_map_page_runs(const PASRLostMap *m, unsigned max);

#endif
