/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The IOMMU that Linux drivers/iommu/msm_iommu.c drives (DT compatible
 * "qcom,apq8064-iommu"). No hardware manual is public; the register
 * contract is docs/specs/smmu-vcm.rst ("spec" below), derived from the
 * Linux driver and Qualcomm's older vendor code; it records the choices
 * made where the sources are silent.
 *
 * The SMMU has a 1 MiB register window: context bank n at n << 12, the
 * MID-to-context map (M2VCBR) and context attributes (CBACR) at 0xFF000
 * and 0xFF800, global registers at 0xFFE00-0xFFFFF. Every bus master is
 * identified by its master ID (MID); each MID gets its own IOMMU memory
 * region covering the 32-bit input address space. A transaction is routed
 * by M2VCBR[mid] to a context bank, which either passes it through
 * (SCTLR.M = 0) or translates it with ARMv7 short-descriptor tables
 * (smmu-vcm-walk.c) cached in one TLB shared by all banks (smmu-vcm-tlb.c).
 * This file is the register file, interrupts, QOM and migration; the
 * translation pipeline is smmu-vcm-xlate.c.
 *
 * Locking: translations run under the BQL like every platform master's
 * DMA and MMIO; the model takes no lock of its own.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "hw/smmu-vcm/smmu-vcm-walk.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "smmu-vcm-internal.h"
#include "trace.h"

/* Writable bits of the context registers that store what is written */
static const uint32_t smmu_vcm_ctx_rw_mask[SMMU_VCM_CTX_REGS] = {
    [R_SCTLR] = SMMU_VCM_FIELDS(SCTLR, M, AFFD),
    [R_ACTLR] = SMMU_VCM_FIELDS(ACTLR, CFERE, RCNSH) |
                SMMU_VCM_FIELDS(ACTLR, PRIVCFG, HUME) | R_ACTLR_PTMTCFG_MASK,
    [R_CONTEXTIDR] = UINT32_MAX,
    [R_TTBR0] = UINT32_MAX,
    [R_TTBR1] = UINT32_MAX,
    [R_TTBCR] = R_TTBCR_N_MASK | R_TTBCR_PD0_MASK | R_TTBCR_PD1_MASK,
    [R_PAR] = UINT32_MAX,
    [R_FAR] = UINT32_MAX,
    [R_FSYNR0] = UINT32_MAX,
    [R_FSYNR1] = UINT32_MAX,
    [R_PRRR] = UINT32_MAX,
    [R_NMRR] = UINT32_MAX,
    [R_TLBLCKR] = SMMU_VCM_FIELDS(TLBLCKR, LKE, TLBIVAACFG) |
                  R_TLBLCKR_FLOOR_MASK,
    [R_TLBFLPTER] = UINT32_MAX,
    [R_TLBSLPTER] = UINT32_MAX,
    [R_BFBCR] = SMMU_VCM_FIELDS(BFBCR, BFBDFE, FLVIC) | R_BFBCR_SLVIC_MASK,
};

#define ctx_reg smmu_vcm_ctx_reg

/*
 * spec 1.2 [R]: counts are stored minus one; TLBSIZE is the bit length of
 * the TLB entry count (0: no TLB).
 */
uint32_t smmu_vcm_idr(const SMMUVCMState *s)
{
    uint32_t idr = 0;

    idr = FIELD_DP32(idr, IDR, NM2VCBMT, s->num_mids - 1);
    idr = FIELD_DP32(idr, IDR, HTW, 1);
    idr = FIELD_DP32(idr, IDR, TLBSIZE, 32 - clz32(s->tlb_entries));
    idr = FIELD_DP32(idr, IDR, NCB, s->num_contexts - 1);
    idr = FIELD_DP32(idr, IDR, NIRPT, SMMU_VCM_NUM_IRQS - 1);
    return idr;
}

/*
 * spec 3.8: output k is high while a bank whose CBACR.IRPTNDX is k has
 * ACTLR.CFEIE set and a fault cause pending in FSR.
 */
