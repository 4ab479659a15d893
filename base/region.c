/*
 * region.c - region code parsing and the table of Indonesia's 38 provinces
 * (Kemendagri codes; public administrative facts).
 */
#include "region.h"

#include <string.h>

static const struct {
    const char *code;
    const char *name;
} provinces[] = {
    { "11", "Aceh" },
    { "12", "Sumatera Utara" },
    { "13", "Sumatera Barat" },
    { "14", "Riau" },
    { "15", "Jambi" },
    { "16", "Sumatera Selatan" },
    { "17", "Bengkulu" },
    { "18", "Lampung" },
    { "19", "Kepulauan Bangka Belitung" },
    { "21", "Kepulauan Riau" },
    { "31", "DKI Jakarta" },
    { "32", "Jawa Barat" },
    { "33", "Jawa Tengah" },
    { "34", "DI Yogyakarta" },
    { "35", "Jawa Timur" },
    { "36", "Banten" },
    { "51", "Bali" },
    { "52", "Nusa Tenggara Barat" },
    { "53", "Nusa Tenggara Timur" },
    { "61", "Kalimantan Barat" },
    { "62", "Kalimantan Tengah" },
    { "63", "Kalimantan Selatan" },
    { "64", "Kalimantan Timur" },
    { "65", "Kalimantan Utara" },
    { "71", "Sulawesi Utara" },
    { "72", "Sulawesi Tengah" },
    { "73", "Sulawesi Selatan" },
    { "74", "Sulawesi Tenggara" },
    { "75", "Gorontalo" },
    { "76", "Sulawesi Barat" },
    { "81", "Maluku" },
    { "82", "Maluku Utara" },
    { "91", "Papua" },
    { "92", "Papua Barat" },
    { "93", "Papua Selatan" },
    { "94", "Papua Tengah" },
    { "95", "Papua Pegunungan" },
    { "96", "Papua Barat Daya" },
};

const char *nt_region_province_name(const char *code)
{
    if (!code || strlen(code) < 2)
        return NULL;
    for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
        if (strncmp(provinces[i].code, code, 2) == 0 && (code[2] == '\0' || code[2] == '.'))
            return provinces[i].name;
    return NULL;
}

enum nt_err nt_region_parse(const char *s, char out[NT_REGION_MAX], struct nt_diag *d)
{
    /* Digit groups of the levels: province, regency, district, village. */
    static const size_t group_len[4] = { 2, 2, 2, 4 };
    char dg[12];
    size_t n = 0, groups = 0, glen = 0;
    bool dotted = strchr(s, '.') != NULL;

    for (const char *p = s;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == 10)
                goto bad;
            dg[n++] = *p;
            glen++;
        } else if ((*p == '.' || *p == '\0') && dotted) {
            if (groups == 4 || glen != group_len[groups])
                goto bad;
            groups++;
            glen = 0;
            if (*p == '\0')
                break;
        } else if (*p == '\0') {
            break;
        } else {
            goto bad;
        }
    }
    if (!dotted) {
        size_t total = 0;
        for (groups = 0; groups < 4 && total < n; groups++)
            total += group_len[groups];
        if (total != n || n == 0)
            goto bad;
    }
    {
        char buf[NT_REGION_MAX];
        size_t o = 0, at = 0;
        for (size_t g = 0; g < groups; g++) {
            if (g)
                buf[o++] = '.';
            bool zero = true;
            for (size_t k = 0; k < group_len[g]; k++) {
                zero = zero && dg[at] == '0';
                buf[o++] = dg[at++];
            }
            if (zero)
                goto bad;
        }
        buf[o] = '\0';
        if (!nt_region_province_name(buf))
            return nt_diag_set(d, NT_EINPUT, "kode provinsi \"%.2s\" tidak dikenal", buf);
        memcpy(out, buf, o + 1);
        return NT_OK;
    }
bad:
    return nt_diag_set(d, NT_EINPUT,
                       "kode wilayah \"%.20s\" tidak sah (contoh: 76 atau 76.04 atau 7604)", s);
}

bool nt_region_within(const char *code, const char *scope)
{
    size_t n = strlen(scope);
    return strncmp(code, scope, n) == 0 && (code[n] == '\0' || code[n] == '.');
}
