/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PASR_DDR_PASR_DDR_H
#define HW_PASR_DDR_PASR_DDR_H

#include "hw/sysbus.h"
#include "hw/pasr-ddr/lpddr2.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_PASR_DDR "pasr-ddr"
OBJECT_DECLARE_SIMPLE_TYPE(PASRDDRState, PASR_DDR)

#define PASR_DDR_MMIO_SIZE  0x1000
#define PASR_DDR_MAX_CS     4

typedef enum PASRDDRCSState {
    PASR_CS_ACTIVE = 0,
    PASR_CS_SELF_REFRESH = 1,
    PASR_CS_DEEP_POWER_DOWN = 2,
} PASRDDRCSState;

typedef enum PASRDDRPoison {
    PASR_POISON_PATTERN,
    PASR_POISON_ZERO,
    PASR_POISON_RANDOM,
    PASR_POISON_NONE,
} PASRDDRPoison;

/* One chip select: the dies behind it and the controller's shadows */
typedef struct PASRDDRChipSelect {
    struct PASRDDRState *ddr;
    uint32_t index;
    uint32_t state;             /* PASRDDRCSState */
    bool data_lost;             /* CSn_STATE.DATA_LOST, sticky */
    uint32_t mr16_shadow;       /* [7:0] mask, [31] PENDING */
    uint32_t mr17_shadow;
    uint8_t mr16;               /* in the dies */
    uint8_t mr17;
    uint8_t mr1, mr2, mr3;
    uint8_t mr4_rate;           /* last MR4 code read: TUF when it differs */
    int64_t sr_entry_ns;        /* virtual time of entry or last account */
    int64_t sr_start_ns;        /* virtual time of entry, for retention */
    uint32_t sr_source;         /* how it entered: software, pulse, suspend */
    MemoryRegion trap;          /* overlay over the CS while in SR */
} PASRDDRChipSelect;

struct PASRDDRState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq;
    LPDDR2Layout layout;
    hwaddr dram_base;
    uint64_t dram_size;
    MemoryRegion dram_view;     /* the RAM alone at its address ... */
    MemoryRegion dram_alias;
    AddressSpace dram_as;       /* ... without the trap overlays */
    QEMUTimer *pulse_timer;     /* QEMU_CLOCK_VIRTUAL */
    QEMUTimer *wake_timer;      /* QEMU_CLOCK_REALTIME: runs while suspended */
    QEMUTimer *temp_timer;      /* QEMU_CLOCK_VIRTUAL, MR4 polling */
    Notifier wakeup;
    bool trap_possible;         /* CAPS.SR_TRAP: linear chip selects */

    /* registers */
    uint32_t ctrl;
    uint32_t temp_poll;
    uint32_t mr_status;
    uint32_t mr_rdata;
    uint32_t pm_ctrl;
    uint32_t exit_cause;
    uint32_t sr_pulse_us;
    uint32_t wake_timer_ms;
    uint32_t irq_raw;
    uint32_t irq_enable;
    uint64_t xlate_addr;
    uint32_t xlate_res0;
    uint32_t xlate_res1;
    uint32_t latched_hi;        /* HI half latched by reading a LO half */
    PASRDDRChipSelect cs[PASR_DDR_MAX_CS];

    /* accounting */
    uint64_t energy_sr_pj;
    uint64_t energy_full_pj;
    uint64_t sr_time_ns;
    uint64_t sr_count;
    uint64_t loss_count;
    uint64_t exits_by_access;
    uint64_t prng;

    /* properties */
    MemoryRegion *dram;         /* default: the machine's RAM */
    uint8_t num_cs;
    uint32_t density_mbit;
    uint32_t io_width;
    char *type;
    char *map;
    char *cs_mode;
    uint64_t interleave_granule;
    uint8_t manufacturer_id;
    uint8_t revision_id1;
    uint8_t revision_id2;
    int32_t temperature;        /* m°C, settable at run time */
    char *poison;
    uint32_t poison_mode;       /* PASRDDRPoison */
    uint32_t retention_us;
    uint64_t poison_seed;
    LPDDR2PowerModel power;
};

#endif