void smmu_vcm_update_irq(SMMUVCMState *s)
{
    bool level[SMMU_VCM_NUM_IRQS] = { false };

    for (unsigned ctx = 0; ctx < s->num_contexts; ctx++) {
        unsigned k = FIELD_EX32(s->cbacr[ctx], CBACR, IRPTNDX);

        if (k < SMMU_VCM_NUM_IRQS &&
            FIELD_EX32(*ctx_reg(s, ctx, R_ACTLR), ACTLR, CFEIE) &&
            (*ctx_reg(s, ctx, R_FSR) & R_FSR_CAUSES_MASK)) {
            level[k] = true;
        }
    }
    for (unsigned k = 0; k < SMMU_VCM_NUM_IRQS; k++) {
        trace_smmu_vcm_irq(k, level[k]);
        qemu_set_irq(s->irq[k], level[k]);
    }
}

/* Anything a master's micro-TLB or routing decision depended on changed. */
static void smmu_vcm_config_changed(SMMUVCMState *s)
{
    s->config_gen++;
}

static void smmu_vcm_tlb_op(SMMUVCMState *s, const char *op, uint32_t value)
{
    s->stats.invalidations++;
    trace_smmu_vcm_tlb_invalidate(op, value);
}

/* Bank operations, 0x800-0x820 of a context bank (spec 1.4) */
static void smmu_vcm_ctx_op(SMMUVCMState *s, unsigned ctx, hwaddr reg,
                            uint32_t value)
{
    uint8_t vmid = FIELD_EX32(s->cbacr[ctx], CBACR, CBVMID);

    switch (reg) {
    case A_CTX_TLBIALL:
        smmu_vcm_tlb_op(s, "CTX_TLBIALL", ctx);
        smmu_vcm_tlb_inv_ctx(&s->tlb, ctx);
        break;
    case A_TLBIASID:
        smmu_vcm_tlb_op(s, "TLBIASID", value);
        smmu_vcm_tlb_inv_asid(&s->tlb, vmid,
                              FIELD_EX32(value, TLBIASID, ASID));
        break;
    case A_TLBIVA:
        smmu_vcm_tlb_op(s, "TLBIVA", value);
        smmu_vcm_tlb_inv_va(&s->tlb, vmid, FIELD_EX32(value, TLBIVA, ASID),
                            value & R_TLBIVA_VA_MASK);
        break;
    case A_TLBIVAA:
        smmu_vcm_tlb_op(s, "TLBIVAA", value);
        smmu_vcm_tlb_inv_va_all_asid(&s->tlb, vmid,
                                     value & R_TLBIVAA_VA_MASK);
        break;
    case A_V2PPR:
        smmu_vcm_v2p(s, ctx, value, false, false);
        break;
    case A_V2PPW:
        smmu_vcm_v2p(s, ctx, value, true, false);
        break;
    case A_V2PUR:
        smmu_vcm_v2p(s, ctx, value, false, true);
        break;
    case A_V2PUW:
        smmu_vcm_v2p(s, ctx, value, true, true);
        break;
    case A_RESUME:
        smmu_vcm_resume(s, ctx, FIELD_EX32(value, RESUME, TNR));
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: write to "
                      "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx, reg);
        break;
    }
}

static void smmu_vcm_ctx_write(SMMUVCMState *s, unsigned ctx, hwaddr reg,
                               uint32_t value)
{
    unsigned r = reg / 4;

    if (reg >= A_CTX_TLBIALL) {
        smmu_vcm_ctx_op(s, ctx, reg, value);
        return;
    }
    switch (reg) {
    case A_FSR:
        /* spec 1.3 [C][I]: write one to clear */
        *ctx_reg(s, ctx, R_FSR) &= ~value;
        smmu_vcm_update_irq(s);
        return;
    case A_FSRRESTORE:
        *ctx_reg(s, ctx, R_FSR) = value;
        smmu_vcm_update_irq(s);
        return;
    case A_V2PSR:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: V2PSR is "
                      "read-only\n", ctx);
        return;
    case A_TLBLCKR:
        if (!FIELD_EX32(s->cr, CR, TLBLKCRWE)) {
            qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: TLBLCKR "
                          "write while CR.TLBLKCRWE=0 ignored\n", ctx);
            return;
        }
        break;
    default:
        if (reg >= A_BFBCR + 4 || !smmu_vcm_ctx_rw_mask[r]) {
            qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: write to "
                          "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx,
                          reg);
            return;
        }
        break;
    }
    *ctx_reg(s, ctx, r) = value & smmu_vcm_ctx_rw_mask[r];
    smmu_vcm_decode_ctx(s, ctx);
    if (reg == A_ACTLR) {
        smmu_vcm_update_irq(s);
    }
}

