/*
 * pasr-ddr: what the controller holds, for tools and for the monitor
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One description of the controller (docs/specs/pasr-ddr.rst section
 * 6.8): the geometry and interleave, per chip select its state, applied
 * and pending masks and its memory as coalesced ranges that are refreshed,
 * masked by the applied masks, or lost (check-lost), then energy,
 * residency and the counters. The read-only QOM property "info-json"
 * gives it as JSON ("format": "pasr-ddr-info", "version": 1), and the HMP
 * command "info pasr-ddr [id]" prints the same as text. Building it reads
 * the device's state only: nothing the guest can observe changes.
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qjson.h"
#include "monitor/monitor.h"
#include "monitor/hmp.h"
#include "hw/qdev-core.h"
#include "pasr-ddr-internal.h"

#define PASR_DDR_INFO_VERSION   1
/* "info pasr-ddr": ranges printed per chip select */
#define PASR_DDR_INFO_MAX_LINES 32

typedef enum PASRDDRRangeState {
    RANGE_REFRESHED,
    RANGE_MASKED,
    RANGE_LOST,
} PASRDDRRangeState;

static const char *const pasr_ddr_range_state[] = {
    [RANGE_REFRESHED] = "refreshed",
    [RANGE_MASKED] = "masked",
    [RANGE_LOST] = "lost",
};

static const char *const pasr_ddr_cs_state[] = {
    [PASR_CS_ACTIVE] = "active",
    [PASR_CS_SELF_REFRESH] = "self-refresh",
    [PASR_CS_DEEP_POWER_DOWN] = "deep-power-down",
};

/* A cursor in a sorted list of runs, each with .off and .len */
QEMU_BUILD_BUG_ON(offsetof(PASRLostRun, off) != offsetof(LPDDR2Run, off) ||
                  offsetof(PASRLostRun, len) != offsetof(LPDDR2Run, len));

typedef struct PASRDDRCursor {
    GArray *runs;
    size_t elt;                 /* LPDDR2Run or PASRLostRun */
    guint i;
} PASRDDRCursor;

static const LPDDR2Run *pasr_ddr_cursor_at(PASRDDRCursor *c, uint64_t pos)
{
    while (c->i < c->runs->len) {
        const LPDDR2Run *r = (const LPDDR2Run *)(c->runs->data +
                                                 c->i * c->elt);

        if (r->off + r->len > pos) {
            return r;
        }
        c->i++;
    }
    return NULL;
}

static void pasr_ddr_add_range(QList *ranges, PASRDDRState *s, uint64_t off,
                               uint64_t len, PASRDDRRangeState state,
                               uint32_t exit)
{
    QDict *r = qdict_new();

    qdict_put_int(r, "base", s->dram_base + off);
    qdict_put_int(r, "size", len);
    qdict_put_str(r, "state", pasr_ddr_range_state[state]);
    if (state == RANGE_LOST) {
        qdict_put_int(r, "lost-at-exit", exit);
    }
    qlist_append(ranges, r);
}

/*
 * The memory of chip select @i as coalesced ranges: lost (the lost map)
 * before masked (the applied MR16/MR17) before refreshed.
 */
static QList *pasr_ddr_cs_ranges(PASRDDRState *s, unsigned i, GArray *lost)
{
    const LPDDR2Geometry *g = &s->layout.g;
    g_autoptr(GArray) all = lpddr2_masked_runs(&s->layout, i,
                                               lpddr2_mr16_banks(g), 0);
    g_autoptr(GArray) masked = lpddr2_masked_runs(&s->layout, i,
                                                  s->cs[i].die.mr16,
                                                  s->cs[i].die.mr17);
    PASRDDRCursor m = { masked, sizeof(LPDDR2Run) };
    PASRDDRCursor l = { lost, sizeof(PASRLostRun) };
    QList *ranges = qlist_new();
    uint64_t start = 0, end = 0;
    PASRDDRRangeState cur = RANGE_REFRESHED;
    uint32_t cur_exit = 0;

    for (guint k = 0; k < all->len; k++) {
        const LPDDR2Run *a = &g_array_index(all, LPDDR2Run, k);

        for (uint64_t pos = a->off; pos < a->off + a->len;) {
            const LPDDR2Run *mr = pasr_ddr_cursor_at(&m, pos);
            const PASRLostRun *lr = (const PASRLostRun *)
                pasr_ddr_cursor_at(&l, pos);
            bool in_lost = lr && lr->off <= pos;
            bool in_masked = mr && mr->off <= pos;
            uint64_t next = a->off + a->len;
            PASRDDRRangeState st = in_lost ? RANGE_LOST :
                                   in_masked ? RANGE_MASKED : RANGE_REFRESHED;
            uint32_t exit = in_lost ? lr->exit : 0;

            if (lr) {
                next = MIN(next, in_lost ? lr->off + lr->len : lr->off);
            }
            if (mr) {
                next = MIN(next, in_masked ? mr->off + mr->len : mr->off);
            }
            if (end != pos || st != cur || exit != cur_exit) {
                if (end > start) {
                    pasr_ddr_add_range(ranges, s, start, end - start, cur,
                                       cur_exit);
                }
                start = pos;
                cur = st;
                cur_exit = exit;
            }
            end = next;
            pos = next;
        }
    }
    if (end > start) {
        pasr_ddr_add_range(ranges, s, start, end - start, cur, cur_exit);
    }
    return ranges;
}

