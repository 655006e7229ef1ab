/*
 * pasr-ddr: the lost map of the check-lost sanitizer (docs/specs/
 * pasr-ddr.rst section 6.7). Pure logic, no device plumbing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One PASRLostPage per 4 KiB of DRAM, allocated at the first loss. A
 * wholly lost page needs no bitmap; the bitmap of a page is made when
 * a loss or a write first covers it partly and freed when the page is
 * clean or wholly lost again, so memory follows the partly rewritten
 * pages only.
 */

#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "hw/pasr-ddr/pasr-lost-map.h"

void pasr_lost_map_init(PASRLostMap *m, uint64_t size)
{
    *m = (PASRLostMap) {
        .size = size,
        .npages = DIV_ROUND_UP(size, PASR_LOST_PAGE_SIZE),
    };
}

void pasr_lost_map_clear(PASRLostMap *m)
{
    if (!m->pages) {
        return;
    }
    for (uint64_t i = 0; i < m->npages && m->lost_pages; i++) {
        PASRLostPage *p = &m->pages[i];

        if (p->bytes) {
            g_clear_pointer(&p->bits, g_free);
            p->bytes = 0;
            m->lost_pages--;
        }
    }
    m->lost_bytes = 0;
}

void pasr_lost_map_destroy(PASRLostMap *m)
{
    pasr_lost_map_clear(m);
    g_clear_pointer(&m->pages, g_free);
}

/* The bytes of page @i that [@off, @off + @len) covers: [*a, *b) */
static void pasr_lost_span(uint64_t i, uint64_t off, uint64_t len,
                           unsigned *a, unsigned *b)
{
    uint64_t ps = i << PASR_LOST_PAGE_BITS;

    *a = MAX(off, ps) - ps;
    *b = MIN(off + len, ps + PASR_LOST_PAGE_SIZE) - ps;
}

static void pasr_lost_set_bytes(PASRLostMap *m, PASRLostPage *p,
                                uint32_t bytes)
{
    m->lost_bytes = m->lost_bytes + bytes - p->bytes;
    if (!p->bytes && bytes) {
        m->lost_pages++;
    } else if (p->bytes && !bytes) {
        m->lost_pages--;
    }
    if (!bytes || bytes == PASR_LOST_PAGE_SIZE) {
        g_clear_pointer(&p->bits, g_free);
    }
    p->bytes = bytes;
}

void pasr_lost_map_lose(PASRLostMap *m, uint64_t off, uint64_t len,
                        uint32_t exit)
{
    if (off >= m->size || !len) {
        return;
    }
    len = MIN(len, m->size - off);
    if (!m->pages) {
        m->pages = g_new0(PASRLostPage, m->npages);
    }
    for (uint64_t i = off >> PASR_LOST_PAGE_BITS;
         i <= (off + len - 1) >> PASR_LOST_PAGE_BITS; i++) {
        PASRLostPage *p = &m->pages[i];
        unsigned a, b;

        pasr_lost_span(i, off, len, &a, &b);
        p->exit = exit;
        if (b - a == PASR_LOST_PAGE_SIZE) {
            pasr_lost_set_bytes(m, p, PASR_LOST_PAGE_SIZE);
        } else if (p->bytes != PASR_LOST_PAGE_SIZE) {
            if (!p->bits) {
                p->bits = bitmap_new(PASR_LOST_PAGE_SIZE);
            }
            pasr_lost_set_bytes(m, p, p->bytes + (b - a) -
                                bitmap_count_one_with_offset(p->bits, a,
                                                             b - a));
            if (p->bits) {
                bitmap_set(p->bits, a, b - a);
            }
        }
    }
}

uint64_t pasr_lost_map_write(PASRLostMap *m, uint64_t off, uint64_t len)
{
    uint64_t cleaned = 0;

    if (!m->lost_pages || off >= m->size || !len) {
        return 0;
    }
    len = MIN(len, m->size - off);
    for (uint64_t i = off >> PASR_LOST_PAGE_BITS;
         i <= (off + len - 1) >> PASR_LOST_PAGE_BITS; i++) {
        PASRLostPage *p = &m->pages[i];
        unsigned a, b, n;

        if (!p->bytes) {
            continue;
        }
        pasr_lost_span(i, off, len, &a, &b);
        if (b - a < PASR_LOST_PAGE_SIZE && !p->bits) {
            p->bits = bitmap_new(PASR_LOST_PAGE_SIZE);
            bitmap_fill(p->bits, PASR_LOST_PAGE_SIZE);
        }
        n = p->bits ? bitmap_count_one_with_offset(p->bits, a, b - a)
                    : PASR_LOST_PAGE_SIZE;
        if (!n) {
            continue;
        }
        if (p->bits) {
            bitmap_clear(p->bits, a, b - a);
        }
        pasr_lost_set_bytes(m, p, p->bytes - n);
        cleaned += !p->bytes;
    }
    return cleaned;
}

