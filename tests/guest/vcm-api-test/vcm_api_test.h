/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * What vcm_api_test (the module) and tests/guest/userspace/vcm-user.c
 * agree on: where the module leaves the buffer of the graph test and the
 * bytes it holds.
 */
#ifndef VCM_API_TEST_H
#define VCM_API_TEST_H

/* The graph test's physmem, reserved first on the VCM of device A */
#define VAT_GRAPH_DEV		"c100000.dma"
#define VAT_GRAPH_ADDR		0x10000000u
#define VAT_GRAPH_SIZE		(0x100000u + 0x10000u + 0x1000u)

/* Byte @off of the graph buffer: each half holds the same pattern */
static inline unsigned char vat_pattern(unsigned int off)
{
	unsigned int x = (off % (VAT_GRAPH_SIZE / 2)) * 0x9e3779b1u;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return (unsigned char)(x ^ x >> 13);
}

#endif