static QDict *pasr_ddr_cs_info(PASRDDRState *s, unsigned i, GArray *lost)
{
    PASRDDRChipSelect *cs = &s->cs[i];
    QDict *d = qdict_new();

    qdict_put_int(d, "cs", i);
    qdict_put_str(d, "state", pasr_ddr_cs_state[cs->state]);
    if (pasr_ddr_in_sr(cs)) {
        qdict_put_int(d, "self-refresh-since-ns", cs->sr_start_ns);
    } else {
        qdict_put(d, "self-refresh-since-ns", qnull());
    }
    qdict_put_int(d, "mr16", cs->die.mr16);
    qdict_put_int(d, "mr17", cs->die.mr17);
    qdict_put_int(d, "mr16-shadow", FIELD_EX32(cs->mr16_shadow, CS_MR, MASK));
    qdict_put_int(d, "mr17-shadow", FIELD_EX32(cs->mr17_shadow, CS_MR, MASK));
    qdict_put_bool(d, "mr16-pending",
                   FIELD_EX32(cs->mr16_shadow, CS_MR, PENDING));
    qdict_put_bool(d, "mr17-pending",
                   FIELD_EX32(cs->mr17_shadow, CS_MR, PENDING));
    qdict_put_bool(d, "data-lost", cs->data_lost);
    qdict_put(d, "refreshed-fraction",
              qnum_from_double(lpddr2_refreshed_q16(&s->layout.g,
                                                    cs->die.mr16,
                                                    cs->die.mr17) / 65536.0));
    qdict_put(d, "ranges", pasr_ddr_cs_ranges(s, i, lost));
    return d;
}

static const char *const pasr_ddr_map_name[] = { "rbc", "brc" };
static const char *const pasr_ddr_cs_mode_name[] = {
    "linear", "shift", "swap",
};

static QDict *pasr_ddr_info(PASRDDRState *s)
{
    const LPDDR2Geometry *g = &s->layout.g;
    g_autoptr(GArray) lost = pasr_lost_map_runs(&s->lost, 0, s->dram_size);
    g_autofree char *path = object_get_canonical_path(OBJECT(s));
    QDict *d = qdict_new(), *geo = qdict_new(), *il = qdict_new();
    QDict *energy = qdict_new();
    QList *css = qlist_new();

    pasr_ddr_account(s);
    qdict_put_str(d, "format", "pasr-ddr-info");
    qdict_put_int(d, "version", PASR_DDR_INFO_VERSION);
    qdict_put_str(d, "path", path);
    if (DEVICE(s)->id) {
        qdict_put_str(d, "id", DEVICE(s)->id);
    }
    qdict_put_int(d, "dram-base", s->dram_base);
    qdict_put_int(d, "dram-size", s->dram_size);

    qdict_put_str(geo, "type", g->type == LPDDR2_S4 ? "s4" : "s2");
    qdict_put_int(geo, "density-mbit", g->density_mbit);
    qdict_put_int(geo, "io-width", g->io_width);
    qdict_put_int(geo, "dies-per-cs", lpddr2_devices_per_cs(g));
    qdict_put_int(geo, "banks", g->banks);
    qdict_put_int(geo, "row-bits", g->row_bits);
    qdict_put_int(geo, "column-bits", g->col_bits);
    qdict_put_int(geo, "segments", lpddr2_has_mr17(g) ? LPDDR2_SEGMENTS : 0);
    qdict_put_int(geo, "cs-count", s->num_cs);
    qdict_put_int(geo, "cs-bytes", lpddr2_cs_bytes(g));
    qdict_put(d, "geometry", geo);

    qdict_put_str(il, "map", pasr_ddr_map_name[s->layout.map]);
    qdict_put_str(il, "cs-mode", pasr_ddr_cs_mode_name[s->layout.cs_mode]);
    qdict_put_int(il, "granule", s->layout.cs_mode == LPDDR2_CS_LINEAR ? 0 :
                  1ULL << s->layout.granule_shift);
    qdict_put(d, "interleave", il);

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        qlist_append(css, pasr_ddr_cs_info(s, i, lost));
    }
    qdict_put(d, "chip-selects", css);

    qdict_put_int(energy, "temperature-mc", s->temperature);
    qdict_put_int(energy, "energy-sr-uj", s->energy_sr_pj / 1000000);
    qdict_put_int(energy, "energy-sr-full-uj", s->energy_full_pj / 1000000);
    qdict_put_int(energy, "sr-time-us", s->sr_time_ns / 1000);
    qdict_put_int(energy, "sr-count", s->sr_count);
    qdict_put_int(energy, "loss-count", s->loss_count);
    qdict_put_int(energy, "exits-by-access", s->exits_by_access);
    qdict_put(d, "energy", energy);

    qdict_put_bool(d, "check-lost", s->check_lost);
    qdict_put_int(d, "lost-reads", s->lost_reads);
    qdict_put_int(d, "lost-bytes", s->lost.lost_bytes);
    qdict_put_int(d, "lost-overlays", s->lost_overlays);
    return d;
}

