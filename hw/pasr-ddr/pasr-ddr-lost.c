/*
 * pasr-ddr: check-lost, the sanitizer that reports reads of lost memory
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * After a self-refresh exit that lost data (spec 6.1), a read of a byte
 * the exit destroyed, before the guest writes it again, is a bug in the
 * guest's PASR code: it trusted memory whose refresh it switched off.
 * With check-lost=on the controller keeps the lost map (pasr-lost-map.c)
 * and watches the accesses to it (docs/specs/pasr-ddr.rst section 6.7):
 *
 * - Only pages that still hold lost bytes are watched: up to
 *   PASR_DDR_LOST_OVERLAYS I/O regions cover them in the trap window,
 *   above the RAM. The rest of the RAM stays RAM, at full TCG speed.
 * - An access there goes through pasr_ddr_ram_access(): a write clears
 *   the bytes it covers, a read of a lost byte is counted (lost-reads),
 *   traced, and logged once per run of reads; then the access completes
 *   on the RAM through the controller's own address space, so the guest
 *   reads exactly what it would read without the sanitizer.
 * - The regions shrink in batches: a write that cleans a page arms a
 *   sweep PASR_DDR_LOST_SWEEP_NS later (virtual time), which maps the
 *   regions again over the pages still lost, in one memory transaction
 *   made while the vCPUs are paused.
 *   Rewriting lost memory therefore costs one I/O access per store and
 *   at most one map change per sweep period, never one per store.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/bswap.h"
#include "qemu/main-loop.h"
#include "exec/target_page.h"
#include "hw/core/cpu.h"
#include "migration/vmstate.h"
#include "system/cpus.h"
#include "system/runstate.h"
#include "system/tcg.h"
#include "pasr-ddr-internal.h"
#include "trace.h"

/* The sweep after a page became clean, virtual ns */
#define PASR_DDR_LOST_SWEEP_NS  (10 * SCALE_MS)

/* pasr_ddr_lost_reader(): the kind of reader in the top bits */
#define LOST_READER_CPU     (1ULL << 32)
#define LOST_READER_MASTER  (2ULL << 32)
#define LOST_READER_HOST    (3ULL << 32)

/* --- the overlay --------------------------------------------------------- */

/*
 * Map the overlay over the pages still lost, if that changed. With
 * @pause, the vCPUs (when running) are paused around the change: a TCG
 * CPU resolves the I/O entries of its TLB in the current memory map
 * (iotlb_to_section() in QEMU 10.0) until it has flushed its TLB, which
 * tcg_commit() only queues; a paused CPU flushes before it runs again, a
 * running one could dispatch a stale entry to the wrong region. A change
 * made in a vCPU's own MMIO access or in a timer callback (where the
 * virtual clock cannot be stopped) is made at once, as the chip selects'
 * traps are.
 */
static void pasr_ddr_lost_map_overlays(PASRDDRState *s, bool pause)
{
    g_autoptr(GArray) runs = pasr_lost_map_page_runs(&s->lost,
                                                     PASR_DDR_LOST_OVERLAYS);
    size_t bytes = runs->len * sizeof(PASRLostRun);

    if (runs->len == s->lost_overlays &&
        (!bytes || !memcmp(runs->data, s->lost_mapped, bytes))) {
        return;
    }
    pause = pause && tcg_enabled() && runstate_is_running() &&
            !qemu_in_vcpu_thread();
    if (pause) {
        pause_all_vcpus();
    }
    memory_region_transaction_begin();
    for (unsigned i = 0; i < s->lost_overlays; i++) {
        memory_region_del_subregion(&s->trap_window, &s->lost_overlay[i].mr);
    }
    for (unsigned i = 0; i < runs->len; i++) {
        PASRLostRun *r = &g_array_index(runs, PASRLostRun, i);

        memory_region_set_size(&s->lost_overlay[i].mr, r->len);
        /* below the chip selects' traps (priority 1) */
        memory_region_add_subregion_overlap(&s->trap_window, r->off,
                                            &s->lost_overlay[i].mr, 0);
        s->lost_mapped[i] = *r;
    }
    s->lost_overlays = runs->len;
    memory_region_transaction_commit();
    if (pause) {
        resume_all_vcpus();
    }
    trace_pasr_ddr_lost_overlays(runs->len, s->lost.lost_pages,
                                 s->lost.lost_bytes);
}

