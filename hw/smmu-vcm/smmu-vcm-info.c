/*
 * smmu-vcm introspection: what an SMMU holds, for people and for tools
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * "info smmu-vcm [-v] [id]" (HMP) and the read-only QOM property
 * "info-json" show the global registers and the MID routing decoded, each
 * context bank's registers, pending fault and mappings, the TLB and the
 * statistics (docs/devel/debugging.rst describes both forms).
 *
 * The mappings are found by walking the live tables with the pure walker
 * (smmu-vcm-walk.c) through a reader of our own: it reads RAM and ROM only
 * and reports a descriptor anywhere else as unread, because an MMIO read
 * may have side effects and a diagnostic must never change what the guest
 * sees. Nothing in this file writes device state or statistics.
 *
 * Bounds, whatever the guest wrote: one walk per level-1 entry, or per
 * level-2 entry under a table pointer, so at most 2^20 walks of two
 * descriptor reads for a context (a level-1 entry that points at its own
 * table is just another table); consecutive blocks that continue each
 * other coalesce into runs, and at most SMMU_VCM_INFO_MAX_RUNS runs are
 * listed per context, the rest counted.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "monitor/monitor.h"
#include "monitor/hmp.h"
#include "hw/qdev-core.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"
#include "smmu-vcm-internal.h"

#define SMMU_VCM_INFO_MAX_RUNS  4096
#define SMMU_VCM_INFO_FORMAT    "smmu-vcm-info"
#define SMMU_VCM_INFO_VERSION   1

/* --- reading tables without side effects -------------------------------- */

/* The reader keeps the last two 1 KiB pieces of tables it read. */
#define INFO_LINE_SIZE  1024
#define INFO_LINES      2

typedef struct SMMUVCMInfoLine {
    bool valid;
    uint64_t base;
    uint32_t len;               /* bytes of RAM read from base */
    uint8_t data[INFO_LINE_SIZE];
} SMMUVCMInfoLine;

typedef struct SMMUVCMInfoReader {
    AddressSpace *as;
    SMMUVCMInfoLine line[INFO_LINES];
    unsigned lru;               /* the line to refill next */
    const char *region;         /* the last MMIO region not read */
} SMMUVCMInfoReader;

/*
 * Read the RAM at @addr onwards into a line. Otherwise returns what the
 * hardware walker would see: a decode error where nothing is mapped, and
 * a slave error, with r->region set, for a region whose reads we leave
 * alone.
 */
static SMMUVCMReadStatus smmu_vcm_info_fill(SMMUVCMInfoReader *r,
                                            SMMUVCMInfoLine *l,
                                            uint64_t addr)
{
    uint64_t len = INFO_LINE_SIZE - (addr & (INFO_LINE_SIZE - 1));
    MemoryRegionSection sec = memory_region_find(r->as->root, addr, len);
    bool ram = sec.mr && (memory_region_is_ram(sec.mr) ||
                          memory_region_is_romd(sec.mr));


    if (!sec.mr) {
        return SMMU_VCM_READ_DECODE_ERROR;
    }
    if (sec.offset_within_address_space != addr) {
        memory_region_unref(sec.mr);    /* that region starts later */
        return SMMU_VCM_READ_DECODE_ERROR;
    }
    if (!ram) {
        r->region = memory_region_name(sec.mr) ?: "(unnamed)";
    }
    len = MIN(len, int128_get64(sec.size)) & ~3ull;
    memory_region_unref(sec.mr);
    if (!ram || len < 4) {
        return SMMU_VCM_READ_SLAVE_ERROR;
    }
    if (address_space_read(r->as, addr, MEMTXATTRS_UNSPECIFIED, l->data,
                           len) != MEMTX_OK) {
        return SMMU_VCM_READ_SLAVE_ERROR;
    }
    l->valid = true;
    l->base = addr;
    l->len = len;
    return SMMU_VCM_READ_OK;
}

/* The walker's descriptor reads (spec 3.7: HTWDEEF, HTWSEEF) */
static SMMUVCMReadStatus smmu_vcm_info_read(void *opaque, uint64_t addr,
                                            uint32_t *desc)
{
    SMMUVCMInfoReader *r = opaque;
    SMMUVCMReadStatus status;
    SMMUVCMInfoLine *l;

    for (unsigned i = 0; i < INFO_LINES; i++) {
        l = &r->line[i];
        if (l->valid && addr >= l->base && addr + 4 <= l->base + l->len) {
            *desc = ldl_le_p(l->data + (addr - l->base));
            r->lru = (i + 1) % INFO_LINES;
            return SMMU_VCM_READ_OK;
        }
    }
    l = &r->line[r->lru];
    status = smmu_vcm_info_fill(r, l, addr);
    if (status != SMMU_VCM_READ_OK) {
        l->valid = false;
        return status;
    }
    r->lru = (r->lru + 1) % INFO_LINES;
    *desc = ldl_le_p(l->data);
    return SMMU_VCM_READ_OK;
}

