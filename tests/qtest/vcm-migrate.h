/*
 * Migration helper shared by the overlay's qtests: the device-level
 * pattern of tpm-tests.c (a second QEMU started with -incoming).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VCM_MIGRATE_H
#define VCM_MIGRATE_H

#include "libqtest.h"

/* Wait until the migration @qts sends or receives has completed. */
void vcm_migrate_wait(QTestState *qts);

/*
 * Start a destination QEMU with @args plus -incoming, migrate @src into
 * it, wait for completion, quit @src and return the destination.
 */
QTestState *vcm_migrate(QTestState *src, const char *args);

/* Save @src's state as a xz-compressed migration stream at @path. */
void vcm_save_xz(QTestState *src, const char *path);

/* Start a QEMU with @args that loads the stream vcm_save_xz() wrote. */
QTestState *vcm_load_xz(const char *args, const char *path);

#endif
