/*
 * pasr-ddr: chip-select self-refresh, data loss and the access trap
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The state machine of each chip select (active, self-refresh, deep
 * power-down; spec 3.1, 6.3), what leaving self-refresh does to the cells
 * the PASR masks left unrefreshed (spec 6.1), the overlay that traps
 * accesses to a sleeping chip select (spec 6.3 (2)) and the energy
 * integrated over virtual time (spec 6.4). The register file that drives
 * it is pasr-ddr.c.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/madvise.h"
#include "exec/address-spaces.h"
#include "exec/cpu-common.h"
#include "migration/misc.h"
#include "system/runstate.h"
#include "pasr-ddr-internal.h"
#include "trace.h"

/* spec 3.4/6.4: integrate self-refresh power up to now */
void pasr_ddr_account(PASRDDRState *s)
{
    int64_t now = pasr_ddr_now();
    int64_t residency = 0;

    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];
        int64_t dt;
        LPDDR2Energy e;

        if (!pasr_ddr_in_sr(cs)) {
            continue;
        }
        dt = MAX(now - cs->sr_entry_ns, 0);
        e = lpddr2_cs_sr_energy(&s->power, &s->layout.g, s->temperature,
                                cs->die.mr16, cs->die.mr17, dt);
        s->energy_sr_pj += e.masked_pj;
        s->energy_full_pj += e.full_pj;
        cs->sr_entry_ns = now;
        residency = MAX(residency, dt);
    }
    /* T_SR counts the time with at least one chip select asleep */
    s->sr_time_ns += residency;
    if (residency) {
        trace_pasr_ddr_energy(s->energy_sr_pj, s->energy_full_pj,
                              s->sr_time_ns);
    }
}

/* --- poisoning (spec 6.1) ---------------------------------------------- */

static uint64_t pasr_ddr_prng(PASRDDRState *s)
{
    /* xorshift64*: deterministic and migrated */
    s->prng ^= s->prng >> 12;
    s->prng ^= s->prng << 25;
    s->prng ^= s->prng >> 27;
    return s->prng * 0x2545F4914F6CDD1DULL;
}

/* The poison word of the 8 bytes at @gpa (spec 6.1) */
static uint64_t pasr_ddr_poison_word(PASRDDRState *s, hwaddr gpa)
{
    switch (s->poison) {
    case PASR_POISON_RANDOM:
        return pasr_ddr_prng(s);
    case PASR_POISON_ZERO:
        return 0;
    default:
        return PASR_POISON_MAGIC ^ gpa;
    }
}

/*
 * May the host pages at @host be handed back to the host? Only private
 * anonymous RAM in host-sized pages reads zero afterwards (a file or
 * shared back end would show its contents again), only when nothing
 * relies on the pages staying (a migration, postcopy's missing pages, a
 * device that pinned them).
 */
static bool pasr_ddr_can_discard(void *host)
{
    ram_addr_t offset;
    RAMBlock *rb = qemu_ram_block_from_host(host, false, &offset);

    return rb && qemu_ram_get_fd(rb) < 0 && !qemu_ram_is_shared(rb) &&
           qemu_ram_pagesize(rb) == qemu_real_host_page_size() &&
           !ram_block_discard_is_disabled() && !migration_is_running() &&
           !migration_in_incoming_postcopy();
}

/*
 * poison=zero (spec 6.1): the whole host pages of [@p, @p + @n) go back to
 * the host where they may, which is what PASR saves power for; the rest,
 * or all of it, is cleared in place.
 */
static void pasr_ddr_zero_host(uint8_t *p, size_t n)
{
    uint8_t *lo = QEMU_ALIGN_PTR_UP(p, qemu_real_host_page_size());
    uint8_t *hi = QEMU_ALIGN_PTR_DOWN(p + n, qemu_real_host_page_size());

    if (hi > lo && pasr_ddr_can_discard(lo) &&
        !qemu_madvise(lo, hi - lo, QEMU_MADV_DONTNEED)) {
        memset(p, 0, lo - p);
        memset(hi, 0, p + n - hi);
        return;
    }
    memset(p, 0, n);
}