static uint32_t smmu_vcm_ctx_read(SMMUVCMState *s, unsigned ctx, hwaddr reg)
{
    if (reg >= A_CTX_TLBIALL && reg <= A_RESUME) {
        return 0;                       /* spec 1.4 [R]: operations RAZ */
    }
    if (reg >= A_BFBCR + 4 || reg == A_FSRRESTORE ||
        (!smmu_vcm_ctx_rw_mask[reg / 4] && reg != A_FSR &&
         reg != A_V2PSR)) {
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: context %u: read of "
                      "unassigned offset 0x%03" HWADDR_PRIx "\n", ctx, reg);
        return 0;
    }
    return *ctx_reg(s, ctx, reg / 4);
}

/* TLBRSW selects an entry whose tags and data TLBTR0-2 then show. */
static void smmu_vcm_tlb_read_select(SMMUVCMState *s)
{
    unsigned i = FIELD_EX32(s->tlbrsw, TLBRSW, INDEX);
    const SMMUVCMTLBEntry *e = i < s->tlb.size ? &s->tlb.entries[i] : NULL;
    const SMMUVCMTranslation *t = e ? &e->t : NULL;

    if (!e || !e->valid) {
        memset(s->tlbtr, 0, sizeof(s->tlbtr));
        return;
    }
    /* spec 1.2: PR PW UR UW XN ... SH MT; DPSIZR [I] = 0 4K .. 3 16M */
    s->tlbtr[0] = FIELD_DP32(0, TLBTR0, PERMS, t->perms);
    s->tlbtr[0] = FIELD_DP32(s->tlbtr[0], TLBTR0, XN, t->xn);
    s->tlbtr[0] = FIELD_DP32(s->tlbtr[0], TLBTR0, NSDESC, t->ns);
    s->tlbtr[0] = FIELD_DP32(s->tlbtr[0], TLBTR0, SH, t->s);
    s->tlbtr[0] = FIELD_DP32(s->tlbtr[0], TLBTR0, DPSIZR,
                             (ctz32(t->size) - 12) / 4);
    s->tlbtr[1] = FIELD_DP32(0, TLBTR1, VMID, e->tag.vmid);
    s->tlbtr[1] = FIELD_DP32(s->tlbtr[1], TLBTR1, PA, t->pa_base >> 12);
    s->tlbtr[2] = FIELD_DP32(0, TLBTR2, ASID, t->ng ? e->tag.asid : 0);
    s->tlbtr[2] = FIELD_DP32(s->tlbtr[2], TLBTR2, V, 1);
    s->tlbtr[2] = FIELD_DP32(s->tlbtr[2], TLBTR2, VA, t->va_base >> 12);
}

