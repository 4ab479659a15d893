/*
 * nip.h - the civil servant identity number (Nomor Induk Pegawai).
 *
 * 18 digits: YYYYMMDD birth date, YYYYMM start of service (TMT CPNS),
 * one digit sex (1 male, 2 female), a 3-digit sequence. Parsing checks that
 * the birth date is a real date, that service started in a plausible month
 * (at or after the 18th birthday, not after `today`), and the sex digit.
 * Age bands follow the terms supervisors report in (<=30, 31-40, 41-50, >=51).
 */
#ifndef NT_REG_NIP_H
#define NT_REG_NIP_H

#include "date.h"
#include "diag.h"

#define NT_NIP_LEN 18

struct nt_nip {
    char digits[NT_NIP_LEN + 1]; /* canonical: 18 digits, no separators */
    struct nt_date birth;
    int start_y, start_m; /* start of service */
    int sex;              /* 1 male, 2 female */
    int seq;
};

/*
 * Parse `s` (digits, optionally grouped with spaces as printed on decrees:
 * "19850312 201001 1 003"). `today` bounds the dates. On error returns
 * NT_EINPUT with the reason in `d` (field and location left to the caller).
 */
enum nt_err nt_reg_nip_parse(const char *s, struct nt_date today, struct nt_nip *out,
                             struct nt_diag *d);

enum nt_age_band {
    NT_AGE_UNKNOWN = 0,
    NT_AGE_UPTO_30,
    NT_AGE_31_40,
    NT_AGE_41_50,
    NT_AGE_51_UP,
};
#define NT_AGE_BAND_COUNT 5

/* Age band of someone born on `birth` at date `at`; UNKNOWN if invalid. */
enum nt_age_band nt_reg_age_band(struct nt_date birth, struct nt_date at);

/* "<=30", "31-40", "41-50", ">=51", "tidak diketahui". */
const char *nt_reg_age_band_label(enum nt_age_band b);

/* 'L' (laki-laki) or 'P' (perempuan) for a NIP sex digit; '?' otherwise. */
char nt_reg_sex_code(int sex_digit);

#endif