/* The sweep: the timer hands it to a bottom half, outside timer lists. */
static void pasr_ddr_lost_sweep_timer(void *opaque)
{
    qemu_bh_schedule(PASR_DDR(opaque)->lost_sweep_bh);
}

static void pasr_ddr_lost_sweep(void *opaque)
{
    pasr_ddr_lost_map_overlays(opaque, true);
}

void pasr_ddr_lost_record(PASRDDRState *s, unsigned cs, GArray *runs,
                          uint32_t exit)
{
    if (!s->check_lost) {
        return;
    }
    for (guint i = 0; i < runs->len; i++) {
        LPDDR2Run *r = &g_array_index(runs, LPDDR2Run, i);

        pasr_lost_map_lose(&s->lost, r->off, r->len, exit);
    }
    trace_pasr_ddr_lost_record(cs, exit, s->lost.lost_bytes);
    /* a new loss starts a new run of reads */
    s->lost_run.open = false;
    pasr_ddr_lost_map_overlays(s, false);
}

/* --- reads of lost bytes ------------------------------------------------- */

/*
 * The guest PC of the access @cpu is making now, from the unwind data of
 * the translated code (TCG's insn_start words; word 0 is the PC, or its
 * offset in the page with CF_PCREL, the page then being the one of the
 * CPU's PC, as the restore_state_to_opc hooks rebuild it). Reading the
 * unwind data changes nothing in the CPU.
 */
static bool pasr_ddr_cpu_pc(CPUState *cpu, uint64_t *pc)
{
#ifdef CONFIG_TCG
    uint64_t data[8] = { 0 };   /* TARGET_INSN_START_WORDS is at most 3 */
    uint64_t page = qemu_target_page_mask();

    if (tcg_enabled() && cpu->mem_io_pc &&
        cpu_unwind_state_data(cpu, cpu->mem_io_pc, data)) {
        *pc = data[0] & page ? data[0]
                             : (cpu->cc->get_pc(cpu) & page) | data[0];
        return true;
    }
#endif
    return false;
}

/*
 * Who reads: a CPU (its own access: a vCPU thread and no requester ID),
 * a bus master (its requester ID), or the host (qtest, the monitor:
 * unspecified attributes).
 */
static uint64_t pasr_ddr_lost_reader(MemTxAttrs attrs, uint64_t *pc,
                                     bool *has_pc)
{
    *has_pc = false;
    if (attrs.unspecified) {
        return LOST_READER_HOST;
    }
    if (current_cpu && !attrs.requester_id) {
        *has_pc = pasr_ddr_cpu_pc(current_cpu, pc);
        return LOST_READER_CPU | current_cpu->cpu_index;
    }
    return LOST_READER_MASTER | attrs.requester_id;
}

/*
 * Where DRAM offset @off lies in the LP-DDR2 array: chip select, bank,
 * segment, and the segment's physical range when it is one range (RBC
 * with linear chip selects), the unit a PASR section usually is.
 */
static char *pasr_ddr_lost_where(PASRDDRState *s, uint64_t off)
{
    g_autoptr(GArray) seg = NULL;
    LPDDR2Addr a;

    lpddr2_decode(&s->layout, off, &a);
    if (!lpddr2_has_mr17(&s->layout.g)) {
        return g_strdup_printf("chip select %u bank %u", a.cs, a.bank);
    }
    seg = lpddr2_masked_runs(&s->layout, a.cs, 0, 1 << a.segment);
    if (seg->len != 1) {
        return g_strdup_printf("chip select %u bank %u segment %u", a.cs,
                               a.bank, a.segment);
    }
    return g_strdup_printf("chip select %u bank %u segment %u (0x%" PRIx64
                           "-0x%" PRIx64 ")", a.cs, a.bank, a.segment,
                           s->dram_base + g_array_index(seg, LPDDR2Run, 0).off,
                           s->dram_base + g_array_index(seg, LPDDR2Run, 0).off +
                           g_array_index(seg, LPDDR2Run, 0).len - 1);
}

/*
 * A read of @size bytes at DRAM offset @off met lost byte @first of
 * exit @exit: count and trace it; log it unless it continues the run of
 * reads the last line announced (the same reader, the same exit, at most
 * a page beyond the end of the previous read).
 */
