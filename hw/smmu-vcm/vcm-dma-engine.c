/*
 * vcm-dma engine: the copy/fill engine behind vcm-dma and vcm-dma-pci
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A small copy/fill engine (the contract is docs/specs/vcm-dma.rst,
 * "spec" below) that its front end gives an address space: vcm-dma the
 * IOMMU region of its master ID in smmu-vcm (or system memory), and
 * vcm-dma-pci its PCI bus-master address space, behind whatever IOMMU
 * the machine has. Every access goes through that address space with
 * the front end's MemTxAttrs. A transfer between RAM runs to its end
 * inside the GO write, in steps of at most CHUNK bytes, each translated
 * once, unless an access faults in a context that stalls: the IOMMU
 * then parks the engine (STATUS.BUSY|STALLED, vcm_dma_engine_park()),
 * which carries on, or gives up, when the guest resumes the IOMMU.
 * Transfers to or from devices go on from a timer (see vcm_dma_run()).
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/rcu.h"
#include "qemu/units.h"
#include "qemu/timer.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/vcm-dma-engine.h"
#include "hw/irq.h"
#include "trace.h"

#define VCM_DMA_ID          0x56444D41      /* "VDMA" */
#define VCM_DMA_VERSION     0x00010000
#define VCM_DMA_MAX_CHUNK   (1 * MiB)
/* A device (not RAM) is accessed this many bytes at a time ... */
#define VCM_DMA_DEVICE_BYTES    4
/* ... and at most this many times before the engine pauses, */
#define VCM_DMA_DEVICE_STEPS    4096
/* as it does after this many memory-map changes, */
#define VCM_DMA_PAUSE_CHANGES   32
/* for this long (virtual time). */
#define VCM_DMA_DEVICE_PAUSE_NS 10000
/*
 * Any transfer pauses the same way after x-run-bytes bytes moved in one
 * run (VCM_DMA_RUN_BYTES) or x-run-steps steps (VCM_DMA_RUN_STEPS): LEN
 * and ITER allow 2^64 bytes per GO, CHUNK allows single bytes, and a run
 * holds the BQL.
 */
#define VCM_DMA_CTRL_RW     (R_CTRL_IRQ_EN_MASK | R_CTRL_OP_MASK)
/*
 * A step of RAM to RAM of at least this many bytes is written straight
 * from the source (vcm_dma_direct()). Measured with make bench on a
 * Zen 5 host and glibc 2.36: 64 KiB steps copy twice as fast that way,
 * 4 KiB steps 20-25% slower than through the bounce buffer (why, not
 * found).
 */
#define VCM_DMA_DIRECT_BYTES    (8 * KiB)

/* spec 2: STATUS.ERR_CODE */
enum {
    ERR_NONE,
    ERR_READ_FAULT,
    ERR_WRITE_FAULT,
    ERR_BUS,
    ERR_TERMINATED,
    ERR_ABORTED,
    ERR_PROGRAMMING,
};

static uint64_t vcm_dma_src(VCMDMAEngine *e)
{
    return deposit64(e->regs[R_SRC_LO], 32, 32, e->regs[R_SRC_HI]);
}

static uint64_t vcm_dma_dst(VCMDMAEngine *e)
{
    return deposit64(e->regs[R_DST_LO], 32, 32, e->regs[R_DST_HI]);
}

static void vcm_dma_update_irq(VCMDMAEngine *e)
{
    bool pending = e->regs[R_STATUS] & (R_STATUS_DONE_MASK |
                                        R_STATUS_ERROR_MASK |
                                        R_STATUS_STALLED_MASK);

    qemu_set_irq(e->irq, FIELD_EX32(e->regs[R_CTRL], CTRL, IRQ_EN) && pending);
}