bool pasr_lost_map_read(const PASRLostMap *m, uint64_t off, uint64_t len,
                        uint64_t *first, uint32_t *exit)
{
    if (!m->lost_pages || off >= m->size || !len) {
        return false;
    }
    len = MIN(len, m->size - off);
    for (uint64_t i = off >> PASR_LOST_PAGE_BITS;
         i <= (off + len - 1) >> PASR_LOST_PAGE_BITS; i++) {
        const PASRLostPage *p = &m->pages[i];
        unsigned a, b, bit;

        if (!p->bytes) {
            continue;
        }
        pasr_lost_span(i, off, len, &a, &b);
        bit = p->bits ? find_next_bit(p->bits, b, a) : a;
        if (bit < b) {
            *first = (i << PASR_LOST_PAGE_BITS) + bit;
            *exit = p->exit;
            return true;
        }
    }
    return false;
}

/*
 * Append [@off, @off + @len) of @exit, merged with the last run if it
 * ends there with the same exit.
 */
static void pasr_lost_append(GArray *runs, uint64_t off, uint64_t len,
                             uint32_t exit)
{
    PASRLostRun *last = runs->len ?
        &g_array_index(runs, PASRLostRun, runs->len - 1) : NULL;
    PASRLostRun r = { .off = off, .len = len, .exit = exit };

    if (last && last->off + last->len == off && last->exit == exit) {
        last->len += len;
    } else {
        g_array_append_val(runs, r);
    }
}

GArray *pasr_lost_map_runs(const PASRLostMap *m, uint64_t from, uint64_t to)
{
    GArray *runs = g_array_new(false, false, sizeof(PASRLostRun));

    to = MIN(to, m->size);
    if (!m->lost_pages || from >= to) {
        return runs;
    }
    for (uint64_t i = from >> PASR_LOST_PAGE_BITS;
         i <= (to - 1) >> PASR_LOST_PAGE_BITS; i++) {
        const PASRLostPage *p = &m->pages[i];
        uint64_t ps = i << PASR_LOST_PAGE_BITS;
        unsigned a, b, lo, hi;

        if (!p->bytes) {
            continue;
        }
        pasr_lost_span(i, from, to - from, &a, &b);
        if (!p->bits) {
            pasr_lost_append(runs, ps + a, b - a, p->exit);
            continue;
        }
        for (lo = find_next_bit(p->bits, b, a); lo < b;
             lo = find_next_bit(p->bits, b, hi)) {
            hi = find_next_zero_bit(p->bits, b, lo);
            pasr_lost_append(runs, ps + lo, hi - lo, p->exit);
        }
    }
    return runs;
}

static int pasr_lost_cmp_u64(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

GArray *pasr_lost_map_page_runs(const PASRLostMap *m, unsigned max)
{
    GArray *runs = g_array_new(false, false, sizeof(PASRLostRun));
    g_autofree uint64_t *gaps = NULL;
    GArray *merged;
    uint64_t limit;

    for (uint64_t i = 0; m->lost_pages && i < m->npages; i++) {
        if (m->pages[i].bytes) {
            pasr_lost_append(runs, i << PASR_LOST_PAGE_BITS,
                             PASR_LOST_PAGE_SIZE, 0);
        }
    }
    if (runs->len <= max || !max) {
        return runs;
    }
    /* bridge the runs->len - max smallest gaps (and any as small) */
    gaps = g_new(uint64_t, runs->len - 1);
    for (guint i = 1; i < runs->len; i++) {
        const PASRLostRun *prev = &g_array_index(runs, PASRLostRun, i - 1);

        gaps[i - 1] = g_array_index(runs, PASRLostRun, i).off -
                      (prev->off + prev->len);
    }
    qsort(gaps, runs->len - 1, sizeof(*gaps), pasr_lost_cmp_u64);
    limit = gaps[runs->len - max - 1];
    merged = g_array_new(false, false, sizeof(PASRLostRun));
    for (guint i = 0; i < runs->len; i++) {
        const PASRLostRun *r = &g_array_index(runs, PASRLostRun, i);
        PASRLostRun *last = merged->len ?
            &g_array_index(merged, PASRLostRun, merged->len - 1) : NULL;

        if (last && r->off - (last->off + last->len) <= limit) {
            last->len = r->off + r->len - last->off;
        } else {
            g_array_append_val(merged, *r);
        }
    }
    g_array_free(runs, true);
    return merged;
}
