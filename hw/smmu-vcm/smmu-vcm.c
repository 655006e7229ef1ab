/*
 * smmu-vcm: Qualcomm MSM "SMMU v0" multi-context System MMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The IOMMU that Linux drivers/iommu/msm_iommu.c drives (DT compatible
 * "qcom,apq8064-iommu"). No hardware manual is public; the register
 * contract is ../shared/spec/smmu-vcm.md ("spec" below), derived from the
 * Linux driver and Qualcomm's older vendor code.
 *
 * The SMMU has a 1 MiB register window: context bank n at n << 12, the
 * MID-to-context map (M2VCBR) and context attributes (CBACR) at 0xFF000
 * and 0xFF800, global registers at 0xFFE00-0xFFFFF. Every bus master is
 * identified by its master ID (MID); each MID gets its own IOMMU memory
 * region covering the 32-bit input address space, which a DMA master
 * such as vcm-dma takes with smmu_vcm_get_master_mr().
 *
 * Out of reset every context has SCTLR.M = 0, so all traffic bypasses
 * translation (spec 3.2); translation is untranslated identity here.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/smmu-vcm.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "trace.h"

/* spec 1.2: global registers (offsets in the 1 MiB window) */
REG32(REV, 0xFFFF4)
    FIELD(REV, MINOR, 0, 4)
    FIELD(REV, MAJOR, 4, 4)
REG32(IDR, 0xFFFF8)
    FIELD(IDR, NM2VCBMT, 0, 9)
    FIELD(IDR, HTW, 9, 1)
    FIELD(IDR, HUM, 10, 1)
    FIELD(IDR, TLBSIZE, 12, 4)
    FIELD(IDR, NCB, 16, 8)
    FIELD(IDR, NIRPT, 24, 8)

/*
 * spec 1.2 [R]: counts are stored minus one; TLBSIZE is the bit length of
 * the TLB entry count (0: no TLB).
 */
static uint32_t smmu_vcm_idr(SMMUVCMState *s)
{
    uint32_t idr = 0;

    idr = FIELD_DP32(idr, IDR, NM2VCBMT, s->num_mids - 1);
    idr = FIELD_DP32(idr, IDR, HTW, 1);
    idr = FIELD_DP32(idr, IDR, TLBSIZE, 32 - clz32(s->tlb_entries));
    idr = FIELD_DP32(idr, IDR, NCB, s->num_contexts - 1);
    idr = FIELD_DP32(idr, IDR, NIRPT, SMMU_VCM_NUM_IRQS - 1);
    return idr;
}

