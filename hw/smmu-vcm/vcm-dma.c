/*
 * vcm-dma: the DMA master that sits behind smmu-vcm
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sysbus front end of the vcm-dma engine (vcm-dma-engine.c; the
 * contract is docs/specs/vcm-dma.rst, "spec" below): every access
 * carries its master ID through the IOMMU region smmu-vcm gives that
 * ID, and the engine parks on a stalled fault (TYPE_SMMU_VCM_STALLABLE).
 * Without an "iommu" link it masters system memory directly, the bypass
 * baseline. The x-identity-block knob puts an IOMMU region in between
 * instead that maps every block of that size to itself (spec 6): what
 * QEMU's memory API costs per translation, with no IOMMU logic at all.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/vcm-dma.h"
#include "hw/qdev-properties.h"
#include "qapi/visitor.h"
#include "migration/vmstate.h"

/* spec 6: the block around @addr, itself, readable and writable */
static IOMMUTLBEntry vcm_dma_identity_translate(IOMMUMemoryRegion *iommu,
                                                hwaddr addr,
                                                IOMMUAccessFlags flag,
                                                int iommu_idx)
{
    VCMDMAState *s = container_of(iommu, VCMDMAState, identity);
    hwaddr mask = s->identity_block - 1;

    return (IOMMUTLBEntry) {
        .target_as = &address_space_memory,
        .iova = addr & ~mask,
        .translated_addr = addr & ~mask,
        .addr_mask = mask,
        .perm = IOMMU_RW,
    };
}

static void vcm_dma_identity_class_init(ObjectClass *klass, void *data)
{
    IOMMUMemoryRegionClass *imrc = IOMMU_MEMORY_REGION_CLASS(klass);

    imrc->translate = vcm_dma_identity_translate;
}

static void vcm_dma_realize(DeviceState *dev, Error **errp)
{
    VCMDMAState *s = VCM_DMA(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    MemoryRegion *downstream = get_system_memory();
    /* the engine is a privileged master */
    MemTxAttrs attrs = { .requester_id = s->mid, .user = 0 };

    if (!vcm_dma_engine_check_props(&s->engine, errp)) {
        return;
    }
    if (s->identity_block && (s->smmu || !is_power_of_2(s->identity_block) ||
                              s->identity_block < 4096)) {
        error_setg(errp, "x-identity-block must be a power of two of at "
                   "least 4096, without iommu");
        return;
    }
    if (s->smmu) {
        IOMMUMemoryRegion *mr = smmu_vcm_connect_master(s->smmu, s->mid,
                                                        OBJECT(s), errp);
        if (!mr) {
            return;
        }
        downstream = MEMORY_REGION(mr);
    } else if (s->identity_block) {
        memory_region_init_iommu(&s->identity, sizeof(s->identity),
                                 TYPE_VCM_DMA_IDENTITY_IOMMU_MR, OBJECT(s),
                                 "vcm-dma-identity", UINT64_MAX);
        downstream = MEMORY_REGION(&s->identity);
    }
    address_space_init(&s->dma_as, downstream, "vcm-dma");
    vcm_dma_engine_realize(&s->engine, dev, &s->dma_as,
                           s->smmu || s->identity_block, attrs);
    sysbus_init_mmio(sbd, vcm_dma_engine_mmio(&s->engine));
    sysbus_init_irq(sbd, &s->engine.irq);
}

static void vcm_dma_unrealize(DeviceState *dev)
{
    VCMDMAState *s = VCM_DMA(dev);

    vcm_dma_engine_unrealize(&s->engine);
    address_space_destroy(&s->dma_as);
}

static void vcm_dma_reset_hold(Object *obj, ResetType type)
{
    vcm_dma_engine_reset(&VCM_DMA(obj)->engine);
}

static void vcm_dma_park(SMMUVCMStallable *master, uint32_t va)
{
    vcm_dma_engine_park(&VCM_DMA(master)->engine);
}

static void vcm_dma_resume(SMMUVCMStallable *master, bool terminate)
{
    vcm_dma_engine_resume(&VCM_DMA(master)->engine, terminate);
}

static int vcm_dma_pre_save(void *opaque)
{
    vcm_dma_engine_pre_save(&VCM_DMA(opaque)->engine);
    return 0;
}

static int vcm_dma_post_load(void *opaque, int version_id)
{
    vcm_dma_engine_post_load(&VCM_DMA(opaque)->engine, version_id >= 2);
    return 0;
}

/* A field of the engine, named as vcm-dma's sections named it */
#define VMSTATE_VCM_DMA_FIELD(_name, _field, _v, _info, _type) {         \
    .name = (_name),                                                    \
    .version_id = (_v),                                                 \
    .size = sizeof(_type),                                              \
    .info = &(_info),                                                   \
    .flags = VMS_SINGLE,                                                \
    .offset = vmstate_offset_value(VCMDMAState, engine._field, _type),  \
}
#define VMSTATE_VCM_DMA_REG(_r) \
    VMSTATE_VCM_DMA_FIELD("regs[" #_r "]", regs[_r], 0, vmstate_info_uint32, \
                          uint32_t)