/* --- the mappings of a context, as runs --------------------------------- */

typedef enum SMMUVCMInfoCause {
    INFO_MAPPED,
    INFO_NO_MEMORY,             /* a descriptor where nothing is mapped */
    INFO_NOT_RAM,               /* a descriptor in MMIO: not read */
    INFO_RESERVED,              /* a reserved level-1 descriptor type */
} SMMUVCMInfoCause;

static const char *const smmu_vcm_info_cause_name[] = {
    [INFO_MAPPED] = "mapped",
    [INFO_NO_MEMORY] = "no-memory",
    [INFO_NOT_RAM] = "not-ram",
    [INFO_RESERVED] = "reserved",
};

/* Consecutive VAs that map alike, or whose walks fail alike */
typedef struct SMMUVCMInfoRun {
    SMMUVCMInfoCause cause;
    uint64_t va;
    uint64_t len;
    uint64_t pa;                /* MAPPED: where va goes */
    SMMUVCMTranslation t;       /* MAPPED: the first block's attributes */
    bool af;                    /* MAPPED: access flag set (no AFF) */
    uint8_t level;              /* not MAPPED: the failing descriptor's */
    uint64_t desc_addr;         /* not MAPPED: the first one */
    const char *region;         /* NOT_RAM: the region not read */
} SMMUVCMInfoRun;

typedef struct SMMUVCMInfoMappings {
    bool per_block;             /* -v: a run never spans two blocks */
    GArray *runs;               /* of SMMUVCMInfoRun, the listed ones */
    SMMUVCMInfoRun cur;
    bool have_cur;
    uint64_t omitted_runs;
    uint64_t omitted_bytes;
    uint64_t mapped_bytes;
} SMMUVCMInfoMappings;

static bool smmu_vcm_info_same_attrs(const SMMUVCMTranslation *a,
                                     const SMMUVCMTranslation *b)
{
    return a->size == b->size && a->ap == b->ap && a->perms == b->perms &&
           a->tex == b->tex && a->c == b->c && a->b == b->b &&
           a->s == b->s && a->ng == b->ng && a->ns == b->ns &&
           a->xn == b->xn;
}

static bool smmu_vcm_info_continues(const SMMUVCMInfoMappings *m,
                                    const SMMUVCMInfoRun *p)
{
    const SMMUVCMInfoRun *c = &m->cur;

    if (!m->have_cur || c->cause != p->cause || c->va + c->len != p->va) {
        return false;
    }
    if (p->cause != INFO_MAPPED) {
        return c->level == p->level && c->region == p->region;
    }
    if (m->per_block && (c->t.va_base != p->t.va_base ||
                         c->t.pa_base != p->t.pa_base)) {
        return false;
    }
    return c->pa + c->len == p->pa && c->af == p->af &&
           smmu_vcm_info_same_attrs(&c->t, &p->t);
}

static void smmu_vcm_info_close_run(SMMUVCMInfoMappings *m)
{
    if (!m->have_cur) {
        return;
    }
    if (m->runs->len < SMMU_VCM_INFO_MAX_RUNS) {
        g_array_append_val(m->runs, m->cur);
    } else {
        m->omitted_runs++;
        m->omitted_bytes += m->cur.len;
    }
    m->have_cur = false;
}

static void smmu_vcm_info_add(SMMUVCMInfoMappings *m,
                              const SMMUVCMInfoRun *p)
{
    if (p->cause == INFO_MAPPED) {
        m->mapped_bytes += p->len;
    }
    if (smmu_vcm_info_continues(m, p)) {
        m->cur.len += p->len;
        return;
    }
    smmu_vcm_info_close_run(m);
    m->cur = *p;
    m->have_cur = true;
}

/*
 * Walk every VA of @ctx's input space. A walk decided by a level-1
 * descriptor covers the rest of its 1 MiB; one decided at level 2 its
 * 4 KiB. Supersections and large pages are thus read through each of
 * their copies, as the hardware reads whichever copy a VA selects.
 */