static char *pasr_ddr_get_info_json(Object *obj, Error **errp)
{
    g_autoptr(QDict) d = pasr_ddr_info(PASR_DDR(obj));

    return g_string_free(qobject_to_json(QOBJECT(d)), false);
}

void pasr_ddr_info_class_init(ObjectClass *klass)
{
    object_class_property_add_str(klass, "info-json", pasr_ddr_get_info_json,
                                  NULL);
    object_class_property_set_description(klass, "info-json",
        "the controller's state as JSON (format pasr-ddr-info, version 1; "
        "docs/specs/pasr-ddr.rst 6.8): geometry, chip selects with their "
        "masks and refreshed, masked and lost ranges, energy, counters");
}

/* --- info pasr-ddr ------------------------------------------------------- */

static void pasr_ddr_print_cs(Monitor *mon, QDict *cs)
{
    QList *ranges = qdict_get_qlist(cs, "ranges");
    QListEntry *e;
    unsigned n = 0, total = qlist_size(ranges);

    monitor_printf(mon, "  cs%" PRId64 ": %s", qdict_get_int(cs, "cs"),
                   qdict_get_str(cs, "state"));
    if (qdict_haskey(cs, "self-refresh-since-ns") &&
        qobject_type(qdict_get(cs, "self-refresh-since-ns")) == QTYPE_QNUM) {
        monitor_printf(mon, " since %" PRId64 " ns",
                       qdict_get_int(cs, "self-refresh-since-ns"));
    }
    monitor_printf(mon, ", MR16 0x%02" PRIx64 " MR17 0x%02" PRIx64
                   " applied, shadows 0x%02" PRIx64 "%s 0x%02" PRIx64 "%s"
                   ", %.2f%% refreshed%s\n",
                   qdict_get_int(cs, "mr16"), qdict_get_int(cs, "mr17"),
                   qdict_get_int(cs, "mr16-shadow"),
                   qdict_get_bool(cs, "mr16-pending") ? " pending" : "",
                   qdict_get_int(cs, "mr17-shadow"),
                   qdict_get_bool(cs, "mr17-pending") ? " pending" : "",
                   100.0 * qdict_get_double(cs, "refreshed-fraction"),
                   qdict_get_bool(cs, "data-lost") ? ", DATA_LOST" : "");
    QLIST_FOREACH_ENTRY(ranges, e) {
        QDict *r = qobject_to(QDict, qlist_entry_obj(e));
        uint64_t base = qdict_get_int(r, "base");
        uint64_t size = qdict_get_int(r, "size");
        g_autofree char *sz = size_to_str(size);

        if (n++ == PASR_DDR_INFO_MAX_LINES) {
            monitor_printf(mon, "    ... %u more ranges (info-json has "
                           "them all)\n", total - PASR_DDR_INFO_MAX_LINES);
            break;
        }
        monitor_printf(mon, "    0x%010" PRIx64 "-0x%010" PRIx64 " %-9s %s",
                       base, base + size - 1, qdict_get_str(r, "state"), sz);
        if (qdict_haskey(r, "lost-at-exit")) {
            monitor_printf(mon, " (lost at exit %" PRId64 ")",
                           qdict_get_int(r, "lost-at-exit"));
        }
        monitor_printf(mon, "\n");
    }
}

