/*
 * Migration helper shared by the overlay's qtests: the device-level
 * pattern of tpm-tests.c (a second QEMU started with -incoming).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VCM_MIGRATE_H
#define VCM_MIGRATE_H

#include "libqtest.h"

/*
 * Start a destination QEMU with @args plus -incoming, migrate @src into
 * it, wait for completion, quit @src and return the destination.
 */
QTestState *vcm_migrate(QTestState *src, const char *args);

#endif
