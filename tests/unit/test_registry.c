/*
 * test_registry.c - unit tests of the registry: NIP, region codes, account
 * names, and the import contract (atomic rejection, skip-invalid, updates
 * with history, deactivation, reactivation, dry runs, partial files), the
 * imports and queries on both engines (SQLite, and PostgreSQL when ctest
 * has started the tests' server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "migrate.h"
#include "pg_target.h"
#include "registry.h"
#include "store.h"

static const struct nt_date today = { 2026, 11, 23 };

static void test_nip_valid(void **state)
{
    struct nt_nip n;
    struct nt_diag d;
    (void)state;
    nt_diag_clear(&d);
    assert_int_equal(nt_reg_nip_parse("198503122010011003", today, &n, &d), NT_OK);
    assert_string_equal(n.digits, "198503122010011003");
    assert_int_equal(n.birth.y, 1985);
    assert_int_equal(n.birth.m, 3);
    assert_int_equal(n.birth.d, 12);
    assert_int_equal(n.start_y, 2010);
    assert_int_equal(n.start_m, 1);
    assert_int_equal(n.sex, 1);
    assert_int_equal(n.seq, 3);
    /* As printed on decrees, grouped with spaces. */
    assert_int_equal(nt_reg_nip_parse("19840229 200203 2 015", today, &n, &d), NT_OK);
    assert_string_equal(n.digits, "198402292002032015");
    assert_int_equal(n.sex, 2);
    /* Service starting in the month of the 18th birthday is the earliest. */
    assert_int_equal(nt_reg_nip_parse("200005152018051001", today, &n, &d), NT_OK);
}

static void expect_bad_nip(const char *nip, const char *fragment)
{
    struct nt_nip n;
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_reg_nip_parse(nip, today, &n, &d), NT_EINPUT);
    if (!strstr(d.msg, fragment))
        fail_msg("NIP \"%s\": message \"%s\" lacks \"%s\"", nip, d.msg, fragment);
}

static void test_nip_invalid(void **state)
{
    (void)state;
    expect_bad_nip("19850312201001100", "18 angka");
    expect_bad_nip("1985031220100110031", "18 angka");
    expect_bad_nip("19850312201001100A", "angka");
    expect_bad_nip("", "18 angka");
    expect_bad_nip("198502302010011003", "tanggal lahir"); /* 30 February */
    expect_bad_nip("198302292010011003", "tanggal lahir"); /* 1983 not leap */
    expect_bad_nip("198513012010011003", "tanggal lahir"); /* month 13 */
    expect_bad_nip("203001012050011003", "masa depan");    /* born later */
    expect_bad_nip("198503122010131003", "bulan TMT");     /* month 13 */
    expect_bad_nip("198503122010001003", "bulan TMT");     /* month 0 */
    expect_bad_nip("198503122003021003", "18 tahun");      /* started at 17 */
    expect_bad_nip("198503122030011003", "TMT dalam NIP di masa depan");
    expect_bad_nip("198503122010013003", "jenis kelamin"); /* sex 3 */
    expect_bad_nip("198503122010010003", "jenis kelamin"); /* sex 0 */
}

static void test_age_bands(void **state)
{
    struct nt_date b = { 1990, 6, 15 };
    (void)state;
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 2021, 6, 14 }), NT_AGE_UPTO_30);
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 2021, 6, 15 }), NT_AGE_31_40);
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 2031, 6, 14 }), NT_AGE_31_40);
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 2031, 6, 15 }), NT_AGE_41_50);
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 2041, 6, 15 }), NT_AGE_51_UP);
    assert_int_equal(nt_reg_age_band(b, (struct nt_date){ 1980, 1, 1 }), NT_AGE_UNKNOWN);
    assert_int_equal(nt_reg_age_band((struct nt_date){ 0, 0, 0 }, today), NT_AGE_UNKNOWN);
    assert_string_equal(nt_reg_age_band_label(NT_AGE_UPTO_30), "<=30");
    assert_string_equal(nt_reg_age_band_label(NT_AGE_51_UP), ">=51");
    assert_string_equal(nt_reg_age_band_label(NT_AGE_UNKNOWN), "tidak diketahui");
    assert_int_equal(nt_reg_sex_code(1), 'L');
    assert_int_equal(nt_reg_sex_code(2), 'P');
}

