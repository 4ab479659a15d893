/*
 * config.c - the review settings kept in the database (so that the CLI and
 * the web server apply the same rules): four-eyes, pseudonymous review,
 * claim length and the election calendar; pseudonyms; periods.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "internal.h"

/* Pemilu 2024 and Pilkada serentak 2024 (KPU calendars). */
static const char default_elections[] =
    "[{\"id\":\"pemilu-2024\",\"name\":\"Pemilu 2024\",\"campaign_start\":\"2023-11-28\","
    "\"campaign_end\":\"2024-02-10\",\"election_day\":\"2024-02-14\"},"
    "{\"id\":\"pilkada-2024\",\"name\":\"Pilkada Serentak 2024\",\"campaign_start\":\"2024-09-25\","
    "\"campaign_end\":\"2024-11-23\",\"election_day\":\"2024-11-27\"}]";

static enum nt_err get(struct nt_store *s, const char *key, char **out, struct nt_diag *d)
{
    struct nt_db_stmt *st = NULL;
    *out = NULL;
    enum nt_err err =
        nt_db_prepare(nt_store_dbh(s), "SELECT value FROM settings WHERE key = ?1", &st, d);
    if (err)
        return err;
    nt_db_bind_text(st, 1, key);
    const char *v = nt_db_next(st, &err, d) ? nt_db_text(st, 0) : NULL;
    if (v && !(*out = strdup(v)))
        err = nt_diag_set(d, NT_ENOMEM, "memori tidak cukup");
    nt_db_finalize(st);
    return err;
}

static bool yes(const char *v)
{
    return v && (strcmp(v, "yes") == 0 || strcmp(v, "ya") == 0 || strcmp(v, "1") == 0 ||
                 strcmp(v, "true") == 0 || strcmp(v, "on") == 0);
}

static bool boolean(const char *v)
{
    return yes(v) || strcmp(v, "no") == 0 || strcmp(v, "tidak") == 0 || strcmp(v, "0") == 0 ||
           strcmp(v, "false") == 0 || strcmp(v, "off") == 0;
}