static void smmu_vcm_info_walk_ctx(SMMUVCMState *s, unsigned ctx,
                                   SMMUVCMInfoMappings *m)
{
    g_autofree SMMUVCMInfoReader *r = g_new0(SMMUVCMInfoReader, 1);
    const SMMUVCMWalkConfig *cfg = &s->config[ctx].walk;
    uint64_t va = 0;

    r->as = &s->downstream;
    while (va < SMMU_VCM_VA_SIZE) {
        SMMUVCMWalkResult w;
        SMMUVCMInfoRun p = { .va = va };

        smmu_vcm_walk(cfg, va, smmu_vcm_info_read, r, &w);
        p.len = w.level == 1 ? SMMU_VCM_SIZE_1M - (va & (SMMU_VCM_SIZE_1M - 1))
                             : SMMU_VCM_SIZE_4K;
        switch (w.fault) {
        case SMMU_VCM_FAULT_NONE:
        case SMMU_VCM_FAULT_ACCESS_FLAG:
            p.cause = INFO_MAPPED;
            p.t = w.t;
            p.pa = w.t.pa_base + (va - w.t.va_base);
            p.af = w.fault == SMMU_VCM_FAULT_NONE;
            smmu_vcm_info_add(m, &p);
            break;
        case SMMU_VCM_FAULT_WALK_DECODE:
        case SMMU_VCM_FAULT_WALK_SLAVE:
            p.cause = w.fault == SMMU_VCM_FAULT_WALK_DECODE ? INFO_NO_MEMORY
                                                          : INFO_NOT_RAM;
            p.level = w.level;
            p.desc_addr = w.fault_addr;
            p.region = p.cause == INFO_NOT_RAM ? r->region : NULL;
            smmu_vcm_info_add(m, &p);
            break;
        default:
            if (w.reserved) {
                p.cause = INFO_RESERVED;
                p.level = w.level;
                smmu_vcm_info_add(m, &p);
            } else {
                smmu_vcm_info_close_run(m);     /* unmapped */
            }
            break;
        }
        va += p.len;
    }
    smmu_vcm_info_close_run(m);
}

static void smmu_vcm_info_mappings_init(SMMUVCMInfoMappings *m,
                                        bool per_block)
{
    memset(m, 0, sizeof(*m));
    m->per_block = per_block;
    m->runs = g_array_new(false, false, sizeof(SMMUVCMInfoRun));
}

/* --- decoding registers ------------------------------------------------- */

typedef struct SMMUVCMInfoField {
    const char *name;
    uint8_t shift, length;
} SMMUVCMInfoField;

