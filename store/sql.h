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
 * '31-40', '41-50', '>=51', NULL when either is unknown; AGE the age in
 * whole years. */
/* clang-format off */
#define NT_SQL_BANDS(P, B, AGE)                                                                    \
    "(CASE WHEN " P " IS NULL OR " B " IS NULL THEN NULL "                                         \
    "WHEN " AGE " <= 30 THEN '<=30' "                                                              \
    "WHEN " AGE " <= 40 THEN '31-40' "                                                             \
    "WHEN " AGE " <= 50 THEN '41-50' ELSE '>=51' END)"
/* clang-format on */
#define NT_SQL_AGE_BAND(P, B) NT_SQL_BANDS(P, B, NT_SQL_AGE(P, B))

/* The same in words both engines read (PostgreSQL has no strftime): for
 * the ISO dates Netra stores, equal to NT_SQL_AGE_BAND. The schema's
 * triggers keep SQLite's (released migrations are not edited). */
#define NT_SQL_AGE_PORTABLE(P, B)                                                                  \
    "(CAST(substr(" P ", 1, 4) AS INTEGER) - CAST(substr(" B ", 1, 4) AS INTEGER) - "              \
    "CASE WHEN substr(" P ", 6, 5) < substr(" B ", 6, 5) THEN 1 ELSE 0 END)"
#define NT_SQL_AGE_BAND_PORTABLE(P, B) NT_SQL_BANDS(P, B, NT_SQL_AGE_PORTABLE(P, B))

/* Julian day of an ISO time, as SQLite's julianday(X), in PostgreSQL's
 * words (X read as text first: a parameter keeps its text type). */
#define NT_SQL_JULIAN_PG(X)                                                                        \
    "(EXTRACT(EPOCH FROM CAST(CAST(" X " AS TEXT) AS timestamptz)) / 86400.0 + 2440587.5)"

/* The employee's report keys an item keeps (work unit, position type,
 * sex, province) from employees row E. */
#define NT_SQL_EMP_KEYS "work_unit, position_type, sex, region"
#define NT_SQL_EMP_VALUES(E)                                                                       \
    E ".work_unit, " E ".position_type, " E ".sex, substr(" E ".region_code, 1, 2)"

#endif