static void expect_region(const char *in, const char *out)
{
    char r[NT_REGION_MAX];
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_region_parse(in, r, &d) != NT_OK)
        fail_msg("region \"%s\" refused: %s", in, d.msg);
    assert_string_equal(r, out);
}

static void test_regions(void **state)
{
    char r[NT_REGION_MAX];
    (void)state;
    expect_region("76", "76");
    expect_region("7604", "76.04");
    expect_region("76.04", "76.04");
    expect_region("760401", "76.04.01");
    expect_region("76.04.01.2001", "76.04.01.2001");
    expect_region("3374", "33.74");
    const char *bad[] = { "77",  "7",     "76.4",    "76.00",          "00", "76.04.", ".76",
                          "abc", "76-04", "7604012", "76.04.01.20011", "" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (nt_region_parse(bad[i], r, NULL) != NT_EINPUT)
            fail_msg("region \"%s\" accepted as \"%s\"", bad[i], r);
    }
    assert_string_equal(nt_region_province_name("76.04"), "Sulawesi Barat");
    assert_string_equal(nt_region_province_name("96"), "Papua Barat Daya");
    assert_null(nt_region_province_name("77"));
    assert_true(nt_region_within("76.04", "76"));
    assert_true(nt_region_within("76", "76"));
    assert_false(nt_region_within("76", "76.04"));
    assert_false(nt_region_within("76.041", "76.04"));
}

static void expect_account(const char *platform, const char *in, const char *out)
{
    char c[2048];
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_reg_account_canonical(platform, in, c, sizeof(c), &d) != NT_OK)
        fail_msg("%s account \"%s\" refused: %s", platform, in, d.msg);
    assert_string_equal(c, out);
}

static void expect_bad_account(const char *platform, const char *in)
{
    char c[2048];
    if (nt_reg_account_canonical(platform, in, c, sizeof(c), NULL) != NT_EINPUT)
        fail_msg("%s account \"%s\" accepted as \"%s\"", platform, in, c);
}

static void test_accounts_canonical(void **state)
{
    (void)state;
    expect_account("mastodon", "@Budi_S@Mastodon.Example", "budi_s@mastodon.example");
    expect_account("mastodon", "https://sosial.example/@budi", "budi@sosial.example");
    expect_bad_account("mastodon", "budi");
    expect_bad_account("mastodon", "budi@localhost");
    expect_bad_account("mastodon", "bu di@sosial.example");
    expect_bad_account("mastodon", "budi@-bad.example");
    expect_account("bluesky", "@Budi.BSKY.social", "budi.bsky.social");
    expect_account("bluesky", "https://bsky.app/profile/budi.example", "budi.example");
    expect_account("bluesky", "did:plc:abcdefghijklmnopqrstuvwx",
                   "did:plc:abcdefghijklmnopqrstuvwx");
    expect_bad_account("bluesky", "did:plc:short");
    expect_bad_account("bluesky", "budi");
    expect_account("feed", "HTTPS://Blog.Example/feed.xml", "https://blog.example/feed.xml");
    expect_account("feed", "https://blog.example/", "https://blog.example");
    expect_account("feed", "http://127.0.0.1:8080/feed", "http://127.0.0.1:8080/feed");
    expect_bad_account("feed", "ftp://blog.example/feed");
    expect_bad_account("feed", "https://user:pw@blog.example/feed");
    expect_bad_account("feed", "https://blog example/feed");
    expect_bad_account("feed", "https:///feed");
    expect_account("x", "@Budi_2024", "budi_2024");
    expect_account("x", "https://twitter.com/budi", "budi");
    expect_bad_account("x", "budi.s");
    expect_bad_account("x", "a_very_long_handle_x");
    expect_bad_account("instagram", "budi");
}

/* --- imports against a real database --- */

struct fx {
    char dir[64];
    char path[128];
    struct nt_store *s;
};

