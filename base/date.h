/*
 * date.h - civil dates (proleptic Gregorian) and UTC timestamps.
 *
 * Library code never reads the clock itself: "now" is passed in by the
 * program (which honours NETRA_NOW for reproducible runs and tests).
 */
#ifndef NT_DATE_H
#define NT_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct nt_date {
    int y, m, d;
};

bool nt_date_is_leap(int y);
int nt_date_days_in_month(int y, int m);
bool nt_date_valid(struct nt_date dt);
/* <0, 0, >0 like strcmp. */
int nt_date_cmp(struct nt_date a, struct nt_date b);
/* Whole years from `birth` to `at` (negative if `at` is earlier). */
int nt_date_age(struct nt_date birth, struct nt_date at);
/* Days from 1970-01-01 to `dt` (negative before). */
long long nt_date_days(struct nt_date dt);
/* The UTC date of `t`. */
struct nt_date nt_date_from_time(time_t t);

/* Parse "YYYY-MM-DD" exactly; false if malformed or not a real date. */
bool nt_date_parse(const char *s, struct nt_date *out);

/* The day after `day` ("YYYY-MM-DD") as "YYYY-MM-DD" into out (at least 11
 * bytes): the exclusive end of a date range that ends on `day`. False
 * when `day` is not a real date. */
bool nt_date_next_day(const char *day, char *out, size_t n);
/* `day` moved by `days` (either way), as nt_date_next_day writes it. */
bool nt_date_add_days(const char *day, long days, char *out, size_t n);

/* Format `t` as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void nt_time_iso(time_t t, char *out, size_t n);

/*
 * Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC) into seconds since the
 * epoch. False when malformed.
 */
bool nt_time_parse(const char *s, time_t *out);

/* Seconds on the monotonic clock (intervals, rate limits, progress): never
 * steps back when the wall clock is set. */
double nt_mono(void);

#endif