static void vcm_dma_finish(VCMDMAEngine *e, int err)
{
    timer_del(e->device_timer);
    e->regs[R_STATUS] &= ~(R_STATUS_BUSY_MASK | R_STATUS_STALLED_MASK);
    if (err) {
        e->regs[R_STATUS] = FIELD_DP32(e->regs[R_STATUS], STATUS, ERR_CODE,
                                       err);
        e->regs[R_STATUS] |= R_STATUS_ERROR_MASK;
    } else {
        e->regs[R_STATUS] |= R_STATUS_DONE_MASK;
        uint64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - e->start_ns;

        e->regs[R_ELAPSED_NS_LO] = ns;
        e->regs[R_ELAPSED_NS_HI] = ns >> 32;
    }
    trace_vcm_dma_end(e->id, err, e->regs[R_DONE_BYTES]);
    vcm_dma_update_irq(e);
}

static uint32_t vcm_dma_chunk_size(VCMDMAEngine *e)
{
    return e->regs[R_CHUNK] ?: VCM_DMA_MAX_CHUNK;
}

/* spec 3.1: overlapping copies behave like memmove */
static bool vcm_dma_backwards(VCMDMAEngine *e)
{
    uint64_t src = vcm_dma_src(e), dst = vcm_dma_dst(e);

    return !FIELD_EX32(e->regs[R_CTRL], CTRL, OP) && dst > src &&
           dst < src + e->regs[R_LEN];
}

/* What every access carries (the front end chose it) */
static MemTxAttrs vcm_dma_attrs(VCMDMAEngine *e)
{
    return e->attrs;
}

/*
 * Why an access failed: the SMMU parked the transfer (it stalled) or
 * aborted it (MEMTX_ACCESS_ERROR); anything else is a bus error.
 */
static void vcm_dma_access_failed(VCMDMAEngine *e, uint64_t addr, bool write,
                                  MemTxResult res)
{
    e->regs[R_FAULT_ADDR] = addr;
    if (e->regs[R_STATUS] & R_STATUS_STALLED_MASK) {
        trace_vcm_dma_park(e->id, addr, e->regs[R_DONE_BYTES]);
        vcm_dma_update_irq(e);
    } else if (res & MEMTX_ACCESS_ERROR) {
        vcm_dma_finish(e, write ? ERR_WRITE_FAULT : ERR_READ_FAULT);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: id %u: bus error at "
                      "device address 0x%" PRIx64 "\n",
                      object_get_typename(OBJECT(e->owner)), e->id, addr);
        vcm_dma_finish(e, ERR_BUS);
    }
}

/*
 * Fill the bounce buffer with the pattern as it lies at @offset: byte i
 * of a fill is byte i % 4 of PATTERN (little-endian), so the buffer is
 * one rotated word repeated (filled by doubling: a byte loop was most
 * of a fuzzer's time).
 */
static void vcm_dma_fill_buf(VCMDMAEngine *e, uint32_t offset, uint32_t n)
{
    uint32_t word = ror32(e->regs[R_PATTERN], 8 * (offset & 3));
    uint32_t done = MIN(n, 4);

    for (uint32_t i = 0; i < done; i++) {
        e->buf[i] = word >> (8 * i);
    }
    for (; done < n; done *= 2) {
        memcpy(e->buf + done, e->buf, MIN(done, n - done));
    }
}

/*
 * Where one side of a step goes: the address space and address that the
 * DMA address space (the SMMU, or system memory) sends device address
 * @addr to, and how many bytes from @addr on (@down: up to and including
 * @addr) stay in one SMMU block and one RAM region. A device (anything
 * but RAM, including the SMMU's abort and read-as-zero sinks) is moved a
 * few bytes at a time. Returns 0 when the access failed (handled).
 */
typedef struct VCMDMASide {
    AddressSpace *as;
    hwaddr addr;
    bool device;
} VCMDMASide;

/*
 * The IOMMU region of the DMA address space at @addr, looked up in its
 * memory map once per map and run (see vcm_dma_window() for why a map
 * cannot be replaced at the same address within a run): the lookup that
 * address_space_get_iotlb_entry() would make for every step. NULL when
 * something else is there.
 */
