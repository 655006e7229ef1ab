/*
 * vcm-dma: the DMA master that sits behind smmu-vcm
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A small copy/fill engine whose every access carries its master ID
 * through the SMMU it is linked to (the contract is docs/specs/vcm-dma.rst,
 * "spec" below). Without an "iommu" link it masters system memory
 * directly, the bypass baseline.
 *
 * Every access goes through the engine's DMA address space (the SMMU's
 * IOMMU region for its master ID, or system memory) with MemTxAttrs that
 * carry the master ID and the privilege. A transfer between RAM runs to
 * its end inside the GO write, in steps of at most CHUNK bytes, each
 * translated once, unless an access faults in a context that stalls: the
 * SMMU then parks the engine (STATUS.BUSY|STALLED, the
 * TYPE_SMMU_VCM_STALLABLE interface), which carries on, or gives up, when
 * the guest writes that context's RESUME register. Transfers to or from
 * devices go on from a timer (see vcm_dma_run()).
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/rcu.h"
#include "qemu/units.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "exec/address-spaces.h"
#include "hw/smmu-vcm/vcm-dma.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/register.h"
#include "migration/vmstate.h"
#include "trace.h"

REG32(ID, 0x00)
REG32(VERSION, 0x04)
REG32(CTRL, 0x08)
    FIELD(CTRL, GO, 0, 1)
    FIELD(CTRL, ABORT, 1, 1)
    FIELD(CTRL, IRQ_EN, 2, 1)
    FIELD(CTRL, OP, 4, 1)
REG32(STATUS, 0x0C)
    FIELD(STATUS, BUSY, 0, 1)
    FIELD(STATUS, DONE, 1, 1)
    FIELD(STATUS, ERROR, 2, 1)
    FIELD(STATUS, STALLED, 3, 1)
    FIELD(STATUS, ERR_CODE, 8, 4)
REG32(SRC_LO, 0x10)
REG32(SRC_HI, 0x14)
REG32(DST_LO, 0x18)
REG32(DST_HI, 0x1C)
REG32(LEN, 0x20)
REG32(PATTERN, 0x24)
REG32(DONE_BYTES, 0x28)
REG32(FAULT_ADDR, 0x2C)
REG32(CHUNK, 0x30)
REG32(ITER, 0x34)
REG32(ELAPSED_NS_LO, 0x38)
REG32(ELAPSED_NS_HI, 0x3C)
QEMU_BUILD_BUG_ON(R_ELAPSED_NS_HI + 1 != VCM_DMA_R_MAX);

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
#define VCM_DMA_CTRL_RW     (R_CTRL_IRQ_EN_MASK | R_CTRL_OP_MASK)

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

static uint64_t vcm_dma_src(VCMDMAState *s)
{
    return deposit64(s->regs[R_SRC_LO], 32, 32, s->regs[R_SRC_HI]);
}

static uint64_t vcm_dma_dst(VCMDMAState *s)
{
    return deposit64(s->regs[R_DST_LO], 32, 32, s->regs[R_DST_HI]);
}

static void vcm_dma_update_irq(VCMDMAState *s)
{
    bool pending = s->regs[R_STATUS] & (R_STATUS_DONE_MASK |
                                        R_STATUS_ERROR_MASK |
                                        R_STATUS_STALLED_MASK);

    qemu_set_irq(s->irq, FIELD_EX32(s->regs[R_CTRL], CTRL, IRQ_EN) && pending);
}

static void vcm_dma_finish(VCMDMAState *s, int err)
{
    timer_del(s->device_timer);
    s->regs[R_STATUS] &= ~(R_STATUS_BUSY_MASK | R_STATUS_STALLED_MASK);
    if (err) {
        s->regs[R_STATUS] = FIELD_DP32(s->regs[R_STATUS], STATUS, ERR_CODE,
                                       err);
        s->regs[R_STATUS] |= R_STATUS_ERROR_MASK;
    } else {
        s->regs[R_STATUS] |= R_STATUS_DONE_MASK;
        uint64_t ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - s->start_ns;

        s->regs[R_ELAPSED_NS_LO] = ns;
        s->regs[R_ELAPSED_NS_HI] = ns >> 32;
    }
    trace_vcm_dma_end(s->mid, err, s->regs[R_DONE_BYTES]);
    vcm_dma_update_irq(s);
}

static uint32_t vcm_dma_chunk_size(VCMDMAState *s)
{
    return s->regs[R_CHUNK] ?: VCM_DMA_MAX_CHUNK;
}

/* spec 3.1: overlapping copies behave like memmove */
static bool vcm_dma_backwards(VCMDMAState *s)
{
    uint64_t src = vcm_dma_src(s), dst = vcm_dma_dst(s);

    return !FIELD_EX32(s->regs[R_CTRL], CTRL, OP) && dst > src &&
           dst < src + s->regs[R_LEN];
}