/* Poison @n bytes (a multiple of 8) of host memory @p, guest address @gpa */
static void pasr_ddr_poison_host(PASRDDRState *s, uint64_t *p, hwaddr gpa,
                                 hwaddr n)
{
    if (s->poison == PASR_POISON_ZERO) {
        pasr_ddr_zero_host((uint8_t *)p, n);
        return;
    }
    for (hwaddr i = 0; i < n / 8; i++) {
        p[i] = cpu_to_le64(pasr_ddr_poison_word(s, gpa + 8 * i));
    }
}

/*
 * Overwrite @len bytes at @gpa through the controller's own view of the
 * RAM, so translated code and dirty tracking follow and the traps above
 * the RAM are not in the way. The poison is written once, in place where
 * the memory API maps the RAM (address_space_unmap() then marks it dirty
 * and invalidates translated code); what it cannot map, 8 bytes at a time
 * through address_space_write().
 */
static void pasr_ddr_poison_run(PASRDDRState *s, hwaddr gpa, uint64_t len)
{
    if (s->poison == PASR_POISON_NONE) {
        return;
    }
    for (uint64_t done = 0; done < len;) {
        hwaddr at = gpa + done, n = len - done;
        uint64_t *p = address_space_map(&s->dram_as, at, &n, true,
                                        MEMTXATTRS_UNSPECIFIED);
        uint64_t word;

        if (p && n >= 8) {
            n &= ~(hwaddr)7;
            pasr_ddr_poison_host(s, p, at, n);
            address_space_unmap(&s->dram_as, p, n, true, n);
        } else {
            if (p) {
                address_space_unmap(&s->dram_as, p, n, true, 0);
            }
            n = MIN(8, len - done);
            word = cpu_to_le64(pasr_ddr_poison_word(s, at));
            address_space_write(&s->dram_as, at, MEMTXATTRS_UNSPECIFIED,
                                &word, n);
        }
        done += n;
    }
}

/* Destroy what (MR16, MR17) left unrefreshed on this chip select. */
static bool pasr_ddr_lose_masked(PASRDDRState *s, PASRDDRChipSelect *cs,
                                 uint8_t mr16, uint8_t mr17)
{
    PASRDDRMaskedRuns *m = &s->masked[cs->index];
    GArray *runs;

    if (!m->runs || m->mr16 != mr16 || m->mr17 != mr17) {
        g_clear_pointer(&m->runs, g_array_unref);
        m->runs = lpddr2_masked_runs(&s->layout, cs->index, mr16, mr17);
        m->mr16 = mr16;
        m->mr17 = mr17;
    }
    runs = m->runs;
    for (guint i = 0; i < runs->len; i++) {
        LPDDR2Run *r = &g_array_index(runs, LPDDR2Run, i);

        trace_pasr_ddr_poison(cs->index, s->dram_base + r->off, r->len);
        pasr_ddr_poison_run(s, s->dram_base + r->off, r->len);
    }
    if (!runs->len) {
        return false;
    }
    cs->data_lost = true;
    s->loss_count++;
    pasr_ddr_lost_record(s, cs->index, runs, s->loss_count);
    pasr_ddr_raise(s, R_IRQ_DATA_LOST_MASK);
    return true;
}

/* --- self-refresh (spec 3.1, 6.3) -------------------------------------- */

static void pasr_ddr_set_trap(PASRDDRState *s, PASRDDRChipSelect *cs)
{
    if (s->trap_possible) {
        memory_region_set_enabled(&cs->trap, pasr_ddr_in_sr(cs) &&
                                  FIELD_EX32(s->regs[R_CTRL], CTRL,
                                             SR_TRAP_EN));
    }
}

void pasr_ddr_update_traps(PASRDDRState *s)
{
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        pasr_ddr_set_trap(s, &s->cs[i]);
    }
}

/* spec 6.1: the masks are latched into the dies at entry */
static void pasr_ddr_sr_enter(PASRDDRState *s, PASRDDRChipSelect *cs,
                              uint32_t source)
{
    if (cs->state != PASR_CS_ACTIVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: SR_ENTER: chip select %u "
                      "is not active (state %u)\n", cs->index, cs->state);
        return;
    }
    pasr_ddr_account(s);
    if (FIELD_EX32(s->regs[R_CTRL], CTRL, APPLY_ON_SR)) {
        cs->die.mr16 = FIELD_EX32(cs->mr16_shadow, CS_MR, MASK);
        cs->die.mr17 = FIELD_EX32(cs->mr17_shadow, CS_MR, MASK);
        cs->mr16_shadow = FIELD_DP32(cs->mr16_shadow, CS_MR, PENDING, 0);
        cs->mr17_shadow = FIELD_DP32(cs->mr17_shadow, CS_MR, PENDING, 0);
    }
    cs->state = PASR_CS_SELF_REFRESH;
    cs->sr_entry_ns = cs->sr_start_ns = pasr_ddr_now();
    cs->sr_source = source;
    s->sr_count++;
    trace_pasr_ddr_sr_enter(cs->index, cs->die.mr16, cs->die.mr17, source);
    pasr_ddr_set_trap(s, cs);
    pasr_ddr_raise(s, R_IRQ_SR_ENTERED_MASK);
}