static VCMDMAIommu *vcm_dma_iommu_at(VCMDMAEngine *e, uint64_t addr)
{
    VCMDMAIommu *c = &e->iommu_at;
    MemoryRegionSection sec;
    bool at;

    if (c->map == address_space_to_flatview(e->as) && addr >= c->lo &&
        addr < c->hi) {
        return c->mr ? c : NULL;
    }
    /* the first region from @addr on, up to its end: is it at @addr? */
    sec = memory_region_find(e->as->root, addr, UINT64_MAX - addr);
    at = sec.mr && sec.offset_within_address_space == addr;
    *c = (VCMDMAIommu) {
        .map = address_space_to_flatview(e->as),
        .mr = at ? memory_region_get_iommu(sec.mr) : NULL,
        .lo = addr,
        .hi = at ? addr + int128_get64(sec.size) : addr + 1,
        .offset = sec.offset_within_region,
    };
    if (c->mr) {
        c->idx = memory_region_iommu_attrs_to_index(c->mr, vcm_dma_attrs(e));
    }
    if (sec.mr) {
        memory_region_unref(sec.mr);    /* the map holds it */
    }
    return c->mr ? c : NULL;
}

/*
 * Behind an IOMMU, the IOTLB entry of @addr in the DMA address space: the
 * IOMMU's block bounds the step. Without one, the DMA address space is
 * system memory, untranslated and unbounded. False when the IOMMU sent
 * the access nowhere.
 *
 * A block a side was sent to serves its later steps of the run (spec
 * 3.1) until an access reaches a device: a run holds the BQL, so only
 * the run's own accesses could change the IOMMU meanwhile, and RAM
 * accesses do not.
 */
static bool vcm_dma_translate(VCMDMAEngine *e, uint64_t addr, bool write,
                              VCMDMASide *side, uint64_t *mask)
{
    VCMDMABlock *b = &e->block[write];
    VCMDMAIommu *c;
    IOMMUTLBEntry ent;
    hwaddr at = addr;
    bool sent;

    if (!e->iommu) {
        side->as = e->as;
        side->addr = addr;
        *mask = UINT64_MAX;
        return true;
    }
    if (b->valid && addr - b->lo <= b->mask) {
        side->as = b->target;
        side->addr = b->translated + (addr - b->lo);
        *mask = b->mask;
        return true;
    }
    e->translations++;
    c = vcm_dma_iommu_at(e, addr);
    if (c) {
        at = addr - c->lo + c->offset;
        ent = memory_region_get_iommu_class_nocheck(c->mr)->translate(
                  c->mr, at, write ? IOMMU_WO : IOMMU_RO, c->idx);
    } else {
        ent = address_space_get_iotlb_entry(e->as, addr, write,
                                            vcm_dma_attrs(e));
    }
    side->as = ent.target_as;
    side->addr = ent.translated_addr | (at & ent.addr_mask);
    *mask = ent.addr_mask;
    sent = ent.perm & (write ? IOMMU_WO : IOMMU_RO);
    *b = (VCMDMABlock) {
        .valid = sent,
        .lo = addr & ~ent.addr_mask,
        .mask = ent.addr_mask,
        .target = ent.target_as,
        .translated = side->addr - (addr & ent.addr_mask),
    };
    return sent;
}

/*
 * The RAM behind @side as far as the last lookup on this side found it:
 * valid while the address space shows the same memory map. A run holds
 * the BQL, and replaced maps are freed (RCU) only under the BQL, so a map
 * cannot be freed and another take its address within one run; each run
 * starts with empty windows.
 */
static VCMDMAWindow *vcm_dma_window(VCMDMAEngine *e, const VCMDMASide *side,
                                    bool write)
{
    VCMDMAWindow *w = &e->window[write];

    if (w->as == side->as && w->map == address_space_to_flatview(side->as) &&
        side->addr >= w->lo && side->addr < w->hi) {
        return w;
    }
    return NULL;
}

