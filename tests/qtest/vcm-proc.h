/*
 * The host's view of the QEMU under test, shared by the overlay's qtests
 * and benchmarks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VCM_PROC_H
#define VCM_PROC_H

#include "libqtest.h"

/*
 * Field @name of /proc/<pid>/status of the QEMU under test, in KiB:
 * "VmRSS" (resident memory now) or "VmHWM" (its peak), for example.
 */
uint64_t vcm_proc_status_kib(QTestState *qts, const char *name);

#endif