/* A calendar: an array of objects with an id, a name and three ordered dates. */
static json_t *elections_parse(const char *v, char *why, size_t n)
{
    json_error_t je;
    json_t *a = json_loads(v, 0, &je);
    if (!json_is_array(a) || json_array_size(a) == 0) {
        snprintf(why, n, "harus larik JSON berisi pemilihan (baris %d: %s)", je.line,
                 a ? "bukan larik yang berisi" : je.text);
        json_decref(a);
        return NULL;
    }
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        static const char *const f[] = { "id", "name", "campaign_start", "campaign_end",
                                         "election_day" };
        struct nt_date dt[3];
        for (int k = 0; k < 5; k++) {
            const char *x = json_string_value(json_object_get(e, f[k]));
            if (!x || !*x || (k >= 2 && !nt_date_parse(x, &dt[k - 2]))) {
                snprintf(why, n, "pemilihan ke-%zu: %s %s", i + 1, f[k],
                         x ? "bukan tanggal YYYY-MM-DD" : "tidak ada");
                json_decref(a);
                return NULL;
            }
        }
        if (nt_date_cmp(dt[0], dt[1]) > 0 || nt_date_cmp(dt[1], dt[2]) > 0) {
            snprintf(why, n,
                     "pemilihan ke-%zu: urutan tanggal harus kampanye mulai <= selesai "
                     "<= hari pemungutan",
                     i + 1);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The days each SOP step may take: the agency's own (sop_days), else these
 * (a report verified within a week, an examination within two, ...). */
static const char default_sop[] =
    "laporan=3,verifikasi=7,pemeriksaan=14,bap=7,pertimbangan=14,keputusan=14,dilaporkan=7";

/* "state=days,..." into days[] (every state named must be a step, days
 * 0..365); false with the reason. */
static bool sop_parse(const char *v, int days[8], char *why, size_t n)
{
    int d[8] = { 0 };
    char buf[256];
    if (strlen(v) >= sizeof(buf)) {
        snprintf(why, n, "terlalu panjang");
        return false;
    }
    snprintf(buf, sizeof(buf), "%s", v);
    for (char *p = buf, *tok; (tok = strsep(&p, ",")) != NULL;) {
        char *eq = strchr(tok, '=');
        if (!*tok)
            continue;
        if (!eq) {
            snprintf(why, n, "\"%.20s\" bukan langkah=hari", tok);
            return false;
        }
        *eq = '\0';
        size_t k = 0;
        while (k < nt_case_nstates && strcmp(nt_case_states[k], tok) != 0)
            k++;
        char *end;
        long nd = strtol(eq + 1, &end, 10);
        if (k == nt_case_nstates || *end || end == eq + 1 || nd < 0 || nd > 365) {
            snprintf(why, n, "\"%.20s=%.8s\": langkah SOP dan 0..365 hari", tok, eq + 1);
            return false;
        }
        d[k] = (int)nd;
    }
    memcpy(days, d, sizeof(d));
    return true;
}

enum nt_err nt_review_config_load(struct nt_store *s, struct nt_review_config *c, struct nt_diag *d)
{
    char *v = NULL, why[200];
    memset(c, 0, sizeof(*c));
    c->claim_minutes = 30;
    enum nt_err err = get(s, "review.four_eyes", &v, d);
    c->four_eyes = yes(v);
    free(v);
    if (!err)
        err = get(s, "review.pseudonymous", &v, d);
    if (!err) {
        c->pseudonymous = yes(v);
        free(v);
        err = get(s, "review.claim_minutes", &v, d);
    }
    if (!err) {
        long m = v ? strtol(v, NULL, 10) : 0;
        if (m > 0 && m <= 1440)
            c->claim_minutes = (int)m;
        free(v);
        err = get(s, "review.elections", &v, d);
    }
    if (!err) {
        c->elections = elections_parse(v ? v : default_elections, why, sizeof(why));
        if (!c->elections)
            c->elections = elections_parse(default_elections, why, sizeof(why));
        free(v);
        err = get(s, "review.sop_days", &v, d);
    }
    if (!err) {
        if (!v || !sop_parse(v, c->sop_days, why, sizeof(why)))
            sop_parse(default_sop, c->sop_days, why, sizeof(why));
        free(v);
    }
    return err;
}

void nt_review_config_release(struct nt_review_config *c)
{
    json_decref(c->elections);
    c->elections = NULL;
}

enum nt_err nt_review_config_set(struct nt_store *s, const struct nt_user *actor, const char *key,
                                 const char *value, time_t now, struct nt_diag *d)
{
    char full[64], at[32], why[200];
    enum nt_err err = nt_user_require(actor, NT_ROLE_ADMIN, "mengubah pengaturan", d);
    if (err)
        return err;
    if (strcmp(key, "four_eyes") == 0 || strcmp(key, "pseudonymous") == 0) {
        if (!boolean(value))
            return nt_diag_set(d, NT_EINPUT, "%s: harus yes atau no", key);
        value = yes(value) ? "yes" : "no";
    } else if (strcmp(key, "claim_minutes") == 0) {
        char *end;
        long m = strtol(value, &end, 10);
        if (*end || m < 1 || m > 1440)
            return nt_diag_set(d, NT_EINPUT, "claim_minutes: harus bilangan 1..1440");
    } else if (strcmp(key, "elections") == 0) {
        json_t *e = elections_parse(value, why, sizeof(why));
        if (!e)
            return nt_diag_set(d, NT_EINPUT, "elections: %s", why);
        json_decref(e);
    } else if (strcmp(key, "sop_days") == 0) {
        int days[8];
        if (!sop_parse(value, days, why, sizeof(why)))
            return nt_diag_set(d, NT_EINPUT, "sop_days: %s", why);
    } else {
        return nt_diag_set(d, NT_EINPUT,
                           "kunci \"%.40s\" tidak dikenal (four_eyes, pseudonymous, "
                           "claim_minutes, elections, sop_days)",
                           key);
    }
    snprintf(full, sizeof(full), "review.%s", key);
    nt_time_iso(now, at, sizeof(at));
    char *old = NULL;
    err = nt_store_begin(s, d);
    if (!err)
        err = get(s, full, &old, d);
    if (!err)
        err = nt_store_setting_set(s, full, value, at, d);
    /* The pseudonym key exists from the moment pseudonyms are on, so that
     * read-only commands (the queue) can show them. */
    char pseudo[32];
    if (!err && strcmp(key, "pseudonymous") == 0 && yes(value))
        err = nt_rv_pseudonym(s, 0, pseudo, d);
    if (!err)
        err = nt_audit_append(s, actor->name, "config.set", "config", key,
                              old ? json_pack("{s:s}", "value", old) : NULL,
                              json_pack("{s:s}", "value", value), now, d);
    free(old);
    return nt_rv_finish(s, err, d);
}

void nt_review_period(const struct nt_review_config *c, const char *date, char *election, size_t en,
                      char *period, size_t pn)
{
    election[0] = period[0] = '\0';
    if (!c->elections || !date || strlen(date) < 10)
        return;
    char day[11];
    memcpy(day, date, 10);
    day[10] = '\0';
    size_t i, n = json_array_size(c->elections);
    json_t *e, *pick = n ? json_array_get(c->elections, n - 1) : NULL;
    /* The first election whose polling day is at most 90 days before the
     * date: posts after the last election belong to it. */
    json_array_foreach(c->elections, i, e)
    {
        const char *dd = json_string_value(json_object_get(e, "election_day"));
        struct nt_date x, p;
        if (!nt_date_parse(dd, &x) || !nt_date_parse(day, &p))
            continue;
        if (nt_date_days(p) <= nt_date_days(x) + 90) {
            pick = e;
            break;
        }
    }
    if (!pick)
        return;
    snprintf(election, en, "%s", json_string_value(json_object_get(pick, "id")));
    const char *cs = json_string_value(json_object_get(pick, "campaign_start"));
    const char *ce = json_string_value(json_object_get(pick, "campaign_end"));
    snprintf(period, pn, "%s",
             strcmp(day, cs) < 0    ? "sebelum"
             : strcmp(day, ce) <= 0 ? "kampanye"
                                    : "sesudah");
}

enum nt_err nt_rv_pseudonym(struct nt_store *s, int64_t employee_id, char out[32],
                            struct nt_diag *d)
{
    char key[crypto_auth_hmacsha256_KEYBYTES * 2 + 1] = "";
    enum nt_err err = nt_store_setting_get(s, "review.pseudonym_key", key, sizeof(key), d);
    if (err == NT_ENOTFOUND || strlen(key) != crypto_auth_hmacsha256_KEYBYTES * 2) {
        unsigned char k[crypto_auth_hmacsha256_KEYBYTES];
        if (sodium_init() < 0)
            return nt_diag_set(d, NT_EINTERNAL, "libsodium tidak dapat dimulai");
        randombytes_buf(k, sizeof(k));
        sodium_bin2hex(key, sizeof(key), k, sizeof(k));
        /* The first writer's key wins. */
        struct nt_db_stmt *st = NULL;
        char now[32];
        nt_time_iso(time(NULL), now, sizeof(now));
        err = nt_db_prepare(nt_store_dbh(s),
                            "INSERT INTO settings(key, value, updated_at) "
                            "VALUES ('review.pseudonym_key', ?1, ?2) ON CONFLICT DO NOTHING",
                            &st, d);
        if (!err) {
            nt_db_bind_text(st, 1, key);
            nt_db_bind_text(st, 2, now);
            err = nt_db_run(st, d);
        }
        nt_db_finalize(st);
        if (!err)
            err = nt_store_setting_get(s, "review.pseudonym_key", key, sizeof(key), d);
    }
    if (err)
        return err;
    unsigned char k[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    size_t kl = 0;
    sodium_hex2bin(k, sizeof(k), key, strlen(key), NULL, &kl, NULL);
    char msg[32];
    snprintf(msg, sizeof(msg), "%lld", (long long)employee_id);
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), k);
    snprintf(out, 32, "Pegawai-%02X%02X%02X", mac[0], mac[1], mac[2]);
    return NT_OK;
}