static int setup_db(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct nt_diag d;
    snprintf(f->dir, sizeof(f->dir), "/tmp/nt_test_reg_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/netra.db", f->dir);
    if (nt_store_open(f->path, NT_STORE_CREATE, &f->s, &d) != NT_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown_db(void **state)
{
    struct fx *f = *state;
    char p[160];
    nt_store_close(f->s);
    const char *suffix[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The same store on PostgreSQL: a database of its own on the tests'
 * server, made by `netra init`'s path (nt_store_init_postgres). Without a
 * server the tests of this half are skipped (ctest starts one). */
static char pg_base[512];

static int setup_pg(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct nt_diag d;
    bool created;
    int from;
    char name[64];
    snprintf(name, sizeof(name), "netra_registry_%ld", (long)getpid());
    if (!f || pg_fresh_db(pg_base, name, f->path, sizeof(f->path)) != 0)
        return -1;
    if (nt_store_init_postgres(f->path, &created, &from, &d) != NT_OK ||
        nt_store_open(f->path, NT_STORE_POSTGRES, &f->s, &d) != NT_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown_pg(void **state)
{
    struct fx *f = *state;
    nt_store_close(f->s);
    free(f);
    return 0;
}

/* Checks read through db.h: the same on both engines. */
static int64_t scalar(struct fx *f, const char *sql)
{
    struct nt_db_stmt *st = NULL;
    struct nt_diag d;
    enum nt_err err = NT_OK;
    int64_t v = -1;
    assert_int_equal(nt_db_prepare(nt_store_dbh(f->s), sql, &st, &d), NT_OK);
    if (nt_db_next(st, &err, &d))
        v = nt_db_int64(st, 0);
    assert_int_equal(err, NT_OK);
    nt_db_finalize(st);
    return v;
}

static const char *text(struct fx *f, const char *sql, char *out, size_t n)
{
    struct nt_db_stmt *st = NULL;
    struct nt_diag d;
    enum nt_err err = NT_OK;
    out[0] = '\0';
    assert_int_equal(nt_db_prepare(nt_store_dbh(f->s), sql, &st, &d), NT_OK);
    if (nt_db_next(st, &err, &d) && nt_db_text(st, 0))
        snprintf(out, n, "%s", nt_db_text(st, 0));
    assert_int_equal(err, NT_OK);
    nt_db_finalize(st);
    return out;
}

#define HEADER "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,status\n"
#define ROW_BUDI                                                                                   \
    "198503122010011003,Budi Santoso,Pemkab Mamuju,Dinas Pendidikan,Fungsional,Guru,76.04,PNS\n"
#define ROW_SARI "199001152015032001,\"Sari Dewi, S.Pd.\",Pemkab Mamuju,,pelaksana,Staf,7604,pppk\n"
#define ROW_EKO  "197012011995031002,Eko Prasetyo,Pemprov Sulbar,Sekretariat,JPT,Sekda,76,PNS\n"

static enum nt_err import_emp(struct fx *f, const char *csv, bool skip, bool partial, bool dry,
                              struct nt_reg_import_result *res, struct nt_diag_list *errs)
{
    struct nt_reg_import_opts o = { .skip_invalid = skip,
                                    .partial = partial,
                                    .dry_run = dry,
                                    .actor = "uji",
                                    .now = 1795392000 /* 2026-11-22 */ };
    struct nt_diag d;
    nt_diag_clear(&d);
    memset(res, 0, sizeof(*res));
    return nt_reg_import_employees(f->s, "pegawai.csv", csv, strlen(csv), &o, res, errs, &d);
}

static void test_import_and_update(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    char buf[128];
    nt_diag_list_init(&errs, 100);

    assert_int_equal(
        import_emp(f, HEADER ROW_BUDI ROW_SARI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(errs.count, 0);
    assert_int_equal(r.rows, 3);
    assert_int_equal(r.added, 3);
    assert_true(r.import_id > 0);
    /* Canonical values and what the NIP says. */
    assert_string_equal(text(f,
                             "SELECT position_type || '/' || status || '/' || region_code || "
                             "'/' || sex || '/' || birth_date FROM employees WHERE nip = "
                             "'199001152015032001'",
                             buf, sizeof(buf)),
                        "Pelaksana/PPPK/76.04/P/1990-01-15");
    assert_string_equal(
        text(f, "SELECT name FROM employees WHERE nip = '199001152015032001'", buf, sizeof(buf)),
        "Sari Dewi, S.Pd.");

    /* Same file again: nothing changes. */
    assert_int_equal(
        import_emp(f, HEADER ROW_BUDI ROW_SARI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(r.unchanged, 3);
    assert_int_equal(r.updated, 0);

    /* Budi moves; Eko leaves the file. */
    const char *moved = HEADER "198503122010011003,Budi Santoso,Pemkab Mamuju,Dinas Pendidikan,"
                               "Fungsional,Kepala Sekolah,76.04,PNS\n" ROW_SARI;
    assert_int_equal(import_emp(f, moved, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.unchanged, 1);
    assert_int_equal(r.deactivated, 1);
    assert_int_equal(scalar(f, "SELECT active FROM employees WHERE nip = '197012011995031002'"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees"), 3); /* never deleted */
    assert_string_equal(text(f,
                             "SELECT field || ':' || old_value || '>' || new_value FROM "
                             "employee_changes c JOIN employees e ON e.id = c.employee_id "
                             "WHERE e.nip = '198503122010011003'",
                             buf, sizeof(buf)),
                        "jabatan:Guru>Kepala Sekolah");

    /* Eko comes back. */
    assert_int_equal(
        import_emp(f, HEADER ROW_BUDI ROW_SARI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(r.reactivated, 1);
    assert_int_equal(scalar(f, "SELECT active FROM employees WHERE nip = '197012011995031002'"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM imports"), 4);
    nt_diag_list_release(&errs);
}

static void test_import_rejects_whole_file(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 100);

    assert_int_equal(import_emp(f, HEADER ROW_BUDI, false, false, false, &r, &errs), NT_OK);
    int64_t imports = scalar(f, "SELECT count(*) FROM imports");

    const char *bad =
        HEADER ROW_SARI "198502302010011003,Tanggal Salah,Pemkab,,JPT,Kepala,76,PNS\n" /* line 3 */
                        "197012011995031002,Eko,Pemkab,,Direktur,Kepala,76,PNS\n"      /* line 4 */
                        "199001152015032001,Sari Lagi,Pemkab,,JPT,Kepala,76,PNS\n" /* line 5: dup */
                        "196001011985031001,Eko,Pemkab,,JPT,Kepala,77,PNS\n"       /* line 6 */
                        "197012011995031002,Eko,Pemkab\n";                         /* line 7 */
    assert_int_equal(import_emp(f, bad, false, false, false, &r, &errs), NT_EINPUT);
    assert_int_equal(errs.count, 5);
    assert_int_equal(errs.items[0].line, 3);
    assert_string_equal(errs.items[0].field, "nip");
    assert_string_equal(errs.items[0].file, "pegawai.csv");
    assert_int_equal(errs.items[1].line, 4);
    assert_string_equal(errs.items[1].field, "jenis_jabatan");
    assert_int_equal(errs.items[2].line, 5);
    assert_non_null(strstr(errs.items[2].msg, "baris 2"));
    assert_int_equal(errs.items[3].line, 6);
    assert_string_equal(errs.items[3].field, "kode_wilayah");
    assert_int_equal(errs.items[4].line, 7);
    assert_non_null(strstr(errs.items[4].msg, "3 kolom"));

    /* Nothing written: Sari absent, Budi still active, no import row. */
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees WHERE active = 1"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM imports"), imports);
    nt_diag_list_release(&errs);
}

static void test_import_skip_invalid(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 100);

    assert_int_equal(import_emp(f, HEADER ROW_BUDI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    /* Eko's row is now broken (bad status); with --skip-invalid the rest is
     * imported and Eko is neither updated nor deactivated. */
    const char *csv = HEADER ROW_SARI
        "197012011995031002,Eko Prasetyo,Pemprov Sulbar,Sekretariat,JPT,Sekda,76,Honorer\n";
    assert_int_equal(import_emp(f, csv, true, false, false, &r, &errs), NT_OK);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].field, "status");
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.deactivated, 1); /* Budi */
    assert_int_equal(scalar(f, "SELECT active FROM employees WHERE nip = '197012011995031002'"), 1);
    assert_int_equal(scalar(f, "SELECT active FROM employees WHERE nip = '198503122010011003'"), 0);
    assert_int_equal(scalar(f, "SELECT rows_rejected FROM imports ORDER BY id DESC LIMIT 1"), 1);
    nt_diag_list_release(&errs);
}

static void test_import_dry_run_partial_empty(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 100);

    assert_int_equal(import_emp(f, HEADER ROW_BUDI ROW_EKO, false, false, true, &r, &errs), NT_OK);
    assert_int_equal(r.added, 2);
    assert_int_equal(r.import_id, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees"), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM imports"), 0);

    assert_int_equal(import_emp(f, HEADER ROW_BUDI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(import_emp(f, HEADER ROW_SARI, false, true, false, &r, &errs), NT_OK);
    assert_int_equal(r.deactivated, 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees WHERE active = 1"), 3);

    /* A file without rows would deactivate everyone: refused. */
    assert_int_equal(import_emp(f, HEADER, false, false, false, &r, &errs), NT_EINPUT);
    assert_int_equal(import_emp(f, "", false, false, false, &r, &errs), NT_EINPUT);
    assert_int_equal(scalar(f, "SELECT count(*) FROM employees WHERE active = 1"), 3);

    /* Missing column in the header. */
    errs.count = 0;
    assert_int_equal(import_emp(f, "nip,nama\n" ROW_BUDI, false, false, false, &r, &errs),
                     NT_EINPUT);
    assert_true(errs.count >= 1);
    assert_string_equal(errs.items[0].field, "instansi");
    nt_diag_list_release(&errs);
}

static void test_import_text_checks(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    nt_diag_list_init(&errs, 100);
    const char *csv = HEADER "198503122010011003,Budi \xC3\x28 Santoso,Pemkab,,JPT,Kepala,76,PNS\n"
                             "197012011995031002,\"Eko\nPrasetyo\",Pemkab,,JPT,Kepala,76,PNS\n"
                             "199001152015032001,   ,Pemkab,,JPT,Kepala,76,PNS\n";
    assert_int_equal(import_emp(f, csv, false, false, false, &r, &errs), NT_EINPUT);
    assert_int_equal(errs.count, 3);
    assert_string_equal(errs.items[0].field, "nama");
    assert_non_null(strstr(errs.items[0].msg, "UTF-8"));
    assert_string_equal(errs.items[1].field, "nama");
    assert_non_null(strstr(errs.items[1].msg, "kendali"));
    assert_int_equal(errs.items[2].line, 5);
    assert_non_null(strstr(errs.items[2].msg, "wajib"));
    nt_diag_list_release(&errs);
}

static enum nt_err import_acc(struct fx *f, const char *csv, bool skip,
                              struct nt_reg_import_result *res, struct nt_diag_list *errs)
{
    struct nt_reg_import_opts o = { .skip_invalid = skip, .actor = "uji", .now = 1795392000 };
    struct nt_diag d;
    nt_diag_clear(&d);
    memset(res, 0, sizeof(*res));
    return nt_reg_import_accounts(f->s, "akun.csv", csv, strlen(csv), &o, res, errs, &d);
}

static void test_import_accounts(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    char buf[128];
    nt_diag_list_init(&errs, 100);
    assert_int_equal(
        import_emp(f, HEADER ROW_BUDI ROW_SARI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    const char *acc = "nip,platform,account,endpoint\n"
                      "198503122010011003,mastodon,@Budi@Sosial.Example,\n"
                      "198503122010011003,twitter,@budi_s,\n"
                      "199001152015032001,bluesky,sari.bsky.example,\n"
                      "197012011995031002,feed,https://eko.blog.example/feed.xml,\n"
                      "197012011995031002,mastodon,eko@warga.example,https://api.warga.example/\n";
    assert_int_equal(import_acc(f, acc, false, &r, &errs), NT_OK);
    assert_int_equal(errs.count, 0);
    assert_int_equal(r.added, 5);
    assert_string_equal(text(f,
                             "SELECT account FROM accounts WHERE platform = 'mastodon' "
                             "ORDER BY id LIMIT 1",
                             buf, sizeof(buf)),
                        "budi@sosial.example");
    assert_string_equal(text(f,
                             "SELECT endpoint FROM accounts WHERE account = "
                             "'eko@warga.example'",
                             buf, sizeof(buf)),
                        "https://api.warga.example");

    /* Errors: unknown NIP, unknown platform, bad handle, duplicate, bad endpoint. */
    const char *bad = "nip,platform,account,endpoint\n"
                      "198503122010011003,mastodon,budi@sosial.example,\n"
                      "196001011985031001,x,orang_lain,\n"
                      "198503122010011003,instagram,budi,\n"
                      "198503122010011003,x,budi.s,\n"
                      "199001152015032001,mastodon,BUDI@sosial.example,\n"
                      "199001152015032001,bluesky,sari.bsky.example,ftp://x.example\n";
    assert_int_equal(import_acc(f, bad, false, &r, &errs), NT_EINPUT);
    assert_int_equal(errs.count, 5);
    assert_int_equal(errs.items[0].line, 3);
    assert_non_null(strstr(errs.items[0].msg, "tidak ada dalam daftar pegawai"));
    assert_string_equal(errs.items[1].field, "platform");
    assert_string_equal(errs.items[2].field, "account");
    assert_int_equal(errs.items[3].line, 6);
    assert_non_null(strstr(errs.items[3].msg, "baris 2"));
    assert_string_equal(errs.items[4].field, "endpoint");
    assert_int_equal(scalar(f, "SELECT count(*) FROM accounts WHERE active = 1"), 5);

    /* A smaller file deactivates the rest; accounts of inactive employees
     * are refused. */
    errs.count = 0;
    assert_int_equal(
        import_acc(f, "nip,platform,account\n198503122010011003,x,budi_s\n", false, &r, &errs),
        NT_OK);
    assert_int_equal(r.unchanged, 1);
    assert_int_equal(r.deactivated, 4);
    assert_int_equal(import_emp(f, HEADER ROW_BUDI, false, false, false, &r, &errs), NT_OK);
    assert_int_equal(
        import_acc(f, "nip,platform,account\n199001152015032001,x,sari\n", false, &r, &errs),
        NT_EINPUT);
    assert_non_null(strstr(errs.items[0].msg, "tidak aktif"));
    nt_diag_list_release(&errs);
}

struct collect {
    int n;
    char last[64];
};

static enum nt_err collect_emp(const struct nt_reg_employee *e, void *ctx)
{
    struct collect *c = ctx;
    c->n++;
    snprintf(c->last, sizeof(c->last), "%s", e->nip);
    return NT_OK;
}

static void test_queries(void **state)
{
    struct fx *f = *state;
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    struct nt_diag d;
    nt_diag_list_init(&errs, 100);
    assert_int_equal(
        import_emp(f, HEADER ROW_BUDI ROW_SARI ROW_EKO, false, false, false, &r, &errs), NT_OK);
    struct collect c = { 0 };
    struct nt_reg_filter flt = { .region = "76.04" };
    assert_int_equal(nt_reg_employees_each(f->s, &flt, collect_emp, &c, &d), NT_OK);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof(c));
    flt = (struct nt_reg_filter){ .region = "76" };
    assert_int_equal(nt_reg_employees_each(f->s, &flt, collect_emp, &c, &d), NT_OK);
    assert_int_equal(c.n, 3);
    memset(&c, 0, sizeof(c));
    flt = (struct nt_reg_filter){ .agency = "pemprov sulbar" };
    assert_int_equal(nt_reg_employees_each(f->s, &flt, collect_emp, &c, &d), NT_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.last, "197012011995031002");
    memset(&c, 0, sizeof(c));
    flt = (struct nt_reg_filter){ .position_type = "Pelaksana", .status = "PPPK" };
    assert_int_equal(nt_reg_employees_each(f->s, &flt, collect_emp, &c, &d), NT_OK);
    assert_int_equal(c.n, 1);
    nt_diag_list_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nip_valid),
        cmocka_unit_test(test_nip_invalid),
        cmocka_unit_test(test_age_bands),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_accounts_canonical),
        cmocka_unit_test_setup_teardown(test_import_and_update, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_import_rejects_whole_file, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_import_skip_invalid, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_import_dry_run_partial_empty, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_import_text_checks, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_import_accounts, setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_queries, setup_db, teardown_db),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* The imports and queries again on PostgreSQL. */
    int on = pg_target("test_registry", pg_base, sizeof(pg_base));
    if (on <= 0)
        return on < 0 ? 1 : failed;
    const struct CMUnitTest pg[] = {
        cmocka_unit_test_setup_teardown(test_import_and_update, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_import_rejects_whole_file, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_import_skip_invalid, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_import_dry_run_partial_empty, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_import_text_checks, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_import_accounts, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_queries, setup_pg, teardown_pg),
    };
    return failed + cmocka_run_group_tests_name("postgresql", pg, NULL, NULL);
}
