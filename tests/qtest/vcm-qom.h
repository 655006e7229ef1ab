/*
 * QOM property helpers shared by the overlay's qtests and benchmarks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VCM_QOM_H
#define VCM_QOM_H

#include "libqtest.h"
#include "qobject/qdict.h"

/*
 * Integer property @prop of the object at @path into @value; false when
 * the object has no such property (an older build, say).
 */
bool vcm_qom_try_u64(QTestState *qts, const char *path, const char *prop,
                     uint64_t *value);

/* Integer property @prop of the object at @path, which must have it */
uint64_t vcm_qom_u64(QTestState *qts, const char *path, const char *prop);

/*
 * The JSON document in string property @prop of @path, whose "format"
 * must be @format at version 1 (the info-json properties).
 */
QDict *vcm_qom_json(QTestState *qts, const char *path, const char *prop,
                    const char *format);

#endif
