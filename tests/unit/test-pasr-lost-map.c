/*
 * Unit tests of pasr-ddr's lost map (hw/pasr-ddr/pasr-lost-map.c): what
 * a loss marks, what a write clears, which reads it reports, the runs it
 * hands to migration and the page runs the overlay covers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "hw/pasr-ddr/pasr-lost-map.h"

#define PAGE PASR_LOST_PAGE_SIZE

static void assert_runs(GArray *runs, const PASRLostRun *want, guint n)
{
    g_assert_cmpuint(runs->len, ==, n);
    for (guint i = 0; i < n; i++) {
        PASRLostRun *r = &g_array_index(runs, PASRLostRun, i);

        g_assert_cmphex(r->off, ==, want[i].off);
        g_assert_cmphex(r->len, ==, want[i].len);
        g_assert_cmpuint(r->exit, ==, want[i].exit);
    }
    g_array_free(runs, true);
}

/* A whole-page loss needs no bitmap; a read anywhere in it reports. */
static void test_lose_read(void)
{
    PASRLostMap m;
    uint64_t first;
    uint32_t exit;

    pasr_lost_map_init(&m, 64 * MiB);
    g_assert_false(pasr_lost_map_read(&m, 0, 8, &first, &exit));
    pasr_lost_map_lose(&m, 2 * PAGE, 3 * PAGE, 7);
    g_assert_cmpuint(m.lost_pages, ==, 3);
    g_assert_cmpuint(m.lost_bytes, ==, 3 * PAGE);
    g_assert_null(m.pages[2].bits);
    g_assert_false(pasr_lost_map_read(&m, 2 * PAGE - 8, 8, &first, &exit));
    g_assert_true(pasr_lost_map_read(&m, 2 * PAGE - 4, 8, &first, &exit));
    g_assert_cmphex(first, ==, 2 * PAGE);
    g_assert_cmpuint(exit, ==, 7);
    g_assert_true(pasr_lost_map_read(&m, 5 * PAGE - 1, 1, &first, &exit));
    g_assert_false(pasr_lost_map_read(&m, 5 * PAGE, 4, &first, &exit));
    /* beyond the end: nothing, and no crash */
    g_assert_false(pasr_lost_map_read(&m, 64 * MiB, 4, &first, &exit));
    pasr_lost_map_lose(&m, 64 * MiB - 4, 1 * MiB, 8);
    g_assert_cmpuint(m.lost_bytes, ==, 3 * PAGE + 4);
    pasr_lost_map_destroy(&m);
}

/* A byte written is no longer lost; the last one makes the page clean. */
static void test_write_clears(void)
{
    PASRLostMap m;
    uint64_t first;
    uint32_t exit;

    pasr_lost_map_init(&m, 1 * MiB);
    pasr_lost_map_lose(&m, 0, 2 * PAGE, 1);
    g_assert_cmpuint(pasr_lost_map_write(&m, 4, 4), ==, 0);
    g_assert_nonnull(m.pages[0].bits);
    g_assert_cmpuint(m.lost_bytes, ==, 2 * PAGE - 4);
    g_assert_false(pasr_lost_map_read(&m, 4, 4, &first, &exit));
    g_assert_true(pasr_lost_map_read(&m, 2, 4, &first, &exit));
    g_assert_cmphex(first, ==, 2);
    g_assert_true(pasr_lost_map_read(&m, 6, 4, &first, &exit));
    g_assert_cmphex(first, ==, 8);
    /* writing the same bytes again changes nothing */
    g_assert_cmpuint(pasr_lost_map_write(&m, 4, 4), ==, 0);
    g_assert_cmpuint(m.lost_bytes, ==, 2 * PAGE - 4);
    /* the rest of page 0, byte by byte, then page 1 across the boundary */
    for (uint64_t a = 0; a < PAGE; a++) {
        uint64_t cleaned = pasr_lost_map_write(&m, a, 1);

        g_assert_cmpuint(cleaned, ==, a == PAGE - 1);
    }
    g_assert_null(m.pages[0].bits);
    g_assert_cmpuint(m.lost_pages, ==, 1);
    g_assert_cmpuint(pasr_lost_map_write(&m, PAGE - 4, PAGE + 8), ==, 1);
    g_assert_cmpuint(m.lost_pages, ==, 0);
    g_assert_cmpuint(m.lost_bytes, ==, 0);
    g_assert_false(pasr_lost_map_read(&m, 0, 8, &first, &exit));
    pasr_lost_map_destroy(&m);
}