/*
 * spec 6.1: at exit, a chip select that slept at least retention-us loses
 * every masked cell.
 */
static void pasr_ddr_sr_exit(PASRDDRState *s, PASRDDRChipSelect *cs,
                             uint32_t cause)
{
    int64_t slept;
    bool lost = false;

    if (!pasr_ddr_in_sr(cs)) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: SR_EXIT: chip select %u "
                      "is not in self-refresh\n", cs->index);
        return;
    }
    pasr_ddr_account(s);
    cs->state = PASR_CS_ACTIVE;
    pasr_ddr_set_trap(s, cs);
    slept = pasr_ddr_now() - cs->sr_start_ns;
    if (slept >= (int64_t)s->retention_us * 1000) {
        lost = pasr_ddr_lose_masked(s, cs, cs->die.mr16, cs->die.mr17);
    }
    s->exit_cause = cause;
    trace_pasr_ddr_sr_exit(cs->index, cause, slept, lost);
    pasr_ddr_raise(s, R_IRQ_SR_EXITED_MASK);
}

static void pasr_ddr_dpd_enter(PASRDDRChipSelect *cs)
{
    if (cs->state != PASR_CS_ACTIVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: DPD_ENTER: chip select %u "
                      "is not active\n", cs->index);
        return;
    }
    cs->state = PASR_CS_DEEP_POWER_DOWN;
}

/* Deep power-down loses the whole chip select; leaving it re-initialises. */
static void pasr_ddr_dpd_exit(PASRDDRState *s, PASRDDRChipSelect *cs)
{
    cs->state = PASR_CS_ACTIVE;
    pasr_ddr_lose_masked(s, cs, lpddr2_mr16_banks(&s->layout.g), 0);
    lpddr2_die_reset(&cs->die);
    s->exit_cause = SR_BY_SOFTWARE;
    trace_pasr_ddr_sr_exit(cs->index, SR_BY_SOFTWARE, 0, true);
    pasr_ddr_raise(s, R_IRQ_SR_EXITED_MASK);
}

static void pasr_ddr_exit_source(PASRDDRState *s, uint32_t source,
                                 uint32_t cause)
{
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        if (pasr_ddr_in_sr(&s->cs[i]) && s->cs[i].sr_source == source) {
            pasr_ddr_sr_exit(s, &s->cs[i], cause);
        }
    }
}

static void pasr_ddr_pulse_end(void *opaque)
{
    pasr_ddr_exit_source(opaque, SR_BY_PULSE, SR_BY_PULSE);
}

/*
 * QEMU wakes only a suspended VM: a wake-up due while the VM is stopped
 * (paused, or still loading at a migration's destination) waits until it
 * runs again, or it would be lost and the guest would sleep for ever.
 */
#define PASR_DDR_WAKE_RETRY_MS  10

static void pasr_ddr_wake_timer(void *opaque)
{
    PASRDDRState *s = opaque;

    if (!runstate_check(RUN_STATE_SUSPENDED) && !runstate_is_running()) {
        timer_mod(s->wake_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
                  PASR_DDR_WAKE_RETRY_MS);
        return;
    }
    qemu_system_wakeup_request(QEMU_WAKEUP_REASON_OTHER, NULL);
}

/*
 * Sources before version 3 did not send the wake timer (spec 6.5): a
 * suspend that arrives without one wakes as soon as the VM may, since
 * what was left of its time is unknown; an early wake-up is one the
 * guest must handle anyway, a lost one leaves it asleep for ever.
 */
void pasr_ddr_sr_post_load(PASRDDRState *s, int version_id)
{
    if (version_id >= 3 || !s->regs[R_WAKE_TIMER_MS]) {
        return;
    }
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        if (s->cs[i].state == PASR_CS_SELF_REFRESH &&
            s->cs[i].sr_source == SR_BY_HOST_WAKEUP) {
            timer_mod(s->wake_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME));
            return;
        }
    }
}

