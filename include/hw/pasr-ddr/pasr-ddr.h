/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PASR_DDR_PASR_DDR_H
#define HW_PASR_DDR_PASR_DDR_H

#include "hw/sysbus.h"
#include "hw/pasr-ddr/lpddr2.h"
#include "qom/object.h"

#define TYPE_PASR_DDR "pasr-ddr"
OBJECT_DECLARE_SIMPLE_TYPE(PASRDDRState, PASR_DDR)

#define PASR_DDR_MMIO_SIZE  0x1000
#define PASR_DDR_MAX_CS     4

struct PASRDDRState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq;
    LPDDR2Geometry geometry;
    hwaddr dram_base;
    uint64_t dram_size;

    /* properties */
    MemoryRegion *dram;         /* default: the machine's RAM */
    uint8_t num_cs;
    uint32_t density_mbit;
    uint32_t io_width;
    char *type;
    uint8_t manufacturer_id;
    uint8_t revision_id1;
    uint8_t revision_id2;
};

#endif