#define INFO_FIELD(reg, field) \
    { #field, R_##reg##_##field##_SHIFT, R_##reg##_##field##_LENGTH }

/* spec 1.2 and 1.3: the fields shown of each register */
static const SMMUVCMInfoField smmu_vcm_info_idr_fields[] = {
    INFO_FIELD(IDR, NM2VCBMT), INFO_FIELD(IDR, HTW), INFO_FIELD(IDR, HUM),
    INFO_FIELD(IDR, TLBSIZE), INFO_FIELD(IDR, NCB), INFO_FIELD(IDR, NIRPT),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_cr_fields[] = {
    INFO_FIELD(CR, SMMUTE), INFO_FIELD(CR, SMMUIE), INFO_FIELD(CR, SMMUEE),
    INFO_FIELD(CR, RES3), INFO_FIELD(CR, CLIENTPD), INFO_FIELD(CR, STALLD),
    INFO_FIELD(CR, TLBLKCRWE), INFO_FIELD(CR, CR_USFCFG),
    INFO_FIELD(CR, SSDCFG), INFO_FIELD(CR, SCTLR_M_USE),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_esr_fields[] = {
    INFO_FIELD(ESR, CFG), INFO_FIELD(ESR, BYPASS), INFO_FIELD(ESR, MULTI),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_m2vcbr_fields[] = {
    INFO_FIELD(M2VCBR, VMID), INFO_FIELD(M2VCBR, CBNDX),
    INFO_FIELD(M2VCBR, BYPASSD), INFO_FIELD(M2VCBR, NSCFG),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_sctlr_fields[] = {
    INFO_FIELD(SCTLR, M), INFO_FIELD(SCTLR, TRE), INFO_FIELD(SCTLR, AFE),
    INFO_FIELD(SCTLR, HAF), INFO_FIELD(SCTLR, BE), INFO_FIELD(SCTLR, AFFD),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_actlr_fields[] = {
    INFO_FIELD(ACTLR, CFERE), INFO_FIELD(ACTLR, CFEIE),
    INFO_FIELD(ACTLR, PRIVCFG), INFO_FIELD(ACTLR, TLBMCFG),
    INFO_FIELD(ACTLR, CFCFG), INFO_FIELD(ACTLR, V2PCFG),
    INFO_FIELD(ACTLR, HUME),
    { NULL }
};

static const SMMUVCMInfoField smmu_vcm_info_ttbcr_fields[] = {
    INFO_FIELD(TTBCR, N), INFO_FIELD(TTBCR, PD0), INFO_FIELD(TTBCR, PD1),
    { NULL }
};

/* spec 3.7: the FSR bits of fault causes and state */
static const SMMUVCMInfoField smmu_vcm_info_fsr_fields[] = {
    { "TF", 1, 1 }, { "AFF", 2, 1 }, { "APF", 3, 1 }, { "TLBMF", 4, 1 },
    { "HTWDEEF", 5, 1 }, { "HTWSEEF", 6, 1 }, { "MHF", 7, 1 },
    { "SL", 16, 1 }, { "SS", 30, 1 }, { "MULTI", 31, 1 },
    { NULL }
};

/* "0x00000007 (M TRE AFE)": the set bits and the non-zero fields */
static void smmu_vcm_info_decode(GString *out, uint32_t value,
                                 const SMMUVCMInfoField *f)
{
    bool any = false;

    g_string_append_printf(out, "0x%08x", value);
    for (; f->name; f++) {
        uint32_t v = extract32(value, f->shift, f->length);

        if (!v) {
            continue;
        }
        g_string_append_printf(out, "%s%s", any ? " " : " (", f->name);
        if (f->length > 1) {
            g_string_append_printf(out, "=%u", v);
        }
        any = true;
    }
    if (any) {
        g_string_append_c(out, ')');
    }
}

static QList *smmu_vcm_info_flags(uint32_t value, const SMMUVCMInfoField *f)
{
    QList *l = qlist_new();

    for (; f->name; f++) {
        if (f->length == 1 && extract32(value, f->shift, 1)) {
            qlist_append_str(l, f->name);
        }
    }
    return l;
}

static const char *smmu_vcm_info_size_class(uint32_t size)
{
    switch (size) {
    case SMMU_VCM_SIZE_4K:
        return "4K";
    case SMMU_VCM_SIZE_64K:
        return "64K";
    case SMMU_VCM_SIZE_1M:
        return "1M";
    default:
        return "16M";
    }
}

/* "rw", "r", "w" or "-": what @perms grants a privileged or user access */
static const char *smmu_vcm_info_perms(uint8_t perms, bool user)
{
    static const char *const str[] = { "-", "r", "w", "rw" };

    return str[(perms >> (user ? 2 : 0)) & 3];
}

static bool smmu_vcm_info_fault_pending(uint32_t fsr)
{
    return fsr & SMMU_VCM_FSR_RECORDED;
}

/* spec 3.3: the first VA that TTBR1 translates, or 4 GiB */
static uint64_t smmu_vcm_info_ttbr1_start(uint32_t ttbcr)
{
    unsigned n = FIELD_EX32(ttbcr, TTBCR, N);

    return n ? 1ull << (32 - n) : SMMU_VCM_VA_SIZE;
}

/* A MID is listed when a master uses it or the guest routed it. */
static bool smmu_vcm_info_mid_routed(SMMUVCMState *s, uint32_t mid)
{
    return s->m2vcbr[mid] || s->masters[mid].connected;
}

static char *smmu_vcm_info_master_path(SMMUVCMState *s, uint32_t mid)
{
    Object *o = s->masters[mid].connected;

    return o ? object_get_canonical_path(o) : NULL;
}

/* --- the monitor's text ------------------------------------------------- */

static void smmu_vcm_info_text_run(GString *out, const SMMUVCMInfoRun *r)
{
    const SMMUVCMTranslation *t = &r->t;

    g_string_append_printf(out, "      0x%08" PRIx64 "-0x%08" PRIx64 " ",
                           r->va, r->va + r->len - 1);
    switch (r->cause) {
    case INFO_MAPPED:
        g_string_append_printf(out, "-> 0x%08" PRIx64 "-0x%08" PRIx64
                               " %-3s priv %-2s user %-2s TEX=%u C=%u B=%u"
                               " S=%u NS=%u XN=%u%s%s\n",
                               r->pa, r->pa + r->len - 1,
                               smmu_vcm_info_size_class(t->size),
                               smmu_vcm_info_perms(t->perms, false),
                               smmu_vcm_info_perms(t->perms, true),
                               t->tex, t->c, t->b, t->s, t->ns, t->xn,
                               t->ng ? " nG" : "",
                               r->af ? "" : " AF=0");
        break;
    case INFO_NO_MEMORY:
        g_string_append_printf(out, "walk aborts: level-%u descriptor at "
                               "0x%" PRIx64 " is in no memory\n", r->level,
                               r->desc_addr);
        break;
    case INFO_NOT_RAM:
        g_string_append_printf(out, "not read: level-%u descriptor at "
                               "0x%" PRIx64 " is in MMIO region '%s'\n",
                               r->level, r->desc_addr, r->region);
        break;
    default:
        g_string_append(out, "reserved level-1 descriptor (translation "
                        "fault)\n");
        break;
    }
}

static void smmu_vcm_info_text_ctx(SMMUVCMState *s, unsigned ctx,
                                   bool verbose, GString *out)
{
    const uint32_t *r = s->ctx[ctx].regs;
    const SMMUVCMCtxConfig *cfg = &s->config[ctx];
    uint64_t split = smmu_vcm_info_ttbr1_start(r[R_TTBCR]);
    SMMUVCMInfoMappings m;

    g_string_append_printf(out, "  context %u: %s, ASID %u, VMID %u, "
                           "TLB hits %" PRIu64 " misses %" PRIu64 "\n", ctx,
                           cfg->translate ? "translates" : "bypass (M=0)",
                           cfg->tag.asid, cfg->tag.vmid,
                           s->ctx_stats[ctx].tlb_hits,
                           s->ctx_stats[ctx].tlb_misses);
    g_string_append(out, "    SCTLR ");
    smmu_vcm_info_decode(out, r[R_SCTLR], smmu_vcm_info_sctlr_fields);
    g_string_append(out, " ACTLR ");
    smmu_vcm_info_decode(out, r[R_ACTLR], smmu_vcm_info_actlr_fields);
    g_string_append(out, "\n    TTBCR ");
    smmu_vcm_info_decode(out, r[R_TTBCR], smmu_vcm_info_ttbcr_fields);
    g_string_append_printf(out, " TTBR0 0x%08x (VA 0x00000000-0x%08" PRIx64
                           ")", r[R_TTBR0], split - 1);
    if (split < SMMU_VCM_VA_SIZE) {
        g_string_append_printf(out, " TTBR1 0x%08x (VA 0x%08" PRIx64
                               "-0xffffffff)", r[R_TTBR1], split);
    }
    g_string_append(out, "\n    fault: ");
    if (smmu_vcm_info_fault_pending(r[R_FSR])) {
        g_string_append(out, "FSR ");
        smmu_vcm_info_decode(out, r[R_FSR], smmu_vcm_info_fsr_fields);
        g_string_append_printf(out, " FAR 0x%08x MID %u %s %s%s\n",
                               r[R_FAR], FIELD_EX32(r[R_FSYNR0], FSYNR0, AMID),
                               FIELD_EX32(r[R_FSYNR1], FSYNR1, AWRITE) ?
                               "write" : "read",
                               FIELD_EX32(r[R_FSYNR1], FSYNR1, APRIV) ?
                               "privileged" : "user",
                               FIELD_EX32(r[R_FSR], FSR, SS) ?
                               ", stalled until RESUME" : "");
    } else {
        g_string_append_printf(out, "none (FSR 0x%08x)\n", r[R_FSR]);
    }
    if (!cfg->translate) {
        return;
    }
    smmu_vcm_info_mappings_init(&m, verbose);
    smmu_vcm_info_walk_ctx(s, ctx, &m);
    g_string_append_printf(out, "    mappings: %" PRIu64 " bytes in %u %s"
                           "\n", m.mapped_bytes, m.runs->len,
                           verbose ? "blocks or runs of walk errors" :
                           "runs");
    for (unsigned i = 0; i < m.runs->len; i++) {
        smmu_vcm_info_text_run(out, &g_array_index(m.runs, SMMUVCMInfoRun,
                                                   i));
    }
    if (m.omitted_runs) {
        g_string_append_printf(out, "      ... %" PRIu64 " more runs (%"
                               PRIu64 " bytes) not listed\n",
                               m.omitted_runs, m.omitted_bytes);
    }
    g_array_free(m.runs, true);
}

static void smmu_vcm_info_text_tlb(SMMUVCMState *s, GString *out)
{
    unsigned valid = 0;

    for (uint32_t i = 0; i < s->tlb.size; i++) {
        valid += s->tlb.entries[i].valid;
    }
    g_string_append_printf(out, "  TLB: %u of %u entries valid\n", valid,
                           s->tlb.size);
    for (uint32_t i = 0; i < s->tlb.size; i++) {
        const SMMUVCMTLBEntry *e = &s->tlb.entries[i];

        if (!e->valid) {
            continue;
        }
        g_string_append_printf(out, "    [%u] context %u VMID %u ", i,
                               e->tag.ctx, e->tag.vmid);
        if (e->t.ng) {
            g_string_append_printf(out, "ASID %u", e->tag.asid);
        } else {
            g_string_append(out, "global");
        }
        g_string_append_printf(out, " 0x%08x -> 0x%08" PRIx64 " %-3s "
                               "priv %-2s user %-2s hits %" PRIu64 "\n",
                               e->t.va_base, e->t.pa_base,
                               smmu_vcm_info_size_class(e->t.size),
                               smmu_vcm_info_perms(e->t.perms, false),
                               smmu_vcm_info_perms(e->t.perms, true),
                               e->hits);
    }
}

static void smmu_vcm_info_text(SMMUVCMState *s, bool verbose, GString *out)
{
    g_autofree char *path = object_get_canonical_path(OBJECT(s));

    g_string_append_printf(out, "smmu-vcm %s: %u contexts, %u MIDs, "
                           "%u TLB entries%s\n", path, s->num_contexts,
                           s->num_mids, s->tlb.size,
                           s->check_stale ? ", check-stale on" : "");
    g_string_append(out, "  IDR ");
    smmu_vcm_info_decode(out, smmu_vcm_idr(s), smmu_vcm_info_idr_fields);
    g_string_append(out, "\n  CR ");
    smmu_vcm_info_decode(out, s->cr, smmu_vcm_info_cr_fields);
    g_string_append(out, " ESR ");
    smmu_vcm_info_decode(out, s->esr, smmu_vcm_info_esr_fields);
    if (s->esr) {
        g_string_append_printf(out, " EAR 0x%08x MID %u", s->ear,
                               FIELD_EX32(s->esynr0, ESYNR0, AMID));
    }
    g_string_append(out, "\n  MIDs (routed or used):\n");
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        g_autofree char *master = smmu_vcm_info_master_path(s, mid);

        if (!smmu_vcm_info_mid_routed(s, mid)) {
            continue;
        }
        g_string_append_printf(out, "    MID %u -> context %u: M2VCBR ",
                               mid, FIELD_EX32(s->m2vcbr[mid], M2VCBR,
                                               CBNDX));
        smmu_vcm_info_decode(out, s->m2vcbr[mid], smmu_vcm_info_m2vcbr_fields);
        g_string_append_printf(out, " master %s\n", master ?: "(none)");
    }
    for (unsigned ctx = 0; ctx < s->num_contexts; ctx++) {
        smmu_vcm_info_text_ctx(s, ctx, verbose, out);
    }
    smmu_vcm_info_text_tlb(s, out);
    g_string_append(out, "  statistics:");
    for (size_t i = 0; i < smmu_vcm_stat_count; i++) {
        g_string_append_printf(out, "%s %s %" PRIu64,
                               i % 5 ? "," : (i ? "\n   " : ""),
                               smmu_vcm_stat_info[i].name,
                               *smmu_vcm_stat_ptr(s, i));
    }
    g_string_append_c(out, '\n');
}

static int smmu_vcm_info_find(Object *obj, void *opaque)
{
    GPtrArray *found = opaque;

    if (object_dynamic_cast(obj, TYPE_SMMU_VCM) && DEVICE(obj)->realized) {
        g_ptr_array_add(found, obj);
    }
    return 0;
}

/* Matches the device's id or its QOM path */
static bool smmu_vcm_info_named(Object *obj, const char *id)
{
    g_autofree char *path = object_get_canonical_path(obj);
    const char *dev_id = DEVICE(obj)->id;

    return !id || !strcmp(id, path) || (dev_id && !strcmp(id, dev_id));
}

void hmp_info_smmu_vcm(Monitor *mon, const QDict *qdict)
{
    bool verbose = qdict_get_try_bool(qdict, "verbose", false);
    const char *id = qdict_get_try_str(qdict, "id");
    g_autoptr(GPtrArray) found = g_ptr_array_new();
    unsigned shown = 0;

    object_child_foreach_recursive(object_get_root(), smmu_vcm_info_find,
                                   found);
    for (unsigned i = 0; i < found->len; i++) {
        g_autoptr(GString) out = g_string_new(NULL);

        if (!smmu_vcm_info_named(found->pdata[i], id)) {
            continue;
        }
        smmu_vcm_info_text(SMMU_VCM(found->pdata[i]), verbose, out);
        monitor_puts(mon, out->str);
        shown++;
    }
    if (!shown) {
        monitor_printf(mon, "no smmu-vcm%s%s\n", id ? " named " : "",
                       id ?: "");
    }
}

/* --- the same for tools: JSON ------------------------------------------- */

static QDict *smmu_vcm_info_json_run(const SMMUVCMInfoRun *r)
{
    QDict *d = qdict_new();
    const SMMUVCMTranslation *t = &r->t;

    qdict_put_int(d, "iova", r->va);
    qdict_put_int(d, "size", r->len);
    if (r->cause != INFO_MAPPED) {
        qdict_put_str(d, "cause", smmu_vcm_info_cause_name[r->cause]);
        qdict_put_int(d, "level", r->level);
        if (r->cause != INFO_RESERVED) {
            qdict_put_int(d, "descriptor", r->desc_addr);
        }
        if (r->region) {
            qdict_put_str(d, "region", r->region);
        }
        return d;
    }
    qdict_put_int(d, "pa", r->pa);
    qdict_put_str(d, "size-class", smmu_vcm_info_size_class(t->size));
    qdict_put_str(d, "perms", smmu_vcm_info_perms(t->perms, false));
    qdict_put_str(d, "user-perms", smmu_vcm_info_perms(t->perms, true));
    qdict_put_bool(d, "ng", t->ng);
    qdict_put_bool(d, "xn", t->xn);
    qdict_put_bool(d, "ns", t->ns);
    qdict_put_bool(d, "s", t->s);
    qdict_put_int(d, "tex", t->tex);
    qdict_put_bool(d, "c", t->c);
    qdict_put_bool(d, "b", t->b);
    qdict_put_bool(d, "af", r->af);
    return d;
}

static QDict *smmu_vcm_info_json_fault(const uint32_t *r)
{
    QDict *d = qdict_new();
    bool pending = smmu_vcm_info_fault_pending(r[R_FSR]);

    qdict_put_bool(d, "pending", pending);
    qdict_put_int(d, "fsr", r[R_FSR]);
    qdict_put_obj(d, "causes", QOBJECT(smmu_vcm_info_flags(r[R_FSR],
                                                smmu_vcm_info_fsr_fields)));
    if (pending) {
        qdict_put_int(d, "far", r[R_FAR]);
        qdict_put_int(d, "mid", FIELD_EX32(r[R_FSYNR0], FSYNR0, AMID));
        qdict_put_bool(d, "write", FIELD_EX32(r[R_FSYNR1], FSYNR1, AWRITE));
        qdict_put_bool(d, "privileged",
                       FIELD_EX32(r[R_FSYNR1], FSYNR1, APRIV));
    }
    qdict_put_bool(d, "stalled", FIELD_EX32(r[R_FSR], FSR, SS));
    return d;
}

static QDict *smmu_vcm_info_json_ctx(SMMUVCMState *s, unsigned ctx)
{
    const uint32_t *r = s->ctx[ctx].regs;
    const SMMUVCMCtxConfig *cfg = &s->config[ctx];
    QDict *d = qdict_new();
    QList *maps = qlist_new();
    QList *errors = qlist_new();
    SMMUVCMInfoMappings m;

    qdict_put_int(d, "index", ctx);
    qdict_put_bool(d, "enabled", cfg->translate);
    qdict_put_int(d, "asid", cfg->tag.asid);
    qdict_put_int(d, "vmid", cfg->tag.vmid);
    qdict_put_int(d, "sctlr", r[R_SCTLR]);
    qdict_put_int(d, "actlr", r[R_ACTLR]);
    qdict_put_int(d, "ttbcr", r[R_TTBCR]);
    qdict_put_int(d, "ttbr0", r[R_TTBR0]);
    qdict_put_int(d, "ttbr1", r[R_TTBR1]);
    qdict_put_int(d, "ttbr1-from", smmu_vcm_info_ttbr1_start(r[R_TTBCR]));
    qdict_put_int(d, "tlb-hits", s->ctx_stats[ctx].tlb_hits);
    qdict_put_int(d, "tlb-misses", s->ctx_stats[ctx].tlb_misses);
    qdict_put_obj(d, "fault", QOBJECT(smmu_vcm_info_json_fault(r)));
    smmu_vcm_info_mappings_init(&m, false);
    if (cfg->translate) {
        smmu_vcm_info_walk_ctx(s, ctx, &m);
    }
    for (unsigned i = 0; i < m.runs->len; i++) {
        const SMMUVCMInfoRun *run = &g_array_index(m.runs, SMMUVCMInfoRun, i);

        qlist_append(run->cause == INFO_MAPPED ? maps : errors,
                     smmu_vcm_info_json_run(run));
    }
    qdict_put_obj(d, "mappings", QOBJECT(maps));
    qdict_put_obj(d, "walk-errors", QOBJECT(errors));
    qdict_put_int(d, "mapped-bytes", m.mapped_bytes);
    qdict_put_int(d, "omitted-runs", m.omitted_runs);
    qdict_put_int(d, "omitted-bytes", m.omitted_bytes);
    g_array_free(m.runs, true);
    return d;
}

static QList *smmu_vcm_info_json_tlb(SMMUVCMState *s)
{
    QList *l = qlist_new();

    for (uint32_t i = 0; i < s->tlb.size; i++) {
        const SMMUVCMTLBEntry *e = &s->tlb.entries[i];
        QDict *d;

        if (!e->valid) {
            continue;
        }
        d = qdict_new();
        qdict_put_int(d, "index", i);
        qdict_put_int(d, "context", e->tag.ctx);
        qdict_put_int(d, "vmid", e->tag.vmid);
        qdict_put_bool(d, "ng", e->t.ng);
        if (e->t.ng) {
            qdict_put_int(d, "asid", e->tag.asid);
        }
        qdict_put_int(d, "iova", e->t.va_base);
        qdict_put_int(d, "pa", e->t.pa_base);
        qdict_put_int(d, "size", e->t.size);
        qdict_put_str(d, "size-class", smmu_vcm_info_size_class(e->t.size));
        qdict_put_str(d, "perms", smmu_vcm_info_perms(e->t.perms, false));
        qdict_put_str(d, "user-perms",
                      smmu_vcm_info_perms(e->t.perms, true));
        qdict_put_int(d, "hits", e->hits);
        qlist_append(l, d);
    }
    return l;
}

/* The "info-json" property (docs/devel/debugging.rst) */
char *smmu_vcm_info_json(Object *obj, Error **errp)
{
    SMMUVCMState *s = SMMU_VCM(obj);
    g_autoptr(QDict) d = NULL;
    QList *ctxs, *mids, *masters;
    QDict *stats;
    g_autofree char *path = object_get_canonical_path(obj);
    GString *json;

    if (!DEVICE(obj)->realized) {
        error_setg(errp, "smmu-vcm is not realized");
        return NULL;
    }
    d = qdict_new();
    ctxs = qlist_new();
    mids = qlist_new();
    masters = qlist_new();
    stats = qdict_new();
    qdict_put_str(d, "format", SMMU_VCM_INFO_FORMAT);
    qdict_put_int(d, "version", SMMU_VCM_INFO_VERSION);
    qdict_put_str(d, "path", path);
    qdict_put_int(d, "num-contexts", s->num_contexts);
    qdict_put_int(d, "num-mids", s->num_mids);
    qdict_put_int(d, "cr", s->cr);
    qdict_put_bool(d, "clientpd", FIELD_EX32(s->cr, CR, CLIENTPD));
    qdict_put_int(d, "esr", s->esr);
    qdict_put_int(d, "ear", s->ear);
    qdict_put_bool(d, "check-stale", s->check_stale);
    for (unsigned ctx = 0; ctx < s->num_contexts; ctx++) {
        qlist_append(ctxs, smmu_vcm_info_json_ctx(s, ctx));
    }
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        g_autofree char *master = smmu_vcm_info_master_path(s, mid);
        QDict *m;

        if (smmu_vcm_info_mid_routed(s, mid)) {
            m = qdict_new();
            qdict_put_int(m, "mid", mid);
            qdict_put_int(m, "context",
                          FIELD_EX32(s->m2vcbr[mid], M2VCBR, CBNDX));
            qdict_put_int(m, "vmid", FIELD_EX32(s->m2vcbr[mid], M2VCBR,
                                                VMID));
            qdict_put_bool(m, "bypass-disabled",
                           FIELD_EX32(s->m2vcbr[mid], M2VCBR, BYPASSD));
            qlist_append(mids, m);
        }
        if (master) {
            m = qdict_new();
            qdict_put_int(m, "mid", mid);
            qdict_put_str(m, "path", master);
            qlist_append(masters, m);
        }
    }
    for (size_t i = 0; i < smmu_vcm_stat_count; i++) {
        qdict_put_int(stats, smmu_vcm_stat_info[i].name,
                      *smmu_vcm_stat_ptr(s, i));
    }
    qdict_put_obj(d, "contexts", QOBJECT(ctxs));
    qdict_put_obj(d, "mids", QOBJECT(mids));
    qdict_put_obj(d, "masters", QOBJECT(masters));
    qdict_put_obj(d, "tlb", QOBJECT(smmu_vcm_info_json_tlb(s)));
    qdict_put_obj(d, "stats", QOBJECT(stats));
    json = qobject_to_json(QOBJECT(d));
    return g_string_free(json, false);
}