/* Look @side up in its address space; RAM found becomes the window. */
static VCMDMAWindow *vcm_dma_lookup(VCMDMAEngine *e, const VCMDMASide *side,
                                    bool write)
{
    VCMDMAWindow *w = &e->window[write];
    hwaddr xlat, len = UINT64_MAX - side->addr;
    MemoryRegion *mr;

    mr = address_space_translate(side->as, side->addr, &xlat, &len, write,
                                 vcm_dma_attrs(e));
    if (!memory_access_is_direct(mr, write, vcm_dma_attrs(e))) {
        return NULL;
    }
    *w = (VCMDMAWindow) {
        .as = side->as,
        .map = address_space_to_flatview(side->as),
        .mr = mr,
        .host = (uint8_t *)memory_region_get_ram_ptr(mr) + xlat,
        .lo = side->addr,
        .hi = side->addr + len,
        .start = side->addr - MIN(xlat, side->addr),
    };
    return w;
}

static uint64_t vcm_dma_reach(VCMDMAEngine *e, uint64_t addr, bool write,
                              bool down, VCMDMASide *side)
{
    uint64_t mask, block;       /* block 0: all of 2^64 */
    bool sent = vcm_dma_translate(e, addr, write, side, &mask);
    VCMDMAWindow *w;

    if (e->regs[R_STATUS] & R_STATUS_STALLED_MASK) {    /* parked by SMMU */
        vcm_dma_access_failed(e, addr, write, MEMTX_ACCESS_ERROR);
        return 0;
    }
    if (!sent) {                                        /* nothing there */
        vcm_dma_access_failed(e, addr, write, MEMTX_DECODE_ERROR);
        return 0;
    }
    block = down ? (addr & mask) + 1 : mask + 1 - (addr & mask);
    w = vcm_dma_window(e, side, write) ?: vcm_dma_lookup(e, side, write);
    side->device = !w;
    if (side->device) {
        return MIN(block - 1, VCM_DMA_DEVICE_BYTES - 1) + 1;
    }
    if (down) {
        return MIN(block - 1, side->addr - w->start) + 1;
    }
    return MIN(block - 1, w->hi - side->addr - 1) + 1;
}

/*
 * Where the @n bytes of @side that end (@down) or start at its address lie
 * in the host, when @side's window holds them all; else NULL.
 */
static uint8_t *vcm_dma_host(VCMDMAEngine *e, const VCMDMASide *side,
                             uint32_t n, bool down, bool write)
{
    const VCMDMAWindow *w = &e->window[write];
    hwaddr addr = side->addr - (down ? n - 1 : 0);

    if (side->device || w->as != side->as || addr < w->lo || addr >= w->hi ||
        w->hi - addr < n) {
        return NULL;
    }
    return w->host + (addr - w->lo);
}

/*
 * One read or write of the @n bytes of a step that end (@down) or start
 * at @at of the transfer, a write from @data; false when the transfer
 * stops.
 */
static bool vcm_dma_access(VCMDMAEngine *e, const VCMDMASide *side,
                           uint64_t base, uint32_t at, uint32_t n, bool down,
                           bool write, const uint8_t *data)
{
    MemTxAttrs attrs = vcm_dma_attrs(e);
    uint32_t back = down ? n - 1 : 0;
    hwaddr addr = side->addr - back;
    uint8_t *host = write ? NULL : vcm_dma_host(e, side, n, down, false);
    MemTxResult res;

    if (host) {
        /* RAM the source's window holds: read it where it lies */
        fuzz_dma_read_cb(addr, n, e->window[false].mr);
        memcpy(e->buf, host, n);
        return true;
    }
    res = write ? address_space_write(side->as, addr, attrs, data, n)
                : address_space_read(side->as, addr, attrs, e->buf, n);
    if (side->device) {
        /* it may have changed the IOMMU: translate afresh */
        memset(e->block, 0, sizeof(e->block));
    }
    if (res != MEMTX_OK) {
        vcm_dma_access_failed(e, base + at - back, write, res);
        return false;
    }
    return true;
}

/*
 * A step of a copy between RAM is written to the destination from where
 * the source lies (@data): one memcpy instead of two through the bounce
 * buffer. Not where the two overlap in the host (a memmove through one
 * memory, spec 3.1), and not for steps smaller than VCM_DMA_DIRECT_BYTES.
 */