/* Every access carries the master ID; the engine is a privileged master. */
static MemTxAttrs vcm_dma_attrs(VCMDMAState *s)
{
    return (MemTxAttrs) { .requester_id = s->mid, .user = 0 };
}

/*
 * Why an access failed: the SMMU parked the transfer (it stalled) or
 * aborted it (MEMTX_ACCESS_ERROR); anything else is a bus error.
 */
static void vcm_dma_access_failed(VCMDMAState *s, uint64_t addr, bool write,
                                  MemTxResult res)
{
    s->regs[R_FAULT_ADDR] = addr;
    if (s->regs[R_STATUS] & R_STATUS_STALLED_MASK) {
        trace_vcm_dma_park(s->mid, addr, s->regs[R_DONE_BYTES]);
        vcm_dma_update_irq(s);
    } else if (res & MEMTX_ACCESS_ERROR) {
        vcm_dma_finish(s, write ? ERR_WRITE_FAULT : ERR_READ_FAULT);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "vcm-dma: mid %u: bus error at "
                      "device address 0x%" PRIx64 "\n", s->mid, addr);
        vcm_dma_finish(s, ERR_BUS);
    }
}

/* Fill the bounce buffer with the pattern as it lies at @offset. */
static void vcm_dma_fill_buf(VCMDMAState *s, uint32_t offset, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        s->buf[i] = s->regs[R_PATTERN] >> (8 * ((offset + i) & 3));
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
 * Behind an SMMU, the IOTLB entry of @addr in the DMA address space: the
 * SMMU's block bounds the step. Without one, the DMA address space is
 * system memory, untranslated and unbounded. False when the SMMU sent
 * the access nowhere.
 */
static bool vcm_dma_translate(VCMDMAState *s, uint64_t addr, bool write,
                              VCMDMASide *side, uint64_t *mask)
{
    IOMMUTLBEntry e;

    if (!s->smmu) {
        side->as = &s->dma_as;
        side->addr = addr;
        *mask = UINT64_MAX;
        return true;
    }
    e = address_space_get_iotlb_entry(&s->dma_as, addr, write,
                                      vcm_dma_attrs(s));
    side->as = e.target_as;
    side->addr = e.translated_addr | (addr & e.addr_mask);
    *mask = e.addr_mask;
    return e.perm & (write ? IOMMU_WO : IOMMU_RO);
}

/*
 * The RAM behind @side as far as the last lookup on this side found it:
 * valid while the address space shows the same memory map. A run holds
 * the BQL, and replaced maps are freed (RCU) only under the BQL, so a map
 * cannot be freed and another take its address within one run; each run
 * starts with empty windows.
 */
static VCMDMAWindow *vcm_dma_window(VCMDMAState *s, const VCMDMASide *side,
                                    bool write)
{
    VCMDMAWindow *w = &s->window[write];

    if (w->as == side->as && w->map == address_space_to_flatview(side->as) &&
        side->addr >= w->lo && side->addr < w->hi) {
        return w;
    }
    return NULL;
}

/* Look @side up in its address space; RAM found becomes the window. */
static VCMDMAWindow *vcm_dma_lookup(VCMDMAState *s, const VCMDMASide *side,
                                    bool write)
{
    VCMDMAWindow *w = &s->window[write];
    hwaddr xlat, len = UINT64_MAX - side->addr;
    MemoryRegion *mr;

    mr = address_space_translate(side->as, side->addr, &xlat, &len, write,
                                 vcm_dma_attrs(s));
    if (!memory_access_is_direct(mr, write, vcm_dma_attrs(s))) {
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

static uint64_t vcm_dma_reach(VCMDMAState *s, uint64_t addr, bool write,
                              bool down, VCMDMASide *side)
{
    uint64_t mask, block;       /* block 0: all of 2^64 */
    bool sent = vcm_dma_translate(s, addr, write, side, &mask);
    VCMDMAWindow *w;

    if (s->regs[R_STATUS] & R_STATUS_STALLED_MASK) {    /* parked by SMMU */
        vcm_dma_access_failed(s, addr, write, MEMTX_ACCESS_ERROR);
        return 0;
    }
    if (!sent) {                                        /* nothing there */
        vcm_dma_access_failed(s, addr, write, MEMTX_DECODE_ERROR);
        return 0;
    }
    block = down ? (addr & mask) + 1 : mask + 1 - (addr & mask);
    w = vcm_dma_window(s, side, write) ?: vcm_dma_lookup(s, side, write);
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
 * One read or write of the @n bytes of a step that end (@down) or start
 * at @at of the transfer; false when the transfer stops.
 */
static bool vcm_dma_access(VCMDMAState *s, const VCMDMASide *side,
                           uint64_t base, uint32_t at, uint32_t n, bool down,
                           bool write)
{
    MemTxAttrs attrs = vcm_dma_attrs(s);
    uint32_t back = down ? n - 1 : 0;
    hwaddr addr = side->addr - back;
    VCMDMAWindow *w = &s->window[false];
    MemTxResult res;

    if (!write && !side->device && w->as == side->as && addr >= w->lo &&
        addr < w->hi && w->hi - addr >= n) {
        /* RAM the source's window holds: read it where it lies */
        fuzz_dma_read_cb(addr, n, w->mr);
        memcpy(s->buf, w->host + (addr - w->lo), n);
        return true;
    }
    res = write ? address_space_write(side->as, addr, attrs, s->buf, n)
                : address_space_read(side->as, addr, attrs, s->buf, n);
    if (res != MEMTX_OK) {
        vcm_dma_access_failed(s, base + at - back, write, res);
        return false;
    }
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
static bool vcm_dma_step(VCMDMAState *s, bool *device)
{
    uint32_t chunk = vcm_dma_chunk_size(s);
    bool fill = FIELD_EX32(s->regs[R_CTRL], CTRL, OP);
    bool down = vcm_dma_backwards(s);
    uint32_t len = s->regs[R_LEN], done = s->regs[R_DONE_BYTES];
    uint32_t n = MIN(len - done, chunk - done % chunk);
    uint32_t at = down ? len - done - 1 : done;
    uint64_t from = vcm_dma_src(s), to = vcm_dma_dst(s);
    uint32_t word = down ? ((to + at) & 3) + 1 : 4 - ((to + at) & 3);
    VCMDMASide src = { 0 }, dst;
    bool read = false;
    uint64_t reach;

    RCU_READ_LOCK_GUARD();
    if (!fill) {
        reach = vcm_dma_reach(s, from + at, false, down, &src);
        if (!reach) {
            return false;
        }
        n = MIN(n, reach);
        if (src.device) {
            n = MIN(n, word);
            if (!vcm_dma_access(s, &src, from, at, n, down, false)) {
                return false;
            }
            read = true;
        }
    }
    reach = vcm_dma_reach(s, to + at, true, down, &dst);
    if (!reach) {
        return false;
    }
    n = MIN(n, reach);

    if (fill) {
        vcm_dma_fill_buf(s, down ? at - (n - 1) : at, n);
    } else if (!read &&
               !vcm_dma_access(s, &src, from, at, n, down, false)) {
        return false;
    }
    if (!vcm_dma_access(s, &dst, to, at, n, down, true)) {
        return false;
    }
    s->regs[R_DONE_BYTES] += n;
    *device = src.device || dst.device;
    return true;
}

/*
 * Move data until the transfer ends or parks. Transfers between RAM run
 * to their end inside the GO write. A device may change the memory map
 * on every access (a flash leaving and re-entering ROM mode), and each
 * replaced map is freed (RCU) only once the main loop lets the RCU thread
 * take the BQL: so after VCM_DMA_PAUSE_CHANGES map changes, or
 * VCM_DMA_DEVICE_STEPS device accesses, the engine pauses for
 * VCM_DMA_DEVICE_PAUSE_NS of virtual time (STATUS.BUSY stays set), which
 * bounds the maps a transfer can leave behind per unit of time.
 */
static void vcm_dma_run(VCMDMAState *s)
{
    uint32_t iterations = MAX(s->regs[R_ITER], 1);
    FlatView *map = address_space_to_flatview(&address_space_memory);
    unsigned device_steps = 0;

    memset(s->window, 0, sizeof(s->window));
    while (s->iter_done < iterations) {
        while (s->regs[R_DONE_BYTES] < s->regs[R_LEN]) {
            bool device = false;

            if (map != address_space_to_flatview(&address_space_memory)) {
                map = address_space_to_flatview(&address_space_memory);
                s->map_changes++;
            }
            if (device_steps == VCM_DMA_DEVICE_STEPS ||
                s->map_changes >= VCM_DMA_PAUSE_CHANGES) {
                trace_vcm_dma_yield(s->mid, s->regs[R_DONE_BYTES]);
                s->map_changes = 0;
                timer_mod(s->device_timer,
                          qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                          VCM_DMA_DEVICE_PAUSE_NS);
                return;
            }
            if (!vcm_dma_step(s, &device)) {
                return;
            }
            device_steps += device;
        }
        if (++s->iter_done < iterations) {
            s->regs[R_DONE_BYTES] = 0;
        }
    }
    vcm_dma_finish(s, ERR_NONE);
}

/* The end of a pause: a device transfer goes on. */
static void vcm_dma_continue(void *opaque)
{
    VCMDMAState *s = opaque;

    if ((s->regs[R_STATUS] & R_STATUS_BUSY_MASK) &&
        !(s->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        vcm_dma_run(s);
    }
}

static void vcm_dma_bad_programming(VCMDMAState *s, const char *why)
{
    qemu_log_mask(LOG_GUEST_ERROR, "vcm-dma: mid %u: %s\n", s->mid, why);
    s->regs[R_STATUS] = FIELD_DP32(s->regs[R_STATUS], STATUS, ERR_CODE,
                                   ERR_PROGRAMMING);
    s->regs[R_STATUS] |= R_STATUS_ERROR_MASK;
    vcm_dma_update_irq(s);
}

static void vcm_dma_go(VCMDMAState *s)
{
    if (s->regs[R_STATUS] & R_STATUS_BUSY_MASK) {
        vcm_dma_bad_programming(s, "GO while a transfer is busy");
        return;
    }
    if (!s->regs[R_LEN]) {
        vcm_dma_bad_programming(s, "GO with LEN = 0");
        return;
    }
    s->regs[R_STATUS] = R_STATUS_BUSY_MASK;
    s->regs[R_DONE_BYTES] = 0;
    s->iter_done = 0;
    s->regs[R_FAULT_ADDR] = 0;
    s->start_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    trace_vcm_dma_start(s->mid, FIELD_EX32(s->regs[R_CTRL], CTRL, OP),
                        vcm_dma_src(s), vcm_dma_dst(s), s->regs[R_LEN],
                        s->regs[R_ITER]);
    vcm_dma_run(s);
}

/* spec 3.2: a fault in a stalling context parks the transfer at @va */
static void vcm_dma_park(SMMUVCMStallable *master, uint32_t va)
{
    VCMDMAState *s = VCM_DMA(master);

    s->regs[R_STATUS] |= R_STATUS_STALLED_MASK;
}

/* spec 3.2: RESUME on the stalled context retries (or terminates) the access */
static void vcm_dma_resume(SMMUVCMStallable *master, bool terminate)
{
    VCMDMAState *s = VCM_DMA(master);

    if (!(s->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        return;
    }
    s->regs[R_STATUS] &= ~R_STATUS_STALLED_MASK;
    if (terminate) {
        vcm_dma_finish(s, ERR_TERMINATED);
        return;
    }
    vcm_dma_update_irq(s);
    vcm_dma_run(s);
}

/* spec 2: GO and ABORT act and read as zero; IRQ_EN and OP are stored */
static void vcm_dma_ctrl_post_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAState *s = VCM_DMA(reg->opaque);

    s->regs[R_CTRL] = value & VCM_DMA_CTRL_RW;
    if (FIELD_EX32(value, CTRL, ABORT) &&
        (s->regs[R_STATUS] & R_STATUS_BUSY_MASK)) {
        vcm_dma_finish(s, ERR_ABORTED);
    }
    if (FIELD_EX32(value, CTRL, GO)) {
        vcm_dma_go(s);
    }
    vcm_dma_update_irq(s);
}

/* spec 2: clearing ERROR also clears its ERR_CODE */
static void vcm_dma_status_post_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAState *s = VCM_DMA(reg->opaque);

    if (!(value & R_STATUS_ERROR_MASK)) {
        s->regs[R_STATUS] = FIELD_DP32(s->regs[R_STATUS], STATUS, ERR_CODE,
                                       ERR_NONE);
    }
    vcm_dma_update_irq(s);
}

/* Transfer parameters cannot change under a busy or parked transfer. */
static uint64_t vcm_dma_param_pre_write(RegisterInfo *reg, uint64_t value)
{
    VCMDMAState *s = VCM_DMA(reg->opaque);

    if (s->regs[R_STATUS] & R_STATUS_BUSY_MASK) {
        qemu_log_mask(LOG_GUEST_ERROR, "vcm-dma: write to %s ignored while "
                      "a transfer is busy\n", reg->access->name);
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

static void vcm_dma_realize(DeviceState *dev, Error **errp)
{
    VCMDMAState *s = VCM_DMA(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);
    MemoryRegion *downstream = get_system_memory();

    if (s->smmu) {
        IOMMUMemoryRegion *mr = smmu_vcm_connect_master(s->smmu, s->mid,
                                                        OBJECT(s), errp);
        if (!mr) {
            return;
        }
        downstream = MEMORY_REGION(mr);
    }
    address_space_init(&s->dma_as, downstream, "vcm-dma");
    s->buf = g_malloc(VCM_DMA_MAX_CHUNK);
    s->device_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vcm_dma_continue, s);

    s->reg_array = register_init_block32(dev, vcm_dma_regs_info,
                                         ARRAY_SIZE(vcm_dma_regs_info),
                                         s->regs_info, s->regs,
                                         &vcm_dma_ops, false,
                                         VCM_DMA_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->reg_array->mem);
    sysbus_init_irq(sbd, &s->irq);
}

static void vcm_dma_unrealize(DeviceState *dev)
{
    VCMDMAState *s = VCM_DMA(dev);

    timer_free(s->device_timer);
    address_space_destroy(&s->dma_as);
    g_free(s->buf);
    g_clear_pointer(&s->reg_array, register_finalize_block);
}

/* spec 3.3: reset clears every register but ID/VERSION, and a transfer */
static void vcm_dma_reset_hold(Object *obj, ResetType type)
{
    VCMDMAState *s = VCM_DMA(obj);

    for (unsigned i = 0; i < ARRAY_SIZE(s->regs_info); i++) {
        register_reset(&s->regs_info[i]);
    }
    s->iter_done = 0;
    timer_del(s->device_timer);
    vcm_dma_update_irq(s);
}

/*
 * What a busy transfer has run so far travels, not when it started: the
 * destination's virtual clock need not continue the source's.
 */
static int vcm_dma_pre_save(void *opaque)
{
    VCMDMAState *s = opaque;

    s->running_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - s->start_ns;
    return 0;
}

/*
 * A transfer that was pausing goes on here too. A version 1 source did
 * not send how long a busy transfer had run: it starts now.
 */
static int vcm_dma_post_load(void *opaque, int version_id)
{
    VCMDMAState *s = opaque;

    s->start_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) -
                  (version_id < 2 ? 0 : s->running_ns);
    if ((s->regs[R_STATUS] & R_STATUS_BUSY_MASK) &&
        !(s->regs[R_STATUS] & R_STATUS_STALLED_MASK)) {
        timer_mod(s->device_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    }
    return 0;
}

static const VMStateDescription vmstate_vcm_dma = {
    .name = TYPE_VCM_DMA,
    .version_id = 2,
    .minimum_version_id = 1,
    .pre_save = vcm_dma_pre_save,
    .post_load = vcm_dma_post_load,
    .fields = (const VMStateField[]) {
        /* the version 1 layout: 64-bit fields as their HI and LO words */
        VMSTATE_UINT32(regs[R_CTRL], VCMDMAState),
        VMSTATE_UINT32(regs[R_STATUS], VCMDMAState),
        VMSTATE_UINT32(regs[R_SRC_HI], VCMDMAState),
        VMSTATE_UINT32(regs[R_SRC_LO], VCMDMAState),
        VMSTATE_UINT32(regs[R_DST_HI], VCMDMAState),
        VMSTATE_UINT32(regs[R_DST_LO], VCMDMAState),
        VMSTATE_UINT32(regs[R_LEN], VCMDMAState),
        VMSTATE_UINT32(regs[R_PATTERN], VCMDMAState),
        VMSTATE_UINT32(regs[R_DONE_BYTES], VCMDMAState),
        VMSTATE_UNUSED(4),
        VMSTATE_UINT32(regs[R_FAULT_ADDR], VCMDMAState),
        VMSTATE_UINT32(regs[R_CHUNK], VCMDMAState),
        VMSTATE_UINT32(regs[R_ITER], VCMDMAState),
        VMSTATE_UINT32(regs[R_ELAPSED_NS_HI], VCMDMAState),
        VMSTATE_UINT32(regs[R_ELAPSED_NS_LO], VCMDMAState),
        VMSTATE_UINT32(iter_done, VCMDMAState),
        VMSTATE_INT64_V(running_ns, VCMDMAState, 2),
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
}

static const TypeInfo vcm_dma_info = {
    .name = TYPE_VCM_DMA,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(VCMDMAState),
    .class_init = vcm_dma_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_SMMU_VCM_STALLABLE },
        { }
    },
};

static void vcm_dma_register_types(void)
{
    type_register_static(&vcm_dma_info);
}

type_init(vcm_dma_register_types)