static void pasr_ddr_print(Monitor *mon, QDict *d)
{
    QDict *geo = qdict_get_qdict(d, "geometry");
    QDict *il = qdict_get_qdict(d, "interleave");
    QDict *en = qdict_get_qdict(d, "energy");
    g_autofree char *cs_bytes = size_to_str(qdict_get_int(geo, "cs-bytes"));
    QListEntry *e;

    monitor_printf(mon, "%s%s%s: %" PRId64 " chip select(s) of %s at 0x%"
                   PRIx64 "\n", qdict_get_str(d, "path"),
                   qdict_haskey(d, "id") ? " id " : "",
                   qdict_haskey(d, "id") ? qdict_get_str(d, "id") : "",
                   qdict_get_int(geo, "cs-count"), cs_bytes,
                   qdict_get_int(d, "dram-base"));
    monitor_printf(mon, "  LP-DDR2-%s %" PRId64 " Mbit x%" PRId64 ", %" PRId64
                   " die(s) per chip select, %" PRId64 " banks, %" PRId64
                   " segments; map %s, chip selects %s",
                   qdict_get_str(geo, "type"),
                   qdict_get_int(geo, "density-mbit"),
                   qdict_get_int(geo, "io-width"),
                   qdict_get_int(geo, "dies-per-cs"),
                   qdict_get_int(geo, "banks"), qdict_get_int(geo, "segments"),
                   qdict_get_str(il, "map"), qdict_get_str(il, "cs-mode"));
    if (qdict_get_int(il, "granule")) {
        monitor_printf(mon, " every %" PRId64 " bytes",
                       qdict_get_int(il, "granule"));
    }
    monitor_printf(mon, "\n");
    QLIST_FOREACH_ENTRY(qdict_get_qlist(d, "chip-selects"), e) {
        pasr_ddr_print_cs(mon, qobject_to(QDict, qlist_entry_obj(e)));
    }
    monitor_printf(mon, "  energy: %" PRId64 " uJ in self-refresh (%" PRId64
                   " uJ fully refreshed) at %" PRId64 " m°C; %" PRId64
                   " us in self-refresh, %" PRId64 " entries, %" PRId64
                   " losses, %" PRId64 " exits by access\n",
                   qdict_get_int(en, "energy-sr-uj"),
                   qdict_get_int(en, "energy-sr-full-uj"),
                   qdict_get_int(en, "temperature-mc"),
                   qdict_get_int(en, "sr-time-us"),
                   qdict_get_int(en, "sr-count"),
                   qdict_get_int(en, "loss-count"),
                   qdict_get_int(en, "exits-by-access"));
    if (qdict_get_bool(d, "check-lost")) {
        monitor_printf(mon, "  check-lost: %" PRId64 " lost reads, %" PRId64
                       " bytes lost and not written since, %" PRId64
                       " overlay regions\n",
                       qdict_get_int(d, "lost-reads"),
                       qdict_get_int(d, "lost-bytes"),
                       qdict_get_int(d, "lost-overlays"));
    } else {
        monitor_printf(mon, "  check-lost: off\n");
    }
}

static int pasr_ddr_collect(Object *obj, void *opaque)
{
    GSList **list = opaque;

    if (object_dynamic_cast(obj, TYPE_PASR_DDR)) {
        *list = g_slist_append(*list, obj);
    }
    return 0;
}

void hmp_info_pasr_ddr(Monitor *mon, const QDict *qdict)
{
    const char *id = qdict_get_try_str(qdict, "id");
    GSList *list = NULL;
    unsigned shown = 0;

    object_child_foreach_recursive(object_get_root(), pasr_ddr_collect,
                                   &list);
    for (GSList *l = list; l; l = l->next) {
        PASRDDRState *s = PASR_DDR(l->data);
        g_autofree char *path = object_get_canonical_path(OBJECT(s));
        g_autoptr(QDict) d = NULL;

        if (id && g_strcmp0(id, DEVICE(s)->id) && strcmp(id, path)) {
            continue;
        }
        d = pasr_ddr_info(s);
        pasr_ddr_print(mon, d);
        shown++;
    }
    g_slist_free(list);
    if (!shown) {
        monitor_printf(mon, "no pasr-ddr device%s%s\n", id ? " " : "",
                       id ? id : "");
    }
}