static bool vcm_dma_direct(VCMDMAEngine *e, const VCMDMASide *src,
                           const VCMDMASide *dst, uint32_t n, bool down,
                           const uint8_t **data)
{
    const uint8_t *from = vcm_dma_host(e, src, n, down, false);
    const uint8_t *to = vcm_dma_host(e, dst, n, down, true);

    if (n < VCM_DMA_DIRECT_BYTES || !from || !to ||
        (from < to + n && to < from + n)) {
        return false;
    }
    *data = from;
    return true;
}

/*
 * One step of the transfer (spec 3.1: chunks no larger than CHUNK, never
 * crossing the block the SMMU returned): at most the rest of the current
 * chunk, within one SMMU block and one RAM region on each side. Steps go
 * backwards through an overlapping copy (memmove). The source is read
 * before the destination is written, and a device source (or an SMMU
 * that terminated the read) answers before the destination is even
 * translated; it never gives more than the destination's aligned word,
 * which no block boundary splits. False when the transfer stops or
 * parks; @device tells whether a device was accessed.
 */
static bool vcm_dma_step(VCMDMAEngine *e, bool *device)
{
    uint32_t chunk = vcm_dma_chunk_size(e);
    bool fill = FIELD_EX32(e->regs[R_CTRL], CTRL, OP);
    bool down = vcm_dma_backwards(e);
    uint32_t len = e->regs[R_LEN], done = e->regs[R_DONE_BYTES];
    uint32_t n = MIN(len - done, chunk - done % chunk);
    uint32_t at = down ? len - done - 1 : done;
    uint64_t from = vcm_dma_src(e), to = vcm_dma_dst(e);
    uint32_t word = down ? ((to + at) & 3) + 1 : 4 - ((to + at) & 3);
    VCMDMASide src = { 0 }, dst;
    const uint8_t *data = e->buf;
    bool read = false;
    uint64_t reach;

    RCU_READ_LOCK_GUARD();
    if (!fill) {
        reach = vcm_dma_reach(e, from + at, false, down, &src);
        if (!reach) {
            return false;
        }
        n = MIN(n, reach);
        if (src.device) {
            n = MIN(n, word);
            if (!vcm_dma_access(e, &src, from, at, n, down, false, NULL)) {
                return false;
            }
            read = true;
        }
    }
    reach = vcm_dma_reach(e, to + at, true, down, &dst);
    if (!reach) {
        return false;
    }
    n = MIN(n, reach);

    if (fill) {
        vcm_dma_fill_buf(e, down ? at - (n - 1) : at, n);
    } else if (!read && vcm_dma_direct(e, &src, &dst, n, down, &data)) {
        fuzz_dma_read_cb(src.addr - (down ? n - 1 : 0), n,
                         e->window[false].mr);
    } else if (!read &&
               !vcm_dma_access(e, &src, from, at, n, down, false, NULL)) {
        return false;
    }
    if (!vcm_dma_access(e, &dst, to, at, n, down, true, data)) {
        return false;
    }
    e->regs[R_DONE_BYTES] += n;
    *device = src.device || dst.device;
    return true;
}

/*
 * Move data until the transfer ends or parks. Transfers between RAM run
 * to their end inside the GO write. A device may change the memory map
 * on every access (a flash leaving and re-entering ROM mode), and each
 * replaced map is freed (RCU) only once the main loop lets the RCU thread
 * take the BQL: so after VCM_DMA_PAUSE_CHANGES map changes, or
 * VCM_DMA_DEVICE_STEPS device accesses, or x-run-bytes bytes or
 * x-run-steps steps of any kind, the engine pauses for
 * VCM_DMA_DEVICE_PAUSE_NS of virtual time (STATUS.BUSY stays set), which
 * bounds the maps a transfer can leave behind per unit of time.
 */