static void pasr_ddr_lost_report(PASRDDRState *s, uint64_t off,
                                 unsigned size, uint64_t first,
                                 uint32_t exit, MemTxAttrs attrs)
{
    PASRDDRLostRun *run = &s->lost_run;
    uint64_t pc = 0;
    bool has_pc;
    uint64_t reader = pasr_ddr_lost_reader(attrs, &pc, &has_pc);
    hwaddr gpa = s->dram_base + first;
    g_autofree char *who = NULL;
    g_autofree char *where = NULL;
    LPDDR2Addr a;

    lpddr2_decode(&s->layout, first, &a);
    s->lost_reads++;
    trace_pasr_ddr_lost_read(gpa, size, a.cs, exit, reader, pc);
    if (run->open && run->reader == reader && run->exit == exit &&
        off + PASR_LOST_PAGE_SIZE >= run->end &&
        off <= run->end + PASR_LOST_PAGE_SIZE) {
        run->end = MAX(run->end, off + size);
        return;
    }
    *run = (PASRDDRLostRun) {
        .open = true, .reader = reader, .exit = exit, .end = off + size,
    };
    switch (reader & ~0xffffffffULL) {
    case LOST_READER_CPU:
        who = has_pc ? g_strdup_printf("CPU %u at PC 0x%08" PRIx64,
                                       (unsigned)reader, pc)
                     : g_strdup_printf("CPU %u", (unsigned)reader);
        break;
    case LOST_READER_MASTER:
        who = g_strdup_printf("bus master %u", (unsigned)reader);
        break;
    default:
        who = g_strdup("the host (qtest or monitor)");
        break;
    }
    where = pasr_ddr_lost_where(s, first);
    qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: read of lost memory at 0x%"
                  HWADDR_PRIx " by %s: %s, lost at exit %u (LOSS_COUNT) and "
                  "not written since; further reads of this run are only "
                  "counted (lost-reads %" PRIu64 ")\n",
                  gpa, who, where, exit, s->lost_reads);
}

/*
 * An access to the RAM at DRAM offset @off on the guest's behalf, from
 * the overlay or a chip select's trap: the lost map sees it, then it
 * completes on the RAM (the same bytes as without the sanitizer).
 */
MemTxResult pasr_ddr_ram_access(PASRDDRState *s, hwaddr off, uint64_t *data,
                                unsigned size, bool write, MemTxAttrs attrs)
{
    hwaddr gpa = s->dram_base + off;
    uint64_t first;
    uint32_t exit;
    uint8_t buf[8];

    if (write) {
        if (pasr_lost_map_write(&s->lost, off, size) &&
            !timer_pending(s->lost_sweep)) {
            timer_mod(s->lost_sweep,
                      pasr_ddr_now() + PASR_DDR_LOST_SWEEP_NS);
        }
        stn_le_p(buf, size, *data);
        return address_space_write(&s->dram_as, gpa, attrs, buf, size);
    }
    if (!attrs.debug && pasr_lost_map_read(&s->lost, off, size, &first,
                                           &exit)) {
        pasr_ddr_lost_report(s, off, size, first, exit, attrs);
    }
    if (address_space_read(&s->dram_as, gpa, attrs, buf, size) !=
        MEMTX_OK) {
        return MEMTX_ERROR;
    }
    *data = ldn_le_p(buf, size);
    return MEMTX_OK;
}

static MemTxResult pasr_ddr_lost_io_read(void *opaque, hwaddr addr,
                                         uint64_t *data, unsigned size,
                                         MemTxAttrs attrs)
{
    PASRDDRLostOverlay *o = opaque;

    return pasr_ddr_ram_access(o->ddr, o->mr.addr + addr, data, size, false,
                               attrs);
}

static MemTxResult pasr_ddr_lost_io_write(void *opaque, hwaddr addr,
                                          uint64_t data, unsigned size,
                                          MemTxAttrs attrs)
{
    PASRDDRLostOverlay *o = opaque;

    return pasr_ddr_ram_access(o->ddr, o->mr.addr + addr, &data, size, true,
                               attrs);
}

/* RAM semantics: any size, any alignment */
static const MemoryRegionOps pasr_ddr_lost_ops = {
    .read_with_attrs = pasr_ddr_lost_io_read,
    .write_with_attrs = pasr_ddr_lost_io_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
    .valid.unaligned = true,
    .impl.min_access_size = 1,
    .impl.max_access_size = 8,
    .impl.unaligned = true,
};