static void smmu_vcm_global_write(SMMUVCMState *s, hwaddr offset,
                                  uint32_t value)
{
    switch (offset) {
    case A_TLBRSW:
        s->tlbrsw = value & SMMU_VCM_TLBRSW_RW;
        smmu_vcm_tlb_read_select(s);
        break;
    case A_TLBTR0:
    case A_TLBTR1:
    case A_TLBTR2:
        s->tlbtr[(offset - A_TLBTR0) / 4] = value;
        break;
    case A_TESTBUSCR:
        s->testbuscr = value;
        break;
    case A_GLOBAL_TLBIALL:
        smmu_vcm_tlb_op(s, "GLOBAL_TLBIALL", value);
        smmu_vcm_tlb_inv_all(&s->tlb);
        break;
    case A_TLBIVMID:
        smmu_vcm_tlb_op(s, "TLBIVMID", value);
        smmu_vcm_tlb_inv_vmid(&s->tlb, FIELD_EX32(value, TLBIVMID, VMID));
        break;
    case A_CR:
        s->cr = value & SMMU_VCM_CR_RW;
        smmu_vcm_config_changed(s);
        break;
    case A_EAR:
        s->ear = value;
        break;
    case A_ESR:
    case A_ESRRESTORE:
        s->esr = value;
        break;
    case A_ESYNR0:
        s->esynr0 = value;
        break;
    case A_ESYNR1:
        s->esynr1 = value;
        break;
    case A_RPU_ACR:
        s->rpu_acr = value;
        break;
    case A_IDR:
    case A_REV:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: write to read-only "
                      "register 0x%05" HWADDR_PRIx "\n", offset);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: write to unassigned "
                      "offset 0x%05" HWADDR_PRIx "\n", offset);
        break;
    }
}

static uint32_t smmu_vcm_global_read(SMMUVCMState *s, hwaddr offset)
{
    switch (offset) {
    case A_TLBRSW:
        return s->tlbrsw;
    case A_TLBTR0:
    case A_TLBTR1:
    case A_TLBTR2:
        return s->tlbtr[(offset - A_TLBTR0) / 4];
    case A_TESTBUSCR:
        return s->testbuscr;
    case A_GLOBAL_TLBIALL:
    case A_TLBIVMID:
    case A_ESRRESTORE:
        return 0;
    case A_CR:
        return s->cr;
    case A_EAR:
        return s->ear;
    case A_ESR:
        return s->esr;
    case A_ESYNR0:
        return s->esynr0;
    case A_ESYNR1:
        return s->esynr1;
    case A_REV:
        return FIELD_DP32(0, REV, MAJOR, 1);
    case A_IDR:
        return smmu_vcm_idr(s);
    case A_RPU_ACR:
        return s->rpu_acr;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: read of unassigned "
                      "offset 0x%05" HWADDR_PRIx "\n", offset);
        return 0;
    }
}

/*
 * Decode the window (spec 1.1). Banks, MIDs and CBACRs beyond what this
 * instance has are RAZ/WI with a guest error, never a bus error: Linux's
 * reset loop walks every bank up to the device tree's qcom,ncb.
 */
static bool smmu_vcm_index_ok(const char *what, unsigned index,
                              unsigned count)
{
    if (index < count) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "smmu-vcm: %s %u does not exist "
                  "(%u implemented)\n", what, index, count);
    return false;
}

static uint64_t smmu_vcm_read(void *opaque, hwaddr offset, unsigned size)
{
    SMMUVCMState *s = opaque;
    uint32_t value = 0;
    unsigned index;

    if (offset < A_M2VCBR_BASE) {
        index = offset >> 12;
        if (smmu_vcm_index_ok("context bank", index, s->num_contexts)) {
            value = smmu_vcm_ctx_read(s, index, offset & SMMU_VCM_BANK_MASK);
        }
    } else if (offset < A_CBACR_BASE) {
        index = (offset - A_M2VCBR_BASE) / 4;
        if (smmu_vcm_index_ok("M2VCBR", index, s->num_mids)) {
            value = s->m2vcbr[index];
        }
    } else if (offset < A_GLOBAL_BASE) {
        index = (offset - A_CBACR_BASE) / 4;
        if (smmu_vcm_index_ok("CBACR", index, s->num_contexts)) {
            value = s->cbacr[index];
        }
    } else {
        value = smmu_vcm_global_read(s, offset);
    }
    trace_smmu_vcm_read(offset, value);
    return value;
}