static uint64_t smmu_vcm_read(void *opaque, hwaddr offset, unsigned size)
{
    SMMUVCMState *s = opaque;
    uint64_t value = 0;

    switch (offset) {
    case A_IDR:
        value = smmu_vcm_idr(s);
        break;
    case A_REV:
        value = FIELD_DP32(0, REV, MAJOR, 1);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%05" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
    trace_smmu_vcm_read(offset, value);
    return value;
}

static void smmu_vcm_write(void *opaque, hwaddr offset, uint64_t value,
                           unsigned size)
{
    trace_smmu_vcm_write(offset, value);
    switch (offset) {
    case A_IDR:
    case A_REV:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to read-only register "
                      "0x%05" HWADDR_PRIx "\n", __func__, offset);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%05" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
}

/* spec 1.1: all accesses are 32-bit */
static const MemoryRegionOps smmu_vcm_ops = {
    .read = smmu_vcm_read,
    .write = smmu_vcm_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

/* spec 3.2: with every context's SCTLR.M = 0, PA = VA over 32 bits. */
static IOMMUTLBEntry smmu_vcm_translate(IOMMUMemoryRegion *iommu,
                                        hwaddr addr, IOMMUAccessFlags flag,
                                        int iommu_idx)
{
    SMMUVCMMaster *m = container_of(iommu, SMMUVCMMaster, iommu);

    trace_smmu_vcm_translate_bypass(m->mid, addr);
    return (IOMMUTLBEntry) {
        .target_as = &address_space_memory,
        .iova = 0,
        .translated_addr = 0,
        .addr_mask = SMMU_VCM_VA_SIZE - 1,
        .perm = IOMMU_RW,
    };
}

IOMMUMemoryRegion *smmu_vcm_get_master_mr(SMMUVCMState *s, uint32_t mid,
                                          Error **errp)
{
    if (mid >= s->num_mids) {
        error_setg(errp, "master id %u out of range for %s (num-mids=%u)",
                   mid, object_get_canonical_path_component(OBJECT(s)),
                   s->num_mids);
        return NULL;
    }
    return &s->masters[mid].iommu;
}

static void smmu_vcm_realize(DeviceState *dev, Error **errp)
{
    SMMUVCMState *s = SMMU_VCM(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    uint32_t mid;

    if (s->num_contexts < 1 || s->num_contexts > SMMU_VCM_MAX_CONTEXTS) {
        error_setg(errp, "num-contexts must be 1..%u, not %u",
                   SMMU_VCM_MAX_CONTEXTS, s->num_contexts);
        return;
    }
    if (s->num_mids < 1 || s->num_mids > SMMU_VCM_MAX_MIDS) {
        error_setg(errp, "num-mids must be 1..%u, not %u",
                   SMMU_VCM_MAX_MIDS, s->num_mids);
        return;
    }
    if (s->tlb_entries > SMMU_VCM_MAX_TLB) {
        error_setg(errp, "tlb-entries must be 0..%u, not %u",
                   SMMU_VCM_MAX_TLB, s->tlb_entries);
        return;
    }

    memory_region_init_io(&s->iomem, OBJECT(s), &smmu_vcm_ops, s,
                          "smmu-vcm", SMMU_VCM_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    for (int i = 0; i < SMMU_VCM_NUM_IRQS; i++) {
        sysbus_init_irq(sbd, &s->irq[i]);
    }

    /* One IOMMU region per master ID (qemu-integration.md 2). */
    s->masters = g_new0(SMMUVCMMaster, s->num_mids);
    for (mid = 0; mid < s->num_mids; mid++) {
        SMMUVCMMaster *m = &s->masters[mid];
        g_autofree char *name = g_strdup_printf("smmu-vcm-mid%u", mid);

        m->smmu = s;
        m->mid = mid;
        memory_region_init_iommu(&m->iommu, sizeof(m->iommu),
                                 TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
                                 OBJECT(s), name, SMMU_VCM_VA_SIZE);
    }
}

static void smmu_vcm_reset_exit(Object *obj, ResetType type)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    for (int i = 0; i < SMMU_VCM_NUM_IRQS; i++) {
        qemu_set_irq(s->irq[i], 0);
    }
}

static void smmu_vcm_init(Object *obj)
{
    SMMUVCMState *s = SMMU_VCM(obj);

    /* Written by sysbus-fdt after realize, so not a qdev property. */
    object_property_add_uint32_ptr(obj, "fdt-phandle", &s->fdt_phandle,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_set_description(obj, "fdt-phandle",
        "phandle of the device-tree node (set by the machine)");
}

static const VMStateDescription vmstate_smmu_vcm = {
    .name = TYPE_SMMU_VCM,
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_IOMMU,
    .fields = (const VMStateField[]) {
        VMSTATE_END_OF_LIST()
    },
};

static const Property smmu_vcm_properties[] = {
    DEFINE_PROP_UINT32("num-contexts", SMMUVCMState, num_contexts, 4),
    DEFINE_PROP_UINT32("num-mids", SMMUVCMState, num_mids, 128),
    DEFINE_PROP_UINT32("tlb-entries", SMMUVCMState, tlb_entries, 64),
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
}

static void smmu_vcm_iommu_mr_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = smmu_vcm_translate;
}

static const TypeInfo smmu_vcm_types[] = {
    {
        .name = TYPE_SMMU_VCM,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SMMUVCMState),
        .instance_init = smmu_vcm_init,
        .class_init = smmu_vcm_class_init,
    }, {
        .name = TYPE_SMMU_VCM_IOMMU_MEMORY_REGION,
        .parent = TYPE_IOMMU_MEMORY_REGION,
        .class_init = smmu_vcm_iommu_mr_class_init,
    },
};

DEFINE_TYPES(smmu_vcm_types)