static void vcm_dma_run(VCMDMAEngine *e)
{
    uint32_t iterations = MAX(e->regs[R_ITER], 1);
    FlatView *map = address_space_to_flatview(&address_space_memory);
    unsigned device_steps = 0, steps = 0;
    uint64_t moved = 0;

    memset(e->window, 0, sizeof(e->window));
    memset(&e->iommu_at, 0, sizeof(e->iommu_at));
    memset(e->block, 0, sizeof(e->block));
    while (e->iter_done < iterations) {
        while (e->regs[R_DONE_BYTES] < e->regs[R_LEN]) {
            uint32_t before = e->regs[R_DONE_BYTES];
            bool device = false;

            if (map != address_space_to_flatview(&address_space_memory)) {
                map = address_space_to_flatview(&address_space_memory);
                e->map_changes++;
            }
            if (device_steps == VCM_DMA_DEVICE_STEPS ||
                e->map_changes >= VCM_DMA_PAUSE_CHANGES ||
                moved >= e->run_bytes || steps == e->run_steps) {
                trace_vcm_dma_yield(e->id, e->regs[R_DONE_BYTES]);
                e->map_changes = 0;
                timer_mod(e->device_timer,
                          qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                          VCM_DMA_DEVICE_PAUSE_NS);
                return;
            }
            if (!vcm_dma_step(e, &device)) {
                return;
            }
            moved += e->regs[R_DONE_BYTES] - before;
            device_steps += device;
            steps++;
        }
        if (++e->iter_done < iterations) {
            e->regs[R_DONE_BYTES] = 0;
        }
    }
    vcm_dma_finish(e, ERR_NONE);
}

/* The end of a pause: a device transfer goes on. */
static void vcm_dma_continue(void *opaque)
{
    VCMDMAEngine *e = opaque;

    if ((e->regs[R_STATUS] & R_STATUS_BUSY_MASK) &&
        !(e->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        vcm_dma_run(e);
    }
}

static void vcm_dma_bad_programming(VCMDMAEngine *e, const char *why)
{
    qemu_log_mask(LOG_GUEST_ERROR, "%s: id %u: %s\n",
                  object_get_typename(OBJECT(e->owner)), e->id, why);
    e->regs[R_STATUS] = FIELD_DP32(e->regs[R_STATUS], STATUS, ERR_CODE,
                                   ERR_PROGRAMMING);
    e->regs[R_STATUS] |= R_STATUS_ERROR_MASK;
    vcm_dma_update_irq(e);
}

static void vcm_dma_go(VCMDMAEngine *e)
{
    if (e->regs[R_STATUS] & R_STATUS_BUSY_MASK) {
        vcm_dma_bad_programming(e, "GO while a transfer is busy");
        return;
    }
    if (!e->regs[R_LEN]) {
        vcm_dma_bad_programming(e, "GO with LEN = 0");
        return;
    }
    e->regs[R_STATUS] = R_STATUS_BUSY_MASK;
    e->regs[R_DONE_BYTES] = 0;
    e->iter_done = 0;
    e->regs[R_FAULT_ADDR] = 0;
    e->start_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    trace_vcm_dma_start(e->id, FIELD_EX32(e->regs[R_CTRL], CTRL, OP),
                        vcm_dma_src(e), vcm_dma_dst(e), e->regs[R_LEN],
                        e->regs[R_ITER]);
    vcm_dma_run(e);
}

/* spec 3.2: a fault in a stalling context parks the transfer */
void vcm_dma_engine_park(VCMDMAEngine *e)
{
    e->regs[R_STATUS] |= R_STATUS_STALLED_MASK;
}

/* spec 3.2: RESUME on the stalled context retries (or terminates) the access */
void vcm_dma_engine_resume(VCMDMAEngine *e, bool terminate)
{
    if (!(e->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        return;
    }
    e->regs[R_STATUS] &= ~R_STATUS_STALLED_MASK;
    if (terminate) {
        vcm_dma_finish(e, ERR_TERMINATED);
        return;
    }
    vcm_dma_update_irq(e);
    vcm_dma_run(e);
}

/* spec 2: GO and ABORT act and read as zero; IRQ_EN and OP are stored */
static void vcm_dma_ctrl_post_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAEngine *e = reg->opaque;

    e->regs[R_CTRL] = value & VCM_DMA_CTRL_RW;
    if (FIELD_EX32(value, CTRL, ABORT) &&
        (e->regs[R_STATUS] & R_STATUS_BUSY_MASK)) {
        vcm_dma_finish(e, ERR_ABORTED);
    }
    if (FIELD_EX32(value, CTRL, GO)) {
        vcm_dma_go(e);
    }
    vcm_dma_update_irq(e);
}

/* spec 2: clearing ERROR also clears its ERR_CODE */
static void vcm_dma_status_post_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAEngine *e = reg->opaque;

    if (!(value & R_STATUS_ERROR_MASK)) {
        e->regs[R_STATUS] = FIELD_DP32(e->regs[R_STATUS], STATUS, ERR_CODE,
                                       ERR_NONE);
    }
    vcm_dma_update_irq(e);
}