static void smmu_vcm_write(void *opaque, hwaddr offset, uint64_t value,
                           unsigned size)
{
    SMMUVCMState *s = opaque;
    unsigned index;

    trace_smmu_vcm_write(offset, value);
    if (offset < A_M2VCBR_BASE) {
        index = offset >> 12;
        if (smmu_vcm_index_ok("context bank", index, s->num_contexts)) {
            smmu_vcm_ctx_write(s, index, offset & SMMU_VCM_BANK_MASK,
                               value);
        }
    } else if (offset < A_CBACR_BASE) {
        index = (offset - A_M2VCBR_BASE) / 4;
        if (smmu_vcm_index_ok("M2VCBR", index, s->num_mids)) {
            s->m2vcbr[index] = value & SMMU_VCM_M2VCBR_RW;
            smmu_vcm_config_changed(s);
        }
    } else if (offset < A_GLOBAL_BASE) {
        index = (offset - A_CBACR_BASE) / 4;
        if (smmu_vcm_index_ok("CBACR", index, s->num_contexts)) {
            s->cbacr[index] = value & SMMU_VCM_CBACR_RW;
            smmu_vcm_decode_ctx(s, index);
            smmu_vcm_update_irq(s);
        }
    } else {
        smmu_vcm_global_write(s, offset, value);
    }
}

/*
 * spec 1.1: all accesses are 32-bit. Other sizes reach the handlers as
 * whole registers (impl is 4 bytes) after a guest error from the core.
 */
