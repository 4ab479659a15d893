/*
 * date.c - calendar arithmetic without the C library's locale and time zone
 * state (timegm-free: days-from-civil after H. Hinnant).
 */
#include "date.h"

#include <stdio.h>
#include <string.h>

bool nt_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int nt_date_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && nt_date_is_leap(y) ? 29 : days[m - 1];
}

bool nt_date_valid(struct nt_date dt)
{
    return dt.y >= 1 && dt.y <= 9999 && dt.m >= 1 && dt.m <= 12 && dt.d >= 1 &&
           dt.d <= nt_date_days_in_month(dt.y, dt.m);
}

int nt_date_cmp(struct nt_date a, struct nt_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

int nt_date_age(struct nt_date birth, struct nt_date at)
{
    int age = at.y - birth.y;
    if (at.m < birth.m || (at.m == birth.m && at.d < birth.d))
        age--;
    return age;
}

static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long long nt_date_days(struct nt_date dt)
{
    return days_from_civil(dt.y, dt.m, dt.d);
}

bool nt_date_next_day(const char *day, char *out, size_t n)
{
    return nt_date_add_days(day, 1, out, n);
}

bool nt_date_add_days(const char *day, long days, char *out, size_t n)
{
    struct nt_date dt;
    if (!nt_date_parse(day, &dt))
        return false;
    struct nt_date next = nt_date_from_time((time_t)(nt_date_days(dt) + days) * 86400);
    snprintf(out, n, "%04d-%02d-%02d", next.y, next.m, next.d);
    return true;
}

struct nt_date nt_date_from_time(time_t t)
{
    long long z = (long long)(t >= 0 ? t / 86400 : (t - 86399) / 86400) + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp + (mp < 10 ? 3 : -9);
    struct nt_date r = { (int)(y + (m <= 2)), (int)m, (int)d };
    return r;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool nt_date_parse(const char *s, struct nt_date *out)
{
    struct nt_date dt;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!digits(s, 4, &dt.y) || !digits(s + 5, 2, &dt.m) || !digits(s + 8, 2, &dt.d))
        return false;
    if (!nt_date_valid(dt))
        return false;
    *out = dt;
    return true;
}

void nt_time_iso(time_t t, char *out, size_t n)
{
    struct nt_date dt = nt_date_from_time(t);
    long long secs = (long long)t % 86400;
    if (secs < 0)
        secs += 86400;
    snprintf(out, n, "%04d-%02d-%02dT%02lld:%02lld:%02lldZ", dt.y, dt.m, dt.d, secs / 3600,
             secs / 60 % 60, secs % 60);
}

bool nt_time_parse(const char *s, time_t *out)
{
    struct nt_date dt;
    int hh = 0, mm = 0, ss = 0;
    char day[11];
    size_t n = strlen(s);

    if (n != 10 && n != 20)
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (!nt_date_parse(day, &dt))
        return false;
    if (n == 20) {
        if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
            return false;
        if (!digits(s + 11, 2, &hh) || !digits(s + 14, 2, &mm) || !digits(s + 17, 2, &ss))
            return false;
        if (hh > 23 || mm > 59 || ss > 60)
            return false;
    }
    *out = (time_t)(days_from_civil(dt.y, dt.m, dt.d) * 86400 + hh * 3600 + mm * 60 + ss);
    return true;
}

double nt_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
