/*
 * Migration helper shared by the overlay's qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "vcm-migrate.h"

QTestState *vcm_migrate(QTestState *src, const char *args)
{
    g_autofree char *tmp = g_dir_make_tmp("vcm-mig-XXXXXX", NULL);
    g_autofree char *sock = g_strdup_printf("%s/mig.sock", tmp);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf("%s -incoming %s", args, uri);
    const char *status;
    QDict *rsp;

    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': %s}}", uri);
    do {
        g_usleep(10000);
        rsp = qtest_qmp(dst, "{'execute': 'query-migrate'}");
        status = qdict_get_try_str(qdict_get_qdict(rsp, "return"), "status");
        g_assert_cmpstr(status, !=, "failed");
        if (!g_strcmp0(status, "completed")) {
            qobject_unref(rsp);
            break;
        }
        qobject_unref(rsp);
    } while (true);
    qtest_quit(src);
    unlink(sock);
    rmdir(tmp);
    return dst;
}