static const VMStateDescription vmstate_vcm_dma = {
    .name = TYPE_VCM_DMA,
    .version_id = 2,
    .minimum_version_id = 1,
    .pre_save = vcm_dma_pre_save,
    .post_load = vcm_dma_post_load,
    .fields = (const VMStateField[]) {
        /* the version 1 layout: 64-bit fields as their HI and LO words */
        VMSTATE_VCM_DMA_REG(R_CTRL),
        VMSTATE_VCM_DMA_REG(R_STATUS),
        VMSTATE_VCM_DMA_REG(R_SRC_HI),
        VMSTATE_VCM_DMA_REG(R_SRC_LO),
        VMSTATE_VCM_DMA_REG(R_DST_HI),
        VMSTATE_VCM_DMA_REG(R_DST_LO),
        VMSTATE_VCM_DMA_REG(R_LEN),
        VMSTATE_VCM_DMA_REG(R_PATTERN),
        VMSTATE_VCM_DMA_REG(R_DONE_BYTES),
        VMSTATE_UNUSED(4),
        VMSTATE_VCM_DMA_REG(R_FAULT_ADDR),
        VMSTATE_VCM_DMA_REG(R_CHUNK),
        VMSTATE_VCM_DMA_REG(R_ITER),
        VMSTATE_VCM_DMA_REG(R_ELAPSED_NS_HI),
        VMSTATE_VCM_DMA_REG(R_ELAPSED_NS_LO),
        VMSTATE_VCM_DMA_FIELD("iter_done", iter_done, 0, vmstate_info_uint32,
                              uint32_t),
        VMSTATE_VCM_DMA_FIELD("running_ns", running_ns, 2, vmstate_info_int64,
                              int64_t),
        VMSTATE_END_OF_LIST()
    },
};

static const Property vcm_dma_properties[] = {
    DEFINE_PROP_LINK("iommu", VCMDMAState, smmu, TYPE_SMMU_VCM,
                     SMMUVCMState *),
    DEFINE_PROP_UINT32("mid", VCMDMAState, mid, 0),
    DEFINE_PROP_UINT32("x-identity-block", VCMDMAState, identity_block, 0),
    DEFINE_PROP_VCM_DMA_RUN_STEPS(VCMDMAState, engine),
    DEFINE_PROP_VCM_DMA_RUN_BYTES(VCMDMAState, engine),
};

static void vcm_dma_get_translations(Object *obj, Visitor *v,
                                     const char *name, void *opaque,
                                     Error **errp)
{
    uint64_t value = VCM_DMA(obj)->engine.translations;

    visit_type_uint64(v, name, &value, errp);
}

static void vcm_dma_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);
    SMMUVCMStallableClass *sc = SMMU_VCM_STALLABLE_CLASS(klass);

    dc->desc = "DMA master behind smmu-vcm (qemu,vcm-dma)";
    dc->realize = vcm_dma_realize;
    dc->unrealize = vcm_dma_unrealize;
    dc->vmsd = &vmstate_vcm_dma;
    dc->user_creatable = true;
    rc->phases.hold = vcm_dma_reset_hold;
    device_class_set_props(dc, vcm_dma_properties);
    sc->park = vcm_dma_park;
    sc->resume = vcm_dma_resume;
    object_class_property_set_description(klass, "iommu",
        "smmu-vcm this master sits behind (created earlier on the command "
        "line); unset: system memory, untranslated");
    object_class_property_set_description(klass, "mid",
        "master ID carried by every access (the DT iommus cell)");
    object_class_property_set_description(klass, "x-identity-block",
        "test knob: without iommu, DMA through an IOMMU region that maps "
        "each block of this many bytes to itself with no logic (the "
        "benchmark's floor); 0: off");
    vcm_dma_engine_describe_props(klass);
    object_class_property_add(klass, "translations", "uint64",
                              vcm_dma_get_translations, NULL, NULL, NULL);
    object_class_property_set_description(klass, "translations",
        "IOTLB lookups the engine made (read-only statistic)");
}

static const TypeInfo vcm_dma_types[] = {
    {
        .name = TYPE_VCM_DMA,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(VCMDMAState),
        .class_init = vcm_dma_class_init,
        .interfaces = (InterfaceInfo[]) {
            { TYPE_SMMU_VCM_STALLABLE },
            { }
        },
    }, {
        .name = TYPE_VCM_DMA_IDENTITY_IOMMU_MR,
        .parent = TYPE_IOMMU_MEMORY_REGION,
        .class_init = vcm_dma_identity_class_init,
    },
};

DEFINE_TYPES(vcm_dma_types)
