/*
 * QOM property helpers shared by the overlay's qtests and benchmarks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qobject/qjson.h"
#include "vcm-qom.h"

static QDict *vcm_qom_get(QTestState *qts, const char *path, const char *prop)
{
    return qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                     "{'path': %s, 'property': %s}}", path, prop);
}

bool vcm_qom_try_u64(QTestState *qts, const char *path, const char *prop,
                     uint64_t *value)
{
    QDict *r = vcm_qom_get(qts, path, prop);
    bool found = qdict_haskey(r, "return");

    if (found) {
        *value = qdict_get_int(r, "return");
    }
    qobject_unref(r);
    return found;
}

uint64_t vcm_qom_u64(QTestState *qts, const char *path, const char *prop)
{
    uint64_t value = 0;

    g_assert_true(vcm_qom_try_u64(qts, path, prop, &value));
    return value;
}

QDict *vcm_qom_json(QTestState *qts, const char *path, const char *prop,
                    const char *format)
{
    QDict *r = vcm_qom_get(qts, path, prop);
    QDict *d = qobject_to(QDict, qobject_from_json(qdict_get_str(r, "return"),
                                                   &error_abort));

    qobject_unref(r);
    g_assert_cmpstr(qdict_get_str(d, "format"), ==, format);
    g_assert_cmpint(qdict_get_int(d, "version"), ==, 1);
    return d;
}