/* --- life cycle and migration -------------------------------------------- */

void pasr_ddr_lost_realize(PASRDDRState *s)
{
    pasr_lost_map_init(&s->lost, s->dram_size);
    if (!s->check_lost) {
        return;
    }
    for (unsigned i = 0; i < PASR_DDR_LOST_OVERLAYS; i++) {
        g_autofree char *name = g_strdup_printf("pasr-ddr-lost[%u]", i);

        s->lost_overlay[i].ddr = s;
        memory_region_init_io(&s->lost_overlay[i].mr, OBJECT(s),
                              &pasr_ddr_lost_ops, &s->lost_overlay[i], name,
                              PASR_LOST_PAGE_SIZE);
    }
    s->lost_sweep = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                 pasr_ddr_lost_sweep_timer, s);
    /*
     * Not guarded against re-entrant MMIO: the sweep does no I/O, and
     * while it waits for the vCPUs to pause, their accesses to the
     * overlay must complete.
     */
    s->lost_sweep_bh = qemu_bh_new(pasr_ddr_lost_sweep, s);
}

/* A reset forgets the losses: the firmware and images are loaded anew. */
void pasr_ddr_lost_reset(PASRDDRState *s)
{
    pasr_lost_map_clear(&s->lost);
    s->lost_run.open = false;
    if (s->lost_sweep) {
        timer_del(s->lost_sweep);
        pasr_ddr_lost_map_overlays(s, false);
    }
}

void pasr_ddr_lost_finalize(PASRDDRState *s)
{
    pasr_lost_map_destroy(&s->lost);
    g_clear_pointer(&s->lost_sweep, timer_free);
    g_clear_pointer(&s->lost_sweep_bh, qemu_bh_delete);
}

void pasr_ddr_lost_post_load(PASRDDRState *s)
{
    if (s->lost_sweep) {
        pasr_ddr_lost_map_overlays(s, false);
    }
}

static bool pasr_ddr_lost_needed(void *opaque)
{
    PASRDDRState *s = opaque;

    return s->check_lost && (s->lost_reads || s->lost.lost_pages);
}

/* The map travels as its runs of lost bytes. */
static int pasr_ddr_lost_pre_save(void *opaque)
{
    PASRDDRState *s = opaque;
    GArray *runs = pasr_lost_map_runs(&s->lost, 0, s->dram_size);

    s->lost_nruns = runs->len;
    g_free(s->lost_runs);
    s->lost_runs = (PASRLostRun *)g_array_free(runs, false);
    return 0;
}

static int pasr_ddr_lost_post_save(void *opaque)
{
    PASRDDRState *s = opaque;

    g_clear_pointer(&s->lost_runs, g_free);
    s->lost_nruns = 0;
    return 0;
}

static int pasr_ddr_lost_post_load_runs(void *opaque, int version_id)
{
    PASRDDRState *s = opaque;

    pasr_lost_map_clear(&s->lost);
    for (int32_t i = 0; i < s->lost_nruns && s->check_lost; i++) {
        pasr_lost_map_lose(&s->lost, s->lost_runs[i].off,
                           s->lost_runs[i].len, s->lost_runs[i].exit);
    }
    return pasr_ddr_lost_post_save(opaque);
}

static const VMStateDescription vmstate_pasr_ddr_lost_run = {
    .name = "pasr-ddr/lost-run",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(off, PASRLostRun),
        VMSTATE_UINT64(len, PASRLostRun),
        VMSTATE_UINT32(exit, PASRLostRun),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_pasr_ddr_lost = {
    .name = "pasr-ddr/lost",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = pasr_ddr_lost_needed,
    .pre_save = pasr_ddr_lost_pre_save,
    .post_save = pasr_ddr_lost_post_save,
    .post_load = pasr_ddr_lost_post_load_runs,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(lost_reads, PASRDDRState),
        VMSTATE_INT32(lost_nruns, PASRDDRState),
        VMSTATE_STRUCT_VARRAY_ALLOC(lost_runs, PASRDDRState, lost_nruns, 1,
                                    vmstate_pasr_ddr_lost_run, PASRLostRun),
        VMSTATE_END_OF_LIST()
    },
};