static const MemoryRegionOps smmu_vcm_ops = {
    .read = smmu_vcm_read,
    .write = smmu_vcm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* spec 3.9: terminated accesses with CFERE=0 read as zero, writes ignored */
static uint64_t smmu_vcm_raz_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void smmu_vcm_wi_write(void *opaque, hwaddr addr, uint64_t value,
                              unsigned size)
{
}

static const MemoryRegionOps smmu_vcm_raz_wi_ops = {
    .read = smmu_vcm_raz_read,
    .write = smmu_vcm_wi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
};

/* spec 3.9: aborted and stalled accesses end with an error to the master */
static MemTxResult smmu_vcm_abort_read(void *opaque, hwaddr addr,
                                       uint64_t *data, unsigned size,
                                       MemTxAttrs attrs)
{
    *data = 0;
    return MEMTX_ACCESS_ERROR;
}

static MemTxResult smmu_vcm_abort_write(void *opaque, hwaddr addr,
                                        uint64_t data, unsigned size,
                                        MemTxAttrs attrs)
{
    return MEMTX_ACCESS_ERROR;
}

static const MemoryRegionOps smmu_vcm_abort_ops = {
    .read_with_attrs = smmu_vcm_abort_read,
    .write_with_attrs = smmu_vcm_abort_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
};

IOMMUMemoryRegion *smmu_vcm_connect_master(SMMUVCMState *s, uint32_t mid,
                                           Object *master, Error **errp)
{
    const char *name = object_get_canonical_path_component(OBJECT(s));
    SMMUVCMMaster *m;

    if (mid >= s->num_mids) {
        error_setg(errp, "master id %u out of range for %s (num-mids=%u)",
                   mid, name, s->num_mids);
        return NULL;
    }
    m = &s->masters[mid];
    if (m->connected) {
        g_autofree char *other = object_get_canonical_path(m->connected);

        error_setg(errp, "master id %u of %s is already used by %s", mid,
                   name, other);
        return NULL;
    }
    m->connected = master;
    m->stallable = (SMMUVCMStallable *)
                   object_dynamic_cast(master, TYPE_SMMU_VCM_STALLABLE);
    return &m->iommu;
}

static bool smmu_vcm_check_props(SMMUVCMState *s, Error **errp)
{
    if (s->num_contexts < 1 || s->num_contexts > SMMU_VCM_MAX_CONTEXTS) {
        error_setg(errp, "num-contexts must be 1..%u, not %u",
                   SMMU_VCM_MAX_CONTEXTS, s->num_contexts);
        return false;
    }
    if (s->num_mids < 1 || s->num_mids > SMMU_VCM_MAX_MIDS) {
        error_setg(errp, "num-mids must be 1..%u, not %u",
                   SMMU_VCM_MAX_MIDS, s->num_mids);
        return false;
    }
    if (s->tlb_entries > SMMU_VCM_MAX_TLB) {
        error_setg(errp, "tlb-entries must be 0..%u, not %u",
                   SMMU_VCM_MAX_TLB, s->tlb_entries);
        return false;
    }
    return true;
}

/* Per context bank: how its translations used the shared TLB */
static void smmu_vcm_add_ctx_stats(SMMUVCMState *s)
{
    Object *obj = OBJECT(s);

    for (unsigned ctx = 0; ctx < s->num_contexts; ctx++) {
        g_autofree char *hits = g_strdup_printf("cb%u-tlb-hits", ctx);
        g_autofree char *misses = g_strdup_printf("cb%u-tlb-misses", ctx);

        object_property_add_uint64_ptr(obj, hits, &s->ctx_stats[ctx].tlb_hits,
                                       OBJ_PROP_FLAG_READ);
        object_property_set_description(obj, hits, "TLB hits of "
                                        "translations in this context bank "
                                        "(read-only)");
        object_property_add_uint64_ptr(obj, misses,
                                       &s->ctx_stats[ctx].tlb_misses,
                                       OBJ_PROP_FLAG_READ);
        object_property_set_description(obj, misses, "TLB misses of "
                                        "translations in this context bank "
                                        "(read-only)");
    }
}

static void smmu_vcm_realize(DeviceState *dev, Error **errp)
{
    SMMUVCMState *s = SMMU_VCM(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (!smmu_vcm_check_props(s, errp)) {
        return;
    }
    memory_region_init_io(&s->iomem, OBJECT(s), &smmu_vcm_ops, s,
                          "smmu-vcm", SMMU_VCM_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    for (int i = 0; i < SMMU_VCM_NUM_IRQS; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }

    address_space_init(&s->downstream, s->downstream_mr ?: get_system_memory(),
                       "smmu-vcm-downstream");
    memory_region_init_io(&s->raz_wi, OBJECT(s), &smmu_vcm_raz_wi_ops, s,
                          "smmu-vcm-raz-wi", UINT64_MAX);
    address_space_init(&s->raz_wi_as, &s->raz_wi, "smmu-vcm-raz-wi");
    memory_region_init_io(&s->abort, OBJECT(s), &smmu_vcm_abort_ops, s,
                          "smmu-vcm-abort", UINT64_MAX);
    address_space_init(&s->abort_as, &s->abort, "smmu-vcm-abort");
    smmu_vcm_tlb_init(&s->tlb, s->tlb_entries);
    smmu_vcm_add_ctx_stats(s);

    /* One IOMMU region per master ID (docs/specs/smmu-vcm.rst 9.1). */
    s->masters = g_new0(SMMUVCMMaster, s->num_mids);
    for (uint32_t mid = 0; mid < s->num_mids; mid++) {
        SMMUVCMMaster *m = &s->masters[mid];
        g_autofree char *name = g_strdup_printf("smmu-vcm-mid%u", mid);

        m->smmu = s;
        m->mid = mid;
        memory_region_init_iommu(&m->iommu, sizeof(m->iommu),
                                 TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
                                 OBJECT(s), name, SMMU_VCM_VA_SIZE);
    }
}

/* Everything derived from the registers follows them. */
static void smmu_vcm_registers_changed(SMMUVCMState *s)
{
    for (unsigned ctx = 0; ctx < SMMU_VCM_MAX_CONTEXTS; ctx++) {
        smmu_vcm_decode_ctx(s, ctx);
    }
    smmu_vcm_tlb_inv_all(&s->tlb);
    smmu_vcm_config_changed(s);
    smmu_vcm_update_irq(s);
}

/*
 * spec 6 [R]: every register resets to 0 (M2VCBR 0: bank 0, bypass), so
 * all masters pass through until a driver attaches. Runs in the exit
 * phase, after masters have quiesced their DMA.
 */
static void smmu_vcm_reset_exit(Object *obj, ResetType type)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    memset(s->ctx, 0, sizeof(s->ctx));
    memset(s->m2vcbr, 0, sizeof(s->m2vcbr));
    memset(s->cbacr, 0, sizeof(s->cbacr));
    s->cr = s->tlbrsw = s->testbuscr = s->rpu_acr = 0;
    s->ear = s->esr = s->esynr0 = s->esynr1 = 0;
    memset(s->tlbtr, 0, sizeof(s->tlbtr));
    smmu_vcm_registers_changed(s);
}

/* The read-only statistics, one QOM property each */
const SMMUVCMStatInfo smmu_vcm_stat_info[] = {
#define STAT(name, field, desc) \
    { name, offsetof(SMMUVCMState, field), desc " (read-only)" }
    STAT("translations", stats.translations, "translate calls from masters"),
    STAT("tlb-hits", stats.tlb_hits, "TLB hits"),
    STAT("tlb-misses", stats.tlb_misses, "TLB misses"),
    STAT("walks", stats.walks, "page-table walks"),
    STAT("desc-reads", stats.desc_reads, "descriptor reads by walks"),
    STAT("evictions", tlb.evictions, "valid TLB entries replaced"),
    STAT("invalidations", stats.invalidations, "TLB maintenance operations"),
    STAT("faults", stats.faults, "context faults"),
    STAT("stalls", stats.stalls, "faults that stalled"),
    STAT("stale-hits", stats.stale_hits, "TLB hits the page tables no "
         "longer agree with, with check-stale=on"),
#undef STAT
};
const size_t smmu_vcm_stat_count = ARRAY_SIZE(smmu_vcm_stat_info);

static void smmu_vcm_init(Object *obj)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    s->config = g_new0(SMMUVCMCtxConfig, SMMU_VCM_MAX_CONTEXTS);

    for (unsigned i = 0; i < smmu_vcm_stat_count; i++) {
        object_property_add_uint64_ptr(obj, smmu_vcm_stat_info[i].name,
                                       smmu_vcm_stat_ptr(s, i),
                                       OBJ_PROP_FLAG_READ);
        object_property_set_description(obj, smmu_vcm_stat_info[i].name,
                                        smmu_vcm_stat_info[i].desc);
    }
}

static void smmu_vcm_finalize(Object *obj)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    smmu_vcm_tlb_destroy(&s->tlb);
    g_free(s->masters);
    g_free(s->config);
}