/* spec 6.3 (1): whatever woke the VM ends a suspend's self-refresh */
static void pasr_ddr_wakeup(Notifier *n, void *data)
{
    PASRDDRState *s = container_of(n, PASRDDRState, wakeup);

    timer_del(s->wake_timer);
    pasr_ddr_exit_source(s, SR_BY_HOST_WAKEUP, SR_BY_HOST_WAKEUP);
    pasr_ddr_raise(s, R_IRQ_WAKE_MASK);
}

/* One PM_CTRL action on chip select @cs */
static void pasr_ddr_pm_action(PASRDDRState *s, PASRDDRChipSelect *cs,
                               uint32_t value)
{
    if (FIELD_EX32(value, PM_CTRL, SR_ENTER)) {
        pasr_ddr_sr_enter(s, cs, SR_BY_SOFTWARE);
    } else if (FIELD_EX32(value, PM_CTRL, SUSPEND)) {
        pasr_ddr_sr_enter(s, cs, SR_BY_HOST_WAKEUP);
    } else if (FIELD_EX32(value, PM_CTRL, SR_PULSE)) {
        pasr_ddr_sr_enter(s, cs, SR_BY_PULSE);
    } else if (FIELD_EX32(value, PM_CTRL, DPD_ENTER)) {
        pasr_ddr_dpd_enter(cs);
    } else if (cs->state == PASR_CS_DEEP_POWER_DOWN) {
        pasr_ddr_dpd_exit(s, cs);
    } else {
        pasr_ddr_sr_exit(s, cs, SR_BY_SOFTWARE);
    }
}

/* spec 5.2 PM_CTRL: one action on the chip selects of CS_MASK */
void pasr_ddr_pm_ctrl(PASRDDRState *s, uint32_t value)
{
    unsigned mask = FIELD_EX32(value, PM_CTRL, CS_MASK);
    unsigned actions = FIELD_EX32(value, PM_CTRL, SR_ENTER) +
                       FIELD_EX32(value, PM_CTRL, SR_EXIT) +
                       FIELD_EX32(value, PM_CTRL, SUSPEND) +
                       FIELD_EX32(value, PM_CTRL, DPD_ENTER) +
                       FIELD_EX32(value, PM_CTRL, SR_PULSE);

    if (actions > 1) {
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: PM_CTRL 0x%x asks for "
                      "several actions at once; ignored\n", value);
        return;
    }
    for (unsigned i = 0; i < PASR_DDR_MAX_CS && actions; i++) {
        if ((mask & (1 << i)) && pasr_ddr_cs_ok(s, i, "PM_CTRL")) {
            pasr_ddr_pm_action(s, &s->cs[i], value);
        }
    }
    if (FIELD_EX32(value, PM_CTRL, SR_PULSE)) {
        timer_mod(s->pulse_timer,
                  pasr_ddr_now() + (int64_t)s->regs[R_SR_PULSE_US] * SCALE_US);
    }
    if (FIELD_EX32(value, PM_CTRL, SUSPEND)) {
        if (s->regs[R_WAKE_TIMER_MS]) {
            timer_mod(s->wake_timer, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) +
                      s->regs[R_WAKE_TIMER_MS]);
        }
        qemu_system_suspend_request();
    }
}

/* --- access trap (spec 6.3 (2)) ------------------------------------------ */

/*
 * An access to a sleeping chip select: auto-exit (then complete it),
 * fault, or log and complete it anyway (CTRL.SR_TRAP_ACTION).
 */
static MemTxResult pasr_ddr_trap_access(PASRDDRChipSelect *cs, hwaddr addr,
                                        uint64_t *data, unsigned size,
                                        bool write, MemTxAttrs attrs)
{
    PASRDDRState *s = cs->ddr;
    hwaddr off = lpddr2_rank_to_dram(&s->layout, cs->index, addr);
    hwaddr gpa = s->dram_base + off;

    switch (FIELD_EX32(s->regs[R_CTRL], CTRL, SR_TRAP_ACTION)) {
    case 0:
        s->exits_by_access++;
        pasr_ddr_sr_exit(s, cs, SR_BY_ACCESS);
        break;
    case 1:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s of 0x%" HWADDR_PRIx
                      " while chip select %u is in self-refresh\n",
                      write ? "write" : "read", gpa,
                      cs->index);
        pasr_ddr_raise(s, R_IRQ_ACCESS_IN_SR_MASK);
        return MEMTX_ERROR;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "pasr-ddr: %s of 0x%" HWADDR_PRIx
                      " while chip select %u is in self-refresh (allowed)\n",
                      write ? "write" : "read", gpa,
                      cs->index);
        pasr_ddr_raise(s, R_IRQ_ACCESS_IN_SR_MASK);
        break;
    }
    return pasr_ddr_ram_access(s, off, data, size, write, attrs);
}

