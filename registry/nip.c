/*
 * nip.c - NIP parsing and the facts derived from it.
 */
#include "nip.h"

#include <string.h>

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum nt_err nt_reg_nip_parse(const char *s, struct nt_date today, struct nt_nip *out,
                             struct nt_diag *d)
{
    char dg[NT_NIP_LEN + 1];
    size_t n = 0;
    struct nt_nip nip;

    for (const char *p = s; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9')
            return nt_diag_set(d, NT_EINPUT, "NIP hanya boleh berisi angka (\"%.40s\")", s);
        if (n == NT_NIP_LEN)
            return nt_diag_set(d, NT_EINPUT, "NIP harus 18 angka, bukan lebih (\"%.40s\")", s);
        dg[n++] = *p;
    }
    dg[n] = '\0';
    if (n != NT_NIP_LEN)
        return nt_diag_set(d, NT_EINPUT, "NIP harus 18 angka, ditemukan %zu (\"%.40s\")", n, s);

    memcpy(nip.digits, dg, sizeof(nip.digits));
    nip.birth.y = num(dg, 4);
    nip.birth.m = num(dg + 4, 2);
    nip.birth.d = num(dg + 6, 2);
    nip.start_y = num(dg + 8, 4);
    nip.start_m = num(dg + 12, 2);
    nip.sex = dg[14] - '0';
    nip.seq = num(dg + 15, 3);

    if (!nt_date_valid(nip.birth) || nip.birth.y < 1900)
        return nt_diag_set(d, NT_EINPUT, "tanggal lahir dalam NIP tidak sah (%.8s)", dg);
    if (nt_date_cmp(nip.birth, today) > 0)
        return nt_diag_set(d, NT_EINPUT, "tanggal lahir dalam NIP di masa depan (%.8s)", dg);
    if (nip.start_m < 1 || nip.start_m > 12)
        return nt_diag_set(d, NT_EINPUT, "bulan TMT dalam NIP tidak sah (%.6s)", dg + 8);
    /* Service may start in the month of the 18th birthday at the earliest. */
    if (nip.start_y * 12 + nip.start_m < (nip.birth.y + 18) * 12 + nip.birth.m)
        return nt_diag_set(d, NT_EINPUT,
                           "TMT dalam NIP (%.6s) sebelum pegawai berusia 18 tahun (lahir %.8s)",
                           dg + 8, dg);
    if (nip.start_y * 12 + nip.start_m > today.y * 12 + today.m)
        return nt_diag_set(d, NT_EINPUT, "TMT dalam NIP di masa depan (%.6s)", dg + 8);
    if (nip.sex != 1 && nip.sex != 2)
        return nt_diag_set(d, NT_EINPUT, "digit jenis kelamin dalam NIP harus 1 atau 2, bukan %d",
                           nip.sex);
    *out = nip;
    return NT_OK;
}

enum nt_age_band nt_reg_age_band(struct nt_date birth, struct nt_date at)
{
    if (!nt_date_valid(birth) || !nt_date_valid(at) || nt_date_cmp(birth, at) > 0)
        return NT_AGE_UNKNOWN;
    int age = nt_date_age(birth, at);
    if (age <= 30)
        return NT_AGE_UPTO_30;
    if (age <= 40)
        return NT_AGE_31_40;
    if (age <= 50)
        return NT_AGE_41_50;
    return NT_AGE_51_UP;
}

const char *nt_reg_age_band_label(enum nt_age_band b)
{
    switch (b) {
    case NT_AGE_UPTO_30:
        return "<=30";
    case NT_AGE_31_40:
        return "31-40";
    case NT_AGE_41_50:
        return "41-50";
    case NT_AGE_51_UP:
        return ">=51";
    case NT_AGE_UNKNOWN:
        break;
    }
    return "tidak diketahui";
}

char nt_reg_sex_code(int sex_digit)
{
    return sex_digit == 1 ? 'L' : sex_digit == 2 ? 'P' : '?';
}
