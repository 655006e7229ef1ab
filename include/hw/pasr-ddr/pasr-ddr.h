/*
 * pasr-ddr: LP-DDR2 memory controller with partial-array self-refresh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A controller that describes a RAM region as 1-4 chip selects of JEDEC
 * LP-DDR2 dies, with the mode-register port, self-refresh and the PASR
 * masks that make masked cells lose their contents (docs/system/devices/
 * pasr-ddr.rst; the register map is docs/specs/pasr-ddr.rst section 5.2).
 *
 * QEMU interface:
 * + sysbus MMIO region 0: the 4 KiB register window
 * + sysbus MMIO region 1: the access trap, as large as the RAM; the board
 *   maps it over the RAM at a higher priority. It is transparent except
 *   above a chip select in self-refresh with CTRL.SR_TRAP_EN set.
 * + sysbus IRQ 0: the controller's level interrupt
 * + Property "dram": link to the RAM MemoryRegion the controller drives;
 *   mandatory. Its address is where the guest sees it; the controller
 *   poisons and completes trapped accesses through it.
 * + Properties "cs", "density-mbit", "io-width", "lpddr2-type", "map",
 *   "cs-mode", "interleave-granule": the geometry, which must add up to
 *   the size of "dram"; "manufacturer-id", "revision-id1", "revision-id2"
 *   (MR5-MR7); "temperature" (m°C, settable at run time); "poison",
 *   "poison-seed", "retention-us"; the power model's constants
 * + Property "check-lost": the sanitizer that reports reads of bytes a
 *   self-refresh lost and the guest has not written since; it maps I/O
 *   regions over the pages holding such bytes into the trap window
 * + Read-only properties: the statistics (energy, residency, entries,
 *   losses, lost reads, refreshed fraction per chip select) and
 *   "info-json", the controller's state as JSON (pasr-ddr-info.c)
 * PM_CTRL.SUSPEND requests a VM suspend and its wake timer a
 * QEMU_WAKEUP_REASON_OTHER wakeup: the board decides whether the machine
 * supports that.
 */

#ifndef HW_PASR_DDR_PASR_DDR_H
#define HW_PASR_DDR_PASR_DDR_H

#include "hw/sysbus.h"
#include "hw/register.h"
#include "hw/pasr-ddr/lpddr2.h"
#include "hw/pasr-ddr/pasr-lost-map.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_PASR_DDR "pasr-ddr"
OBJECT_DECLARE_SIMPLE_TYPE(PASRDDRState, PASR_DDR)

#define PASR_DDR_MMIO_SIZE  0x1000
#define PASR_DDR_MAX_CS     4
/* Global registers, 0x000-0x0EF, in the register API's array */
#define PASR_DDR_R_MAX      (0x0F0 / 4)
/* check-lost: I/O regions over the pages still holding lost bytes */
#define PASR_DDR_LOST_OVERLAYS  32

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
    PASR_POISON__MAX,
} PASRDDRPoison;

/* One chip select: the dies behind it and the controller's shadows */
typedef struct PASRDDRChipSelect {
    struct PASRDDRState *ddr;
    uint32_t index;
    uint32_t state;             /* PASRDDRCSState */
    bool data_lost;             /* CSn_STATE.DATA_LOST, sticky */
    uint32_t mr16_shadow;       /* [7:0] mask, [31] PENDING */
    uint32_t mr17_shadow;
    LPDDR2Die die;              /* the mode registers of its dies */
    int64_t sr_entry_ns;        /* virtual time of entry or last account */
    int64_t sr_start_ns;        /* virtual time of entry, for retention */
    uint32_t sr_source;         /* how it entered: software, pulse, suspend */
    MemoryRegion trap;          /* in trap_window while in SR */
} PASRDDRChipSelect;

/*
 * The runs (LPDDR2Run) that a chip select's masks of its last loss left
 * unrefreshed; they depend on nothing else once the layout is set at
 * realize. (Beside the chip select, not in it: the size of the chip
 * select's struct is part of the migration format's description.)
 */
typedef struct PASRDDRMaskedRuns {
    GArray *runs;
    uint8_t mr16, mr17;
} PASRDDRMaskedRuns;

/* One I/O region of the check-lost overlay, in the trap window */
typedef struct PASRDDRLostOverlay {
    MemoryRegion mr;
    struct PASRDDRState *ddr;
} PASRDDRLostOverlay;

/* The run of lost reads the last LOG_GUEST_ERROR line announced */
typedef struct PASRDDRLostRun {
    bool open;
    uint64_t reader;            /* who read: see pasr-ddr-lost.c */
    uint32_t exit;
    uint64_t end;               /* DRAM offset after its last read */
} PASRDDRLostRun;

struct PASRDDRState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;         /* MMIO 0: registers over the CS window */
    MemoryRegion cs_iomem;
    RegisterInfoArray *reg_array;
    MemoryRegion trap_window;   /* MMIO 1: the chip selects' traps */
    qemu_irq irq;
    LPDDR2Layout layout;
    hwaddr dram_base;
    uint64_t dram_size;
    MemoryRegion dram_view;     /* "dram" alone, at its address ... */
    MemoryRegion dram_alias;
    AddressSpace dram_as;       /* ... without the traps above it */
    QEMUTimer *pulse_timer;     /* QEMU_CLOCK_VIRTUAL */
    QEMUTimer *wake_timer;      /* QEMU_CLOCK_REALTIME: runs while suspended */
    QEMUTimer *temp_timer;      /* QEMU_CLOCK_VIRTUAL, MR4 polling */
    Notifier wakeup;
    bool trap_possible;         /* CAPS.SR_TRAP: linear chip selects */

    /* registers */
    uint32_t regs[PASR_DDR_R_MAX];
    RegisterInfo regs_info[PASR_DDR_R_MAX];
    uint32_t exit_cause;        /* PM_STATUS.EXIT_CAUSE */
    uint32_t latched_hi;        /* HI half latched by reading a LO half */
    PASRDDRChipSelect cs[PASR_DDR_MAX_CS];
    PASRDDRMaskedRuns masked[PASR_DDR_MAX_CS];

    /* accounting */
    uint64_t energy_sr_pj;
    uint64_t energy_full_pj;
    uint64_t sr_time_ns;
    uint64_t sr_count;
    uint64_t loss_count;
    uint64_t exits_by_access;
    uint64_t lost_reads;
    uint64_t prng;

    /* check-lost (pasr-ddr-lost.c) */
    PASRLostMap lost;
    PASRDDRLostOverlay lost_overlay[PASR_DDR_LOST_OVERLAYS];
    PASRLostRun lost_mapped[PASR_DDR_LOST_OVERLAYS];   /* where they are */
    uint32_t lost_overlays;     /* how many are mapped */
    QEMUTimer *lost_sweep;      /* QEMU_CLOCK_VIRTUAL */
    QEMUBH *lost_sweep_bh;
    PASRDDRLostRun lost_run;
    int32_t lost_nruns;         /* migration: the map as runs */
    PASRLostRun *lost_runs;

    /* properties */
    MemoryRegion *dram;
    uint8_t num_cs;
    uint32_t density_mbit;
    uint32_t io_width;
    int type;                   /* LPDDR2Type */
    int map;                    /* LPDDR2BankPos */
    int cs_mode;                /* LPDDR2CSMode */
    uint64_t interleave_granule;
    LPDDR2DieId die_id;
    int32_t temperature;        /* m°C, settable at run time */
    int poison;                 /* PASRDDRPoison */
    uint32_t retention_us;
    uint64_t poison_seed;
    bool check_lost;
    LPDDR2PowerModel power;
};

#endif
