/*
 * The host's view of the QEMU under test (see vcm-proc.h)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "vcm-proc.h"

uint64_t vcm_proc_status_kib(QTestState *qts, const char *name)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status",
                                            (int)qtest_pid(qts));
    g_autofree char *key = g_strdup_printf("\n%s:", name);
    g_autofree char *text = NULL;
    const char *line;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    line = strstr(text, key);
    g_assert_nonnull(line);
    return g_ascii_strtoull(line + strlen(key), NULL, 10);
}