/* Part of a page lost: only those bytes; a later exit names the page. */
static void test_partial_pages(void)
{
    PASRLostMap m;
    uint64_t first;
    uint32_t exit;

    pasr_lost_map_init(&m, 1 * MiB);
    pasr_lost_map_lose(&m, PAGE + 2048, 2048, 3);
    g_assert_cmpuint(m.lost_bytes, ==, 2048);
    g_assert_false(pasr_lost_map_read(&m, PAGE, 2048, &first, &exit));
    g_assert_true(pasr_lost_map_read(&m, PAGE, 2049, &first, &exit));
    g_assert_cmphex(first, ==, PAGE + 2048);
    pasr_lost_map_lose(&m, PAGE, 2048, 4);
    g_assert_cmpuint(m.lost_bytes, ==, PAGE);
    g_assert_null(m.pages[1].bits);         /* wholly lost again */
    g_assert_true(pasr_lost_map_read(&m, PAGE, 1, &first, &exit));
    g_assert_cmpuint(exit, ==, 4);
    pasr_lost_map_clear(&m);
    g_assert_cmpuint(m.lost_bytes, ==, 0);
    g_assert_false(pasr_lost_map_read(&m, PAGE, PAGE, &first, &exit));
    pasr_lost_map_destroy(&m);
}

/* The runs migration carries: exact bytes, split where the exit changes */
static void test_runs(void)
{
    PASRLostMap m, copy;
    GArray *runs;

    pasr_lost_map_init(&m, 1 * MiB);
    pasr_lost_map_lose(&m, 0, 3 * PAGE, 1);
    pasr_lost_map_lose(&m, 3 * PAGE, PAGE, 2);
    pasr_lost_map_write(&m, PAGE + 16, 32);
    runs = pasr_lost_map_runs(&m, 0, 1 * MiB);
    pasr_lost_map_init(&copy, 1 * MiB);
    for (guint i = 0; i < runs->len; i++) {
        PASRLostRun *r = &g_array_index(runs, PASRLostRun, i);

        pasr_lost_map_lose(&copy, r->off, r->len, r->exit);
    }
    assert_runs(runs, (PASRLostRun[]) {
        { 0, PAGE + 16, 1 }, { PAGE + 48, 2 * PAGE - 48, 1 },
        { 3 * PAGE, PAGE, 2 },
    }, 3);
    g_assert_cmpuint(copy.lost_bytes, ==, m.lost_bytes);
    /* a window of the map */
    assert_runs(pasr_lost_map_runs(&copy, PAGE, 3 * PAGE + 8),
                (PASRLostRun[]) {
        { PAGE, 16, 1 }, { PAGE + 48, 2 * PAGE - 48, 1 },
        { 3 * PAGE, 8, 2 },
    }, 3);
    pasr_lost_map_destroy(&m);
    pasr_lost_map_destroy(&copy);
}

/* Page runs for the overlay: coalesced, the smallest gaps bridged */
static void test_page_runs(void)
{
    PASRLostMap m;

    pasr_lost_map_init(&m, 1 * MiB);
    assert_runs(pasr_lost_map_page_runs(&m, 4), NULL, 0);
    pasr_lost_map_lose(&m, 0, 2 * PAGE, 1);             /* pages 0-1 */
    pasr_lost_map_lose(&m, 3 * PAGE + 5, 1, 1);         /* page 3 */
    pasr_lost_map_lose(&m, 10 * PAGE, PAGE, 1);         /* page 10 */
    pasr_lost_map_lose(&m, 20 * PAGE, PAGE, 1);         /* page 20 */
    assert_runs(pasr_lost_map_page_runs(&m, 4), (PASRLostRun[]) {
        { 0, 2 * PAGE }, { 3 * PAGE, PAGE }, { 10 * PAGE, PAGE },
        { 20 * PAGE, PAGE },
    }, 4);
    assert_runs(pasr_lost_map_page_runs(&m, 3), (PASRLostRun[]) {
        { 0, 4 * PAGE }, { 10 * PAGE, PAGE }, { 20 * PAGE, PAGE },
    }, 3);
    assert_runs(pasr_lost_map_page_runs(&m, 1), (PASRLostRun[]) {
        { 0, 21 * PAGE },
    }, 1);
    pasr_lost_map_write(&m, 0, PAGE);
    assert_runs(pasr_lost_map_page_runs(&m, 4), (PASRLostRun[]) {
        { PAGE, PAGE }, { 3 * PAGE, PAGE }, { 10 * PAGE, PAGE },
        { 20 * PAGE, PAGE },
    }, 4);
    pasr_lost_map_destroy(&m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pasr-lost-map/lose-read", test_lose_read);
    g_test_add_func("/pasr-lost-map/write-clears", test_write_clears);
    g_test_add_func("/pasr-lost-map/partial-pages", test_partial_pages);
    g_test_add_func("/pasr-lost-map/runs", test_runs);
    g_test_add_func("/pasr-lost-map/page-runs", test_page_runs);
    return g_test_run();
}
