/*
 * vcm-dma: the DMA master that sits behind smmu-vcm
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A small copy/fill engine whose every access carries its master ID
 * through the SMMU it is linked to (docs/specs/vcm-dma.rst, "spec" below).
 * Without an "iommu" link it masters system memory directly.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/vcm-dma.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "trace.h"

REG32(ID, 0x00)
REG32(VERSION, 0x04)

#define VCM_DMA_ID          0x56444D41      /* "VDMA" */
#define VCM_DMA_VERSION     0x00010000

static uint64_t vcm_dma_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t value = 0;

    switch (offset) {
    case A_ID:
        value = VCM_DMA_ID;
        break;
    case A_VERSION:
        value = VCM_DMA_VERSION;
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%02" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
    trace_vcm_dma_read(offset, value);
    return value;
}

static void vcm_dma_write(void *opaque, hwaddr offset, uint64_t value,
                          unsigned size)
{
    trace_vcm_dma_write(offset, value);
    switch (offset) {
    case A_ID:
    case A_VERSION:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to read-only register "
                      "0x%02" HWADDR_PRIx "\n", __func__, offset);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%02" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
}

static const MemoryRegionOps vcm_dma_ops = {
    .read = vcm_dma_read,
    .write = vcm_dma_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static void vcm_dma_realize(DeviceState *dev, Error **errp)
{
    VCMDMAState *s = VCM_DMA(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    MemoryRegion *downstream = get_system_memory();

    if (s->smmu) {
        IOMMUMemoryRegion *mr = smmu_vcm_get_master_mr(s->smmu, s->mid,
                                                       errp);
        if (!mr) {
            return;
        }
        downstream = MEMORY_REGION(mr);
    }
    address_space_init(&s->dma_as, downstream, "vcm-dma");

    memory_region_init_io(&s->iomem, OBJECT(s), &vcm_dma_ops, s,
                          TYPE_VCM_DMA, VCM_DMA_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    sysbus_init_irq(sbd, &s->irq);
}

static void vcm_dma_unrealize(DeviceState *dev)
{
    address_space_destroy(&VCM_DMA(dev)->dma_as);
}

static void vcm_dma_reset_exit(Object *obj, ResetType type)
{
    qemu_set_irq(VCM_DMA(obj)->irq, 0);
}

static const VMStateDescription vmstate_vcm_dma = {
    .name = TYPE_VCM_DMA,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_END_OF_LIST()
    },
};

static const Property vcm_dma_properties[] = {
    DEFINE_PROP_LINK("iommu", VCMDMAState, smmu, TYPE_SMMU_VCM,
                     SMMUVCMState *),
    DEFINE_PROP_UINT32("mid", VCMDMAState, mid, 0),
};

static void vcm_dma_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "DMA master behind smmu-vcm (qemu,vcm-dma)";
    dc->realize = vcm_dma_realize;
    dc->unrealize = vcm_dma_unrealize;
    dc->vmsd = &vmstate_vcm_dma;
    dc->user_creatable = true;
    rc->phases.exit = vcm_dma_reset_exit;
    device_class_set_props(dc, vcm_dma_properties);
    object_class_property_set_description(klass, "iommu",
        "smmu-vcm this master sits behind (created earlier on the command "
        "line); unset: system memory, untranslated");
    object_class_property_set_description(klass, "mid",
        "master ID carried by every access (the DT iommus cell)");
}

static const TypeInfo vcm_dma_info = {
    .name = TYPE_VCM_DMA,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(VCMDMAState),
    .class_init = vcm_dma_class_init,
};

static void vcm_dma_register_types(void)
{
    type_register_static(&vcm_dma_info);
}

type_init(vcm_dma_register_types)
