/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vcm-dma registers (docs/specs/vcm-dma.rst 2), for the guest test
 * modules that drive the engine directly. build-guest.sh puts this
 * directory on every module's include path.
 */
#ifndef VCM_DMA_REGS_H
#define VCM_DMA_REGS_H

#include <linux/bits.h>

#define VDMA_ID		0x00
#define VDMA_CTRL	0x08
#define VDMA_STATUS	0x0c
#define VDMA_SRC_LO	0x10
#define VDMA_SRC_HI	0x14
#define VDMA_DST_LO	0x18
#define VDMA_DST_HI	0x1c
#define VDMA_LEN	0x20
#define VDMA_PATTERN	0x24
#define VDMA_FAULT_ADDR	0x2c
#define VDMA_CTRL_GO	BIT(0)
#define VDMA_CTRL_ABORT	BIT(1)
#define VDMA_CTRL_FILL	BIT(4)
#define VDMA_ST_DONE	BIT(1)
#define VDMA_ST_ERROR	BIT(2)
#define VDMA_ST_STALLED	BIT(3)
#define VDMA_ERR(st)	(((st) >> 8) & 0xf)

#endif
