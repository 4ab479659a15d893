/*
 * sql.h - SQL fragments the schema and the libraries share, so that a
 * value kept by a trigger and the same value written by a library are one
 * expression.
 */
#ifndef NT_STORE_SQL_H
#define NT_STORE_SQL_H

/* Whole years from date B to date P (ISO text). */
#define NT_SQL_AGE(P, B)                                                                           \
    "(CAST(strftime('%Y', " P ") AS INTEGER) - CAST(strftime('%Y', " B ") AS INTEGER) - "          \
    "(strftime('%m-%d', " P ") < strftime('%m-%d', " B ")))"

/* The age band of the reports for someone born on B, on P: '<=30',
 * '31-40', '41-50', '>=51', NULL when either is unknown. */
/* clang-format off */
#define NT_SQL_AGE_BAND(P, B)                                                                      \
    "(CASE WHEN " P " IS NULL OR " B " IS NULL THEN NULL "                                         \
    "WHEN " NT_SQL_AGE(P, B) " <= 30 THEN '<=30' "                                                 \
    "WHEN " NT_SQL_AGE(P, B) " <= 40 THEN '31-40' "                                                \
    "WHEN " NT_SQL_AGE(P, B) " <= 50 THEN '41-50' ELSE '>=51' END)"
/* clang-format on */

/* The employee's report keys an item keeps (work unit, position type,
 * sex, province) from employees row E. */
#define NT_SQL_EMP_KEYS "work_unit, position_type, sex, region"
#define NT_SQL_EMP_VALUES(E)                                                                       \
    E ".work_unit, " E ".position_type, " E ".sex, substr(" E ".region_code, 1, 2)"

#endif