/* Transfer parameters cannot change under a busy or parked transfer. */
static uint64_t vcm_dma_param_pre_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAEngine *e = reg->opaque;

    if (e->regs[R_STATUS] & R_STATUS_BUSY_MASK) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to %s ignored while "
                      "a transfer is busy\n",
                      object_get_typename(OBJECT(e->owner)),
                      reg->access->name);
        return *(uint32_t *)reg->data;
    }
    return value;
}

static uint64_t vcm_dma_chunk_pre_write(RegisterInfo *reg, uint64_t value)
{
    if (value > VCM_DMA_MAX_CHUNK) {
        qemu_log_mask(LOG_GUEST_ERROR, "vcm-dma: CHUNK 0x%" PRIx64
                      " above 1 MiB, using 1 MiB\n", value);
        value = VCM_DMA_MAX_CHUNK;
    }
    return vcm_dma_param_pre_write(reg, value);
}

#define VCM_DMA_RO(reg, value) \
    { .name = #reg, .addr = A_##reg, .reset = (value), .ro = ~0 }
#define VCM_DMA_PARAM(reg) \
    { .name = #reg, .addr = A_##reg, .pre_write = vcm_dma_param_pre_write }

/* spec 2: the register map */
static const RegisterAccessInfo vcm_dma_regs_info[] = {
    VCM_DMA_RO(ID, VCM_DMA_ID),
    VCM_DMA_RO(VERSION, VCM_DMA_VERSION),
    { .name = "CTRL", .addr = A_CTRL,
      .rsvd = ~(VCM_DMA_CTRL_RW | R_CTRL_GO_MASK | R_CTRL_ABORT_MASK),
      .post_write = vcm_dma_ctrl_post_write },
    { .name = "STATUS", .addr = A_STATUS,
      .ro = R_STATUS_BUSY_MASK | R_STATUS_STALLED_MASK |
            R_STATUS_ERR_CODE_MASK,
      .w1c = R_STATUS_DONE_MASK | R_STATUS_ERROR_MASK,
      .post_write = vcm_dma_status_post_write },
    VCM_DMA_PARAM(SRC_LO),
    VCM_DMA_PARAM(SRC_HI),
    VCM_DMA_PARAM(DST_LO),
    VCM_DMA_PARAM(DST_HI),
    VCM_DMA_PARAM(LEN),
    VCM_DMA_PARAM(PATTERN),
    VCM_DMA_RO(DONE_BYTES, 0),
    VCM_DMA_RO(FAULT_ADDR, 0),
    { .name = "CHUNK", .addr = A_CHUNK,
      .pre_write = vcm_dma_chunk_pre_write },
    VCM_DMA_PARAM(ITER),
    VCM_DMA_RO(ELAPSED_NS_LO, 0),
    VCM_DMA_RO(ELAPSED_NS_HI, 0),
};

static uint64_t vcm_dma_read(void *opaque, hwaddr offset, unsigned size)
{
    uint64_t value = register_read_memory(opaque, offset, size);

    trace_vcm_dma_read(offset, value);
    return value;
}

static void vcm_dma_write(void *opaque, hwaddr offset, uint64_t value,
                          unsigned size)
{
    trace_vcm_dma_write(offset, value);
    register_write_memory(opaque, offset, value, size);
}

/* spec 2: 32-bit accesses only */
static const MemoryRegionOps vcm_dma_ops = {
    .read = vcm_dma_read,
    .write = vcm_dma_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

void vcm_dma_engine_realize(VCMDMAEngine *e, DeviceState *owner,
                            AddressSpace *as, bool iommu, MemTxAttrs attrs)
{
    e->owner = owner;
    e->as = as;
    e->iommu = iommu;
    e->attrs = attrs;
    e->id = attrs.requester_id;
    e->buf = g_malloc(VCM_DMA_MAX_CHUNK);
    e->device_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vcm_dma_continue, e);
    e->reg_array = register_init_block32(owner, vcm_dma_regs_info,
                                         ARRAY_SIZE(vcm_dma_regs_info),
                                         e->regs_info, e->regs,
                                         &vcm_dma_ops, false,
                                         VCM_DMA_MMIO_SIZE);
    /* the register hooks act on the engine, not on its front end */
    for (unsigned i = 0; i < ARRAY_SIZE(e->regs_info); i++) {
        e->regs_info[i].opaque = e;
    }
}

bool vcm_dma_engine_check_props(VCMDMAEngine *e, Error **errp)
{
    if (!e->run_steps) {
        error_setg(errp, "x-run-steps must be at least 1");
        return false;
    }
    if (!e->run_bytes) {
        error_setg(errp, "x-run-bytes must be at least 1");
        return false;
    }
    return true;
}

void vcm_dma_engine_describe_props(ObjectClass *klass)
{
    object_class_property_set_description(klass, "x-run-steps",
        "test knob: steps a transfer makes before it pauses for 10 us of "
        "virtual time (STATUS.BUSY stays set; the generic-fuzz targets "
        "use a few hundred to keep each input cheap)");
    object_class_property_set_description(klass, "x-run-bytes",
        "test knob: bytes a transfer moves before it pauses for 10 us of "
        "virtual time (at least one step runs; the smmu-vcm generic-fuzz "
        "target caps it at 1 MiB, as 4 KiB pages do with its x-run-steps)");
}

void vcm_dma_engine_unrealize(VCMDMAEngine *e)
{
    g_clear_pointer(&e->device_timer, timer_free);
    g_clear_pointer(&e->buf, g_free);
    g_clear_pointer(&e->reg_array, register_finalize_block);
}

MemoryRegion *vcm_dma_engine_mmio(VCMDMAEngine *e)
{
    return &e->reg_array->mem;
}

/* spec 3.3: reset clears every register but ID/VERSION, and a transfer */
void vcm_dma_engine_reset(VCMDMAEngine *e)
{
    for (unsigned i = 0; i < ARRAY_SIZE(e->regs_info); i++) {
        register_reset(&e->regs_info[i]);
    }
    e->iter_done = 0;
    timer_del(e->device_timer);
    vcm_dma_update_irq(e);
}

/*
 * What a busy transfer has run so far travels, not when it started: the
 * destination's virtual clock need not continue the source's.
 */
void vcm_dma_engine_pre_save(VCMDMAEngine *e)
{
    e->running_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - e->start_ns;
}

/*
 * A transfer that was pausing goes on here too. A source that did not
 * send how long a busy transfer had run (vcm-dma version 1): it starts
 * now.
 */
void vcm_dma_engine_post_load(VCMDMAEngine *e, bool running_known)
{
    e->start_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) -
                  (running_known ? e->running_ns : 0);
    if ((e->regs[R_STATUS] & R_STATUS_BUSY_MASK) &&
        !(e->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        timer_mod(e->device_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    }
}

const VMStateDescription vmstate_vcm_dma_engine = {
    .name = "vcm-dma-engine",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(regs, VCMDMAEngine, VCM_DMA_R_MAX),
        VMSTATE_UINT32(iter_done, VCMDMAEngine),
        VMSTATE_INT64(running_ns, VCMDMAEngine),
        VMSTATE_END_OF_LIST()
    },
};
