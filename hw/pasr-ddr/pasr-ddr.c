/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A controller for the machine's RAM, seen as 1-4 chip selects of JEDEC
 * LP-DDR2 dies (../shared/spec/pasr-ddr.md, "spec" below; its native
 * register map, section 5.2, is the guest interface). The controller is
 * not on the data path: guest RAM stays the machine's RAM region, and the
 * controller describes it in LP-DDR2 terms.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pasr-ddr/pasr-ddr.h"
#include "hw/boards.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/registerfields.h"
#include "migration/vmstate.h"
#include "trace.h"

/* spec 5.2 */
REG32(ID, 0x000)
REG32(VERSION, 0x004)
    FIELD(VERSION, MINOR, 0, 8)
    FIELD(VERSION, MAJOR, 8, 8)

#define PASR_DDR_ID 0x50415352      /* "PASR" */

static uint64_t pasr_ddr_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t value = 0;

    switch (offset) {
    case A_ID:
        value = PASR_DDR_ID;
        break;
    case A_VERSION:
        value = FIELD_DP32(0, VERSION, MAJOR, 1);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%03" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
    trace_pasr_ddr_read(offset, value);
    return value;
}

static void pasr_ddr_write(void *opaque, hwaddr offset, uint64_t value,
                           unsigned size)
{
    trace_pasr_ddr_write(offset, value);
    switch (offset) {
    case A_ID:
    case A_VERSION:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to read-only register "
                      "0x%03" HWADDR_PRIx "\n", __func__, offset);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "%s: register 0x%03" HWADDR_PRIx
                      " not implemented\n", __func__, offset);
        break;
    }
}

/* spec 5.1: 32-bit accesses only */
static const MemoryRegionOps pasr_ddr_ops = {
    .read = pasr_ddr_read,
    .write = pasr_ddr_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static bool pasr_ddr_parse_type(const char *name, LPDDR2Type *type,
                                Error **errp)
{
    if (!g_strcmp0(name, "s4")) {
        *type = LPDDR2_S4;
    } else if (!g_strcmp0(name, "s2")) {
        *type = LPDDR2_S2;
    } else {
        error_setg(errp, "lpddr2-type must be s4 or s2, not '%s'", name);
        return false;
    }
    return true;
}

/* spec 6.5: the geometry must describe exactly the RAM it controls */
static bool pasr_ddr_check_geometry(PASRDDRState *s, Error **errp)
{
    LPDDR2Type type;
    const char *why;
    uint64_t total;

    if (s->num_cs < 1 || s->num_cs > PASR_DDR_MAX_CS) {
        error_setg(errp, "cs must be 1..%d, not %u", PASR_DDR_MAX_CS,
                   s->num_cs);
        return false;
    }
    if (!pasr_ddr_parse_type(s->type, &type, errp)) {
        return false;
    }
    why = lpddr2_geometry(type, s->density_mbit, s->io_width, &s->geometry);
    if (why) {
        error_setg(errp, "density-mbit=%u io-width=%u lpddr2-type=%s: %s",
                   s->density_mbit, s->io_width, s->type, why);
        return false;
    }
    total = lpddr2_cs_bytes(&s->geometry) * s->num_cs;
    if (total != s->dram_size) {
        error_setg(errp, "%u chip select(s) of %u Mbit x%u make %" PRIu64
                   " MiB, but the RAM is %" PRIu64 " MiB",
                   s->num_cs, s->density_mbit, s->io_width, total / MiB,
                   s->dram_size / MiB);
        return false;
    }
    return true;
}

static void pasr_ddr_realize(DeviceState *dev, Error **errp)
{
    PASRDDRState *s = PASR_DDR(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (!s->dram) {
        s->dram = MACHINE(qdev_get_machine())->ram;
    }
    if (!s->dram) {
        error_setg(errp, "the machine has no RAM region; set 'dram'");
        return;
    }
    s->dram_base = s->dram->addr;
    s->dram_size = memory_region_size(s->dram);
    if (!pasr_ddr_check_geometry(s, errp)) {
        return;
    }

    memory_region_init_io(&s->iomem, OBJECT(s), &pasr_ddr_ops, s,
                          TYPE_PASR_DDR, PASR_DDR_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->iomem);
    sysbus_init_irq(sbd, &s->irq);
}

static void pasr_ddr_reset_exit(Object *obj, ResetType type)
{
    qemu_set_irq(PASR_DDR(obj)->irq, 0);
}

static const VMStateDescription vmstate_pasr_ddr = {
    .name = TYPE_PASR_DDR,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_END_OF_LIST()
    },
};

static const Property pasr_ddr_properties[] = {
    DEFINE_PROP_LINK("dram", PASRDDRState, dram, TYPE_MEMORY_REGION,
                     MemoryRegion *),
    DEFINE_PROP_UINT8("cs", PASRDDRState, num_cs, 2),
    DEFINE_PROP_UINT32("density-mbit", PASRDDRState, density_mbit, 4096),
    DEFINE_PROP_UINT32("io-width", PASRDDRState, io_width, 32),
    DEFINE_PROP_STRING("lpddr2-type", PASRDDRState, type),
    DEFINE_PROP_UINT8("manufacturer-id", PASRDDRState, manufacturer_id, 1),
    DEFINE_PROP_UINT8("revision-id1", PASRDDRState, revision_id1, 1),
    DEFINE_PROP_UINT8("revision-id2", PASRDDRState, revision_id2, 0),
};

static void pasr_ddr_init(Object *obj)
{
    PASR_DDR(obj)->type = g_strdup("s4");
}

static void pasr_ddr_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "LP-DDR2 controller with partial-array self-refresh";
    dc->realize = pasr_ddr_realize;
    dc->vmsd = &vmstate_pasr_ddr;
    dc->user_creatable = true;
    rc->phases.exit = pasr_ddr_reset_exit;
    device_class_set_props(dc, pasr_ddr_properties);
    object_class_property_set_description(klass, "dram",
        "RAM region the controller drives (default: the machine's RAM); "
        "its size must equal cs x dies per chip select x die size");
    object_class_property_set_description(klass, "cs",
        "chip selects (ranks), 1-4");
    object_class_property_set_description(klass, "density-mbit",
        "die density in Mbit: S4 64-8192, S2 1024 or 2048");
    object_class_property_set_description(klass, "io-width",
        "die I/O width, 8, 16 or 32; narrower dies are ganged to fill "
        "the 32-bit bus");
    object_class_property_set_description(klass, "lpddr2-type",
        "LP-DDR2 device type, s4 (default) or s2 (MR8 OP1:0)");
    object_class_property_set_description(klass, "manufacturer-id",
        "MR5 manufacturer ID (1 Samsung, 3 Elpida, 255 Micron, ...)");
    object_class_property_set_description(klass, "revision-id1",
        "MR6 revision ID 1");
    object_class_property_set_description(klass, "revision-id2",
        "MR7 revision ID 2");
}

static const TypeInfo pasr_ddr_info = {
    .name = TYPE_PASR_DDR,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(PASRDDRState),
    .instance_init = pasr_ddr_init,
    .class_init = pasr_ddr_class_init,
};

static void pasr_ddr_register_types(void)
{
    type_register_static(&pasr_ddr_info);
}

type_init(pasr_ddr_register_types)