static MemTxResult pasr_ddr_trap_read(void *opaque, hwaddr addr,
                                      uint64_t *data, unsigned size,
                                      MemTxAttrs attrs)
{
    return pasr_ddr_trap_access(opaque, addr, data, size, false, attrs);
}

static MemTxResult pasr_ddr_trap_write(void *opaque, hwaddr addr,
                                       uint64_t data, unsigned size,
                                       MemTxAttrs attrs)
{
    return pasr_ddr_trap_access(opaque, addr, &data, size, true, attrs);
}

static const MemoryRegionOps pasr_ddr_trap_ops = {
    .read_with_attrs = pasr_ddr_trap_read,
    .write_with_attrs = pasr_ddr_trap_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 1,
    .valid.max_access_size = 8,
    .impl.min_access_size = 1,
    .impl.max_access_size = 8,
};

/* --- life cycle ---------------------------------------------------------- */

/*
 * The trap window (sysbus MMIO 1) spans the RAM; the board maps it above
 * the RAM. Only a linearly mapped chip select is one range, so only then
 * does it get a trap; interleaved ones would need an overlay per granule.
 */
void pasr_ddr_sr_realize(PASRDDRState *s)
{
    uint64_t cs_bytes = lpddr2_cs_bytes(&s->layout.g);

    memory_region_init(&s->trap_window, OBJECT(s), "pasr-ddr-trap",
                       s->dram_size);
    s->trap_possible = s->layout.cs_mode == LPDDR2_CS_LINEAR ||
                       s->num_cs == 1;
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];
        g_autofree char *name = g_strdup_printf("pasr-ddr-cs%u-trap", i);

        cs->ddr = s;
        cs->index = i;
        if (s->trap_possible) {
            memory_region_init_io(&cs->trap, OBJECT(s), &pasr_ddr_trap_ops,
                                  cs, name, cs_bytes);
            memory_region_set_enabled(&cs->trap, false);
            /* above the check-lost overlay (priority 0) */
            memory_region_add_subregion_overlap(&s->trap_window,
                                                i * cs_bytes, &cs->trap, 1);
        }
    }
    s->pulse_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pasr_ddr_pulse_end, s);
    /* virtual-clock timers stop while the VM is suspended (spec 4.4) */
    s->wake_timer = timer_new_ms(QEMU_CLOCK_REALTIME, pasr_ddr_wake_timer, s);
    s->wakeup.notify = pasr_ddr_wakeup;
    qemu_register_wakeup_notifier(&s->wakeup);
}

/* Every chip select active, its dies at their power-up defaults. */
void pasr_ddr_sr_reset(PASRDDRState *s)
{
    pasr_ddr_account(s);
    s->exit_cause = SR_BY_SOFTWARE;
    s->prng = s->poison_seed | 1;
    for (unsigned i = 0; i < pasr_ddr_cs_count(s); i++) {
        PASRDDRChipSelect *cs = &s->cs[i];

        cs->state = PASR_CS_ACTIVE;
        cs->data_lost = false;
        cs->mr16_shadow = cs->mr17_shadow = 0;
        lpddr2_die_power_up(&cs->die, s->temperature);
        pasr_ddr_set_trap(s, cs);
    }
    if (s->pulse_timer) {
        timer_del(s->pulse_timer);
        timer_del(s->wake_timer);
    }
}

void pasr_ddr_sr_finalize(PASRDDRState *s)
{
    if (s->wakeup.notify) {
        notifier_remove(&s->wakeup);
    }
    g_clear_pointer(&s->pulse_timer, timer_free);
    g_clear_pointer(&s->wake_timer, timer_free);
    for (unsigned i = 0; i < ARRAY_SIZE(s->masked); i++) {
        g_clear_pointer(&s->masked[i].runs, g_array_unref);
    }
}
