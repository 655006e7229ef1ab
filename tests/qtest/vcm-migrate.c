/*
 * Migration helper shared by the overlay's qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "vcm-migrate.h"

void vcm_migrate_wait(QTestState *qts)
{
    const char *status;
    QDict *rsp;
    bool done;

    do {
        g_usleep(10000);
        rsp = qtest_qmp(qts, "{'execute': 'query-migrate'}");
        status = qdict_get_try_str(qdict_get_qdict(rsp, "return"), "status");
        g_assert_cmpstr(status, !=, "failed");
        done = !g_strcmp0(status, "completed");
        qobject_unref(rsp);
    } while (!done);
}

QTestState *vcm_migrate(QTestState *src, const char *args)
{
    g_autofree char *tmp = g_dir_make_tmp("vcm-mig-XXXXXX", NULL);
    g_autofree char *sock = g_strdup_printf("%s/mig.sock", tmp);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf("%s -incoming %s", args, uri);

    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    vcm_migrate_wait(dst);
    qtest_quit(src);
    unlink(sock);
    rmdir(tmp);
    return dst;
}

void vcm_save_xz(QTestState *src, const char *path)
{
    g_autofree char *quoted = g_shell_quote(path);
    g_autofree char *uri = g_strdup_printf("exec:xz -9 > %s", quoted);

    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    vcm_migrate_wait(src);
}

QTestState *vcm_load_xz(const char *args, const char *path)
{
    g_autofree char *quoted = g_shell_quote(path);
    QTestState *dst;

    /* without it the destination would wait for its stream forever */
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_error("no migration stream at '%s' (meson test sets "
                "VCM_QTEST_DATA to tests/qtest/data)", path);
    }
    dst = qtest_initf("%s -incoming 'exec:xz -dc %s'", args, quoted);

    vcm_migrate_wait(dst);
    return dst;
}