/* The TLB is not migrated: the destination starts empty (spec 4.4). */
static int smmu_vcm_post_load(void *opaque, int version_id)
{
    smmu_vcm_registers_changed(opaque);
    return 0;
}

static const VMStateDescription vmstate_smmu_vcm_ctx = {
    .name = "smmu-vcm/context",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, SMMUVCMContext, SMMU_VCM_CTX_REGS),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_smmu_vcm = {
    .name = TYPE_SMMU_VCM,
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_IOMMU,
    .post_load = smmu_vcm_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(ctx, SMMUVCMState, SMMU_VCM_MAX_CONTEXTS, 1,
                             vmstate_smmu_vcm_ctx, SMMUVCMContext),
        VMSTATE_UINT32_ARRAY(m2vcbr, SMMUVCMState, SMMU_VCM_MAX_MIDS),
        VMSTATE_UINT32_ARRAY(cbacr, SMMUVCMState, SMMU_VCM_MAX_CONTEXTS),
        VMSTATE_UINT32(cr, SMMUVCMState),
        VMSTATE_UINT32(tlbrsw, SMMUVCMState),
        VMSTATE_UINT32_ARRAY(tlbtr, SMMUVCMState, 3),
        VMSTATE_UINT32(testbuscr, SMMUVCMState),
        VMSTATE_UINT32(ear, SMMUVCMState),
        VMSTATE_UINT32(esr, SMMUVCMState),
        VMSTATE_UINT32(esynr0, SMMUVCMState),
        VMSTATE_UINT32(esynr1, SMMUVCMState),
        VMSTATE_UINT32(rpu_acr, SMMUVCMState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property smmu_vcm_properties[] = {
    DEFINE_PROP_UINT32("num-contexts", SMMUVCMState, num_contexts, 4),
    DEFINE_PROP_UINT32("num-mids", SMMUVCMState, num_mids, 128),
    DEFINE_PROP_UINT32("tlb-entries", SMMUVCMState, tlb_entries, 64),
    DEFINE_PROP_BOOL("check-stale", SMMUVCMState, check_stale, false),
    DEFINE_PROP_BOOL("x-tlb-runs", SMMUVCMState, tlb_runs, true),
    DEFINE_PROP_BOOL("x-fault-sl", SMMUVCMState, fault_sl, false),
    DEFINE_PROP_BOOL("x-fault-multi", SMMUVCMState, fault_multi, false),
    DEFINE_PROP_BOOL("x-force-abort", SMMUVCMState, force_abort, false),
    DEFINE_PROP_LINK("downstream", SMMUVCMState, downstream_mr,
                     TYPE_MEMORY_REGION, MemoryRegion *),
};

static void smmu_vcm_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Qualcomm MSM SMMU v0 (qcom,apq8064-iommu)";
    dc->realize = smmu_vcm_realize;
    dc->vmsd = &vmstate_smmu_vcm;
    dc->user_creatable = true;
    rc->phases.exit = smmu_vcm_reset_exit;
    device_class_set_props(dc, smmu_vcm_properties);
    object_class_property_set_description(klass, "num-contexts",
        "context banks (1-128); the guest sees it as qcom,ncb");
    object_class_property_set_description(klass, "num-mids",
        "master IDs routed by M2VCBR (1-512)");
    object_class_property_set_description(klass, "tlb-entries",
        "entries of the TLB shared by all contexts (0 = walk every access)");
    object_class_property_set_description(klass, "check-stale",
        "re-walk every TLB hit and count/trace the ones the page tables "
        "no longer agree with (missing invalidations)");
    object_class_property_set_description(klass, "x-tlb-runs",
        "test knob: answer a master's access to a cached 4K (64K) page "
        "for the whole aligned 64K (1M) when the TLB holds all 16 pages, "
        "contiguous and equally permitted (off: one page per translation)");
    object_class_property_set_description(klass, "x-fault-sl",
        "test knob: set FSR.SL for level-2 faults (Linux 6.1 never clears "
        "it)");
    object_class_property_set_description(klass, "x-fault-multi",
        "test knob: set FSR.MULTI for faults while one is recorded (Linux "
        "6.1 never clears it)");
    object_class_property_set_description(klass, "x-force-abort",
        "test knob: terminate faulting accesses with an abort even when "
        "ACTLR.CFERE=0");
    object_class_property_set_description(klass, "downstream",
        "memory region that table walks read and translated transactions "
        "reach (default: system memory)");
    object_class_property_add_str(klass, "info-json", smmu_vcm_info_json,
                                  NULL);
    object_class_property_set_description(klass, "info-json",
        "registers, routing, mappings found by walking the tables, TLB and "
        "statistics as JSON, format smmu-vcm-info version 1 (read-only; "
        "docs/devel/debugging.rst)");
}

static const TypeInfo smmu_vcm_types[] = {
    {
        .name = TYPE_SMMU_VCM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SMMUVCMState),
        .instance_init = smmu_vcm_init,
        .instance_finalize = smmu_vcm_finalize,
        .class_init = smmu_vcm_class_init,
    }, {
        .name = TYPE_SMMU_VCM_STALLABLE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(SMMUVCMStallableClass),
    },
};

static void smmu_vcm_register_types(void)
{
    type_register_static_array(smmu_vcm_types, ARRAY_SIZE(smmu_vcm_types));
    type_register_static(&smmu_vcm_iommu_mr_info);
}

type_init(smmu_vcm_register_types)
