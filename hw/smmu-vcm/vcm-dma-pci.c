/*
 * vcm-dma-pci: the vcm-dma engine as a PCI function, a DMA test master
 * for any QEMU IOMMU
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The registers and the engine of vcm-dma (vcm-dma-engine.c, contract
 * docs/specs/vcm-dma.rst, "spec" below) in BAR 0, with INTx A as its
 * interrupt. Its DMA goes through the function's bus-master address
 * space, which is where the machine's IOMMU for PCI (SMMUv3 on
 * -M virt,iommu=smmuv3, or none) sits, and needs the guest to enable bus
 * mastering like any PCI device. With no IOMMU the engine's steps are
 * bounded by CHUNK only, as vcm-dma's bypass.
 *
 * QEMU interface:
 *  + PCI BAR 0: the 4 KiB register window (32-bit memory)
 *  + INTx A: DONE, ERROR or STALLED while CTRL.IRQ_EN (level)
 *  + QOM property "translations": IOTLB lookups made (read-only)
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "exec/address-spaces.h"
#include "hw/irq.h"
#include "hw/pci/pci_device.h"
#include "hw/qdev-properties.h"
#include "hw/smmu-vcm/vcm-dma-engine.h"
#include "migration/vmstate.h"
#include "qom/object.h"

#define TYPE_VCM_DMA_PCI "vcm-dma-pci"
OBJECT_DECLARE_SIMPLE_TYPE(VCMDMAPCIState, VCM_DMA_PCI)

/* spec 5: this project's IDs, for testing only */
#define VCM_DMA_PCI_DEVICE_ID   0x5644

struct VCMDMAPCIState {
    PCIDevice parent_obj;

    VCMDMAEngine engine;
};

static void vcm_dma_pci_realize(PCIDevice *pdev, Error **errp)
{
    VCMDMAPCIState *s = VCM_DMA_PCI(pdev);
    AddressSpace *as = pci_get_address_space(pdev);
    bool iommu = pci_device_iommu_address_space(pdev) !=
                 &address_space_memory;
    MemTxAttrs attrs = { .requester_id = pci_requester_id(pdev) };

    if (!vcm_dma_engine_check_props(&s->engine, errp)) {
        return;
    }
    pci_config_set_interrupt_pin(pdev->config, 1);
    vcm_dma_engine_realize(&s->engine, DEVICE(pdev), as, iommu, attrs);
    s->engine.irq = pci_allocate_irq(pdev);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     vcm_dma_engine_mmio(&s->engine));
}

static void vcm_dma_pci_exit(PCIDevice *pdev)
{
    VCMDMAPCIState *s = VCM_DMA_PCI(pdev);

    qemu_free_irq(s->engine.irq);
    vcm_dma_engine_unrealize(&s->engine);
}

static void vcm_dma_pci_reset_hold(Object *obj, ResetType type)
{
    vcm_dma_engine_reset(&VCM_DMA_PCI(obj)->engine);
}

static int vcm_dma_pci_pre_save(void *opaque)
{
    vcm_dma_engine_pre_save(&VCM_DMA_PCI(opaque)->engine);
    return 0;
}

static int vcm_dma_pci_post_load(void *opaque, int version_id)
{
    vcm_dma_engine_post_load(&VCM_DMA_PCI(opaque)->engine, true);
    return 0;
}

static const VMStateDescription vmstate_vcm_dma_pci = {
    .name = TYPE_VCM_DMA_PCI,
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = vcm_dma_pci_pre_save,
    .post_load = vcm_dma_pci_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VCMDMAPCIState),
        VMSTATE_STRUCT(engine, VCMDMAPCIState, 1, vmstate_vcm_dma_engine,
                       VCMDMAEngine),
        VMSTATE_END_OF_LIST()
    },
};

static const Property vcm_dma_pci_properties[] = {
    DEFINE_PROP_VCM_DMA_RUN_STEPS(VCMDMAPCIState, engine),
    DEFINE_PROP_VCM_DMA_RUN_BYTES(VCMDMAPCIState, engine),
};

static void vcm_dma_pci_get_translations(Object *obj, Visitor *v,
                                         const char *name, void *opaque,
                                         Error **errp)
{
    uint64_t value = VCM_DMA_PCI(obj)->engine.translations;

    visit_type_uint64(v, name, &value, errp);
}

static void vcm_dma_pci_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    k->realize = vcm_dma_pci_realize;
    k->exit = vcm_dma_pci_exit;
    k->vendor_id = PCI_VENDOR_ID_QEMU;
    k->device_id = VCM_DMA_PCI_DEVICE_ID;
    k->revision = 1;
    k->class_id = PCI_CLASS_SYSTEM_OTHER;
    dc->desc = "vcm-dma engine as a PCI function: a DMA test master for "
               "any IOMMU";
    dc->vmsd = &vmstate_vcm_dma_pci;
    rc->phases.hold = vcm_dma_pci_reset_hold;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    device_class_set_props(dc, vcm_dma_pci_properties);
    vcm_dma_engine_describe_props(klass);
    object_class_property_add(klass, "translations", "uint64",
                              vcm_dma_pci_get_translations, NULL, NULL,
                              NULL);
    object_class_property_set_description(klass, "translations",
        "IOTLB lookups the engine made (read-only statistic)");
}

static const TypeInfo vcm_dma_pci_info = {
    .name = TYPE_VCM_DMA_PCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VCMDMAPCIState),
    .class_init = vcm_dma_pci_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { }
    },
};

static void vcm_dma_pci_register_types(void)
{
    type_register_static(&vcm_dma_pci_info);
}

type_init(vcm_dma_pci_register_types)
