/*
 * test_base.c - unit tests of the base module: errors, diagnostics,
 * bounded buffers, UTF-8, CSV, dates, hashing and the string map.
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

#include "buf.h"
#include "conf.h"
#include "csv.h"
#include "date.h"
#include "diag.h"
#include "hash.h"
#include "sniff.h"
#include "strmap.h"
#include "utf8.h"

static void test_error_table(void **state)
{
    (void)state;
    assert_int_equal(NT_OK, 0);
    assert_string_equal(nt_err_name(NT_EINPUT), "NT_EINPUT");
    assert_string_equal(nt_err_str(NT_OK), "berhasil");
    assert_string_equal(nt_err_str((enum nt_err)999), "kesalahan tidak dikenal");
    for (int e = NT_OK; e <= NT_ERATELIMIT; e++)
        assert_true(strlen(nt_err_str((enum nt_err)e)) > 3);
}

static void test_diag_format(void **state)
{
    struct nt_diag d;
    char out[256];
    (void)state;
    nt_diag_clear(&d);
    assert_int_equal(nt_diag_set(&d, NT_EINPUT, "tidak sah (%d)", 7), NT_EINPUT);
    assert_string_equal(nt_diag_format(&d, out, sizeof(out)), "tidak sah (7)");
    nt_diag_at(&d, "a.csv", 12, "nip");
    assert_string_equal(nt_diag_format(&d, out, sizeof(out)), "a.csv:12: nip: tidak sah (7)");
    nt_diag_at(&d, "a.csv", 0, NULL);
    assert_string_equal(nt_diag_format(&d, out, sizeof(out)), "a.csv: tidak sah (7)");
    /* Truncation always terminates. */
    nt_diag_at(&d, "a.csv", 12, "nip");
    nt_diag_format(&d, out, 8);
    assert_string_equal(out, "a.csv:1");
    /* NULL diagnostics are allowed everywhere. */
    assert_int_equal(nt_diag_set(NULL, NT_EIO, "x"), NT_EIO);
    nt_diag_at(NULL, "f", 1, "g");
}

static void test_diag_list_bound(void **state)
{
    struct nt_diag_list l;
    struct nt_diag d;
    (void)state;
    nt_diag_list_init(&l, 3);
    nt_diag_clear(&d);
    for (int i = 0; i < 5; i++) {
        nt_diag_set(&d, NT_EINPUT, "e%d", i);
        nt_diag_list_add(&l, &d);
    }
    assert_int_equal(l.count, 3);
    assert_int_equal(l.dropped, 2);
    assert_int_equal(nt_diag_list_total(&l), 5);
    assert_string_equal(l.items[2].msg, "e2");
    nt_diag_list_release(&l);
}

static void test_grow(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        assert_int_equal(nt_grow(&a, &cap, n, sizeof(*a), 16), NT_OK);
        assert_true(cap > n);
        a[n] = (int)n;
    }
    assert_int_equal(cap, 1024);
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(a[n], (int)n);
    /* Room already there: nothing moves. */
    int *before = a;
    assert_int_equal(nt_grow(&a, &cap, 5, sizeof(*a), 16), NT_OK);
    assert_ptr_equal(a, before);
    /* A size that would overflow is refused, the array kept. */
    assert_int_equal(nt_grow(&a, &cap, SIZE_MAX / 4, sizeof(*a), 16), NT_ENOMEM);
    assert_int_equal(cap, 1024);
    assert_int_equal(a[999], 999);
    free(a);
}

static void test_buf_bounds(void **state)
{
    struct nt_buf b;
    (void)state;
    nt_buf_init(&b, 10);
    assert_string_equal(nt_buf_str(&b), "");
    assert_int_equal(nt_buf_append_str(&b, "hello"), NT_OK);
    assert_int_equal(nt_buf_appendf(&b, "%d", 1234), NT_OK);
    assert_string_equal(nt_buf_str(&b), "hello1234");
    /* Past the maximum: refused, contents unchanged. */
    assert_int_equal(nt_buf_append_str(&b, "xy"), NT_ETOOBIG);
    assert_int_equal(nt_buf_appendf(&b, "%s", "xy"), NT_ETOOBIG);
    assert_string_equal(nt_buf_str(&b), "hello1234");
    assert_int_equal(nt_buf_append_str(&b, "!"), NT_OK);
    assert_int_equal(b.len, 10);
    size_t len;
    char *p = nt_buf_detach(&b, &len);
    assert_string_equal(p, "hello1234!");
    assert_int_equal(len, 10);
    assert_null(b.data);
    free(p);
    nt_buf_release(&b);
}

static void test_file_read(void **state)
{
    struct nt_buf b;
    struct nt_diag d;
    char path[] = "/tmp/nt_test_base_XXXXXX";
    (void)state;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    close(fd);

    nt_buf_init(&b, 100);
    nt_diag_clear(&d);
    assert_int_equal(nt_file_read(path, &b, &d), NT_OK);
    assert_string_equal(nt_buf_str(&b), "0123456789");
    nt_buf_release(&b);

    nt_buf_init(&b, 5);
    assert_int_equal(nt_file_read(path, &b, &d), NT_ETOOBIG);
    assert_string_equal(d.file, path);
    nt_buf_release(&b);
    unlink(path);

    nt_buf_init(&b, 5);
    assert_int_equal(nt_file_read("/nonexistent/x.csv", &b, &d), NT_ENOTFOUND);
    assert_string_equal(d.file, "/nonexistent/x.csv");
    nt_buf_release(&b);
}

static void test_utf8(void **state)
{
    size_t bad = 99;
    (void)state;
    assert_true(nt_utf8_valid("", 0, NULL));
    assert_true(nt_utf8_valid("Pegawai Dinas", 13, NULL));
    assert_true(nt_utf8_valid("caf\xC3\xA9 \xE2\x98\x9D\xF0\x9F\x8F\xBB", 13, NULL));
    assert_false(nt_utf8_valid("ab\xC0\x80", 4, &bad)); /* overlong NUL */
    assert_int_equal(bad, 2);
    assert_false(nt_utf8_valid("\xE0\x80\xAF", 3, NULL));     /* overlong '/' */
    assert_false(nt_utf8_valid("\xED\xA0\x80", 3, NULL));     /* surrogate */
    assert_false(nt_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
    assert_false(nt_utf8_valid("x\xE2\x98", 3, &bad));        /* truncated */
    assert_int_equal(bad, 1);
    assert_false(nt_utf8_valid("a\0b", 3, &bad)); /* NUL */
    assert_int_equal(bad, 1);
    assert_false(nt_utf8_valid("\xFF", 1, NULL));
    assert_int_equal(nt_utf8_width("caf\xC3\xA9", 5), 4);
}

/* Read every record of `text`, joining fields with '|' and records with '\n'. */
static void csv_all(const char *text, size_t len, char *out, size_t n, int *errors,
                    unsigned long *lines)
{
    struct nt_csv c;
    struct nt_csv_record rec;
    struct nt_diag d;
    size_t o = 0, nrec = 0;
    *errors = 0;
    out[0] = '\0';
    nt_csv_init(&c, "t.csv", text, len);
    for (;;) {
        nt_diag_clear(&d);
        if (nt_csv_next(&c, &rec, &d) != NT_OK) {
            (*errors)++;
            if (c.p >= c.end)
                break;
            continue;
        }
        if (rec.count == 0)
            break;
        if (lines)
            lines[nrec] = rec.line;
        nrec++;
        for (size_t i = 0; i < rec.count; i++)
            o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "|" : "", rec.fields[i]);
        o += (size_t)snprintf(out + o, n - o, "\n");
    }
    nt_csv_release(&c);
}

static void test_csv_basic(void **state)
{
    char out[512];
    int errors;
    unsigned long lines[8];
    (void)state;
    const char *t = "\xEF\xBB\xBFnip,nama\r\n\r\n1, Budi \r\n\n  \n2,\"Sari, S.Pd.\"\r\n"
                    "3,\"kata \"\"kutip\"\"\"\n4,\"dua\nbaris\"\n5,akhir";
    csv_all(t, strlen(t), out, sizeof(out), &errors, lines);
    assert_int_equal(errors, 0);
    assert_string_equal(out, "nip|nama\n1|Budi\n2|Sari, S.Pd.\n3|kata \"kutip\"\n"
                             "4|dua\nbaris\n5|akhir\n");
    assert_int_equal(lines[0], 1);
    assert_int_equal(lines[1], 3);
    assert_int_equal(lines[2], 6);
    assert_int_equal(lines[3], 7);
    assert_int_equal(lines[4], 8);
    assert_int_equal(lines[5], 10); /* after a field spanning two lines */
}

static void test_csv_separators(void **state)
{
    char out[256];
    int errors;
    (void)state;
    const char *semi = "nip;nama;kota\n1;Budi, S.T.;Mamuju\n";
    csv_all(semi, strlen(semi), out, sizeof(out), &errors, NULL);
    assert_int_equal(errors, 0);
    assert_string_equal(out, "nip|nama|kota\n1|Budi, S.T.|Mamuju\n");
    const char *tab = "nip\tnama\n1\tBudi Santoso\n";
    csv_all(tab, strlen(tab), out, sizeof(out), &errors, NULL);
    assert_string_equal(out, "nip|nama\n1|Budi Santoso\n");
    const char *cr = "a,b\r1,2\r";
    csv_all(cr, strlen(cr), out, sizeof(out), &errors, NULL);
    assert_string_equal(out, "a|b\n1|2\n");
    const char *empty = "a,,c\n,,\n";
    csv_all(empty, strlen(empty), out, sizeof(out), &errors, NULL);
    assert_string_equal(out, "a||c\n||\n");
}

static void test_csv_errors(void **state)
{
    struct nt_csv c;
    struct nt_csv_record rec;
    struct nt_diag d;
    (void)state;

    /* Text after a closing quote: reported with line and column, then resync. */
    const char *t = "a,b\n1,\"x\"y\n2,z\n";
    nt_csv_init(&c, "t.csv", t, strlen(t));
    nt_diag_clear(&d);
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_EINPUT);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.col, 2);
    assert_string_equal(d.file, "t.csv");
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(rec.line, 3);
    assert_string_equal(rec.fields[1], "z");
    nt_csv_release(&c);

    /* An unterminated quote names the line where it opened. */
    const char *u = "a,b\n1,2\n3,\"open\n4,5\n";
    nt_csv_init(&c, "u.csv", u, strlen(u));
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_EINPUT);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "kutip"));
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(rec.count, 0);
    nt_csv_release(&c);

    /* A field over the limit is refused, not truncated. */
    static char big[NT_CSV_MAX_FIELD_LEN + 64];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big, "a\n", 2);
    nt_csv_init(&c, "b.csv", big, strlen(big));
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_OK);
    assert_int_equal(nt_csv_next(&c, &rec, &d), NT_ETOOBIG);
    assert_int_equal(d.line, 2);
    nt_csv_release(&c);
}

static void test_csv_header(void **state)
{
    struct nt_csv c;
    struct nt_csv_record rec;
    struct nt_diag_list errs;
    static const char *const cols[] = { "nip", "nama", "endpoint" };
    int idx[3];
    (void)state;

    const char *t = "Nama, NIP ,extra\n";
    nt_csv_init(&c, "h.csv", t, strlen(t));
    assert_int_equal(nt_csv_next(&c, &rec, NULL), NT_OK);
    nt_diag_list_init(&errs, 10);
    assert_int_equal(nt_csv_map_header("h.csv", &rec, cols, 3, 2, idx, &errs), NT_OK);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], -1);
    assert_int_equal(errs.count, 0);
    nt_csv_release(&c);

    const char *m = "nip,nip,alamat\n";
    nt_csv_init(&c, "m.csv", m, strlen(m));
    assert_int_equal(nt_csv_next(&c, &rec, NULL), NT_OK);
    assert_int_equal(nt_csv_map_header("m.csv", &rec, cols, 3, 2, idx, &errs), NT_EINPUT);
    assert_int_equal(errs.count, 2); /* nip twice, nama missing */
    assert_string_equal(errs.items[0].field, "nip");
    assert_string_equal(errs.items[1].field, "nama");
    assert_int_equal(errs.items[1].line, 1);
    nt_csv_release(&c);
    nt_diag_list_release(&errs);
}

static void test_dates(void **state)
{
    struct nt_date d;
    time_t t;
    char iso[32];
    (void)state;
    assert_true(nt_date_is_leap(2000));
    assert_false(nt_date_is_leap(1900));
    assert_true(nt_date_is_leap(2024));
    assert_int_equal(nt_date_days_in_month(2024, 2), 29);
    assert_int_equal(nt_date_days_in_month(2023, 2), 28);
    assert_int_equal(nt_date_days_in_month(2023, 13), 0);
    assert_true(nt_date_parse("2024-02-29", &d));
    assert_false(nt_date_parse("2023-02-29", &d));
    assert_false(nt_date_parse("2023-2-28", &d));
    assert_false(nt_date_parse("2023-02-28x", &d));
    char next[16];
    assert_true(nt_date_next_day("2024-02-28", next, sizeof(next)));
    assert_string_equal(next, "2024-02-29");
    assert_true(nt_date_next_day("2023-02-28", next, sizeof(next)));
    assert_string_equal(next, "2023-03-01");
    assert_true(nt_date_next_day("2023-12-31", next, sizeof(next)));
    assert_string_equal(next, "2024-01-01");
    assert_false(nt_date_next_day("2023-02-30", next, sizeof(next)));
    /* An election's 90 days after polling day, across a leap day and a year. */
    assert_true(nt_date_add_days("2024-02-14", 90, next, sizeof(next)));
    assert_string_equal(next, "2024-05-14");
    assert_true(nt_date_add_days("2023-12-01", 90, next, sizeof(next)));
    assert_string_equal(next, "2024-02-29");
    assert_true(nt_date_add_days("2024-03-01", -1, next, sizeof(next)));
    assert_string_equal(next, "2024-02-29");

    assert_true(nt_time_parse("2024-02-14T07:30:05Z", &t));
    assert_int_equal((long long)t, 1707895805LL);
    nt_time_iso(t, iso, sizeof(iso));
    assert_string_equal(iso, "2024-02-14T07:30:05Z");
    assert_true(nt_time_parse("1970-01-01", &t));
    assert_int_equal((long long)t, 0);
    assert_false(nt_time_parse("2024-02-14T24:00:00Z", &t));
    assert_false(nt_time_parse("2024-02-14 07:30:05", &t));
    nt_time_iso((time_t)-1, iso, sizeof(iso));
    assert_string_equal(iso, "1969-12-31T23:59:59Z");

    /* Round trip over a long range of days. */
    for (long long day = -40000; day < 80000; day += 37) {
        struct nt_date dt = nt_date_from_time((time_t)(day * 86400));
        char s[16];
        snprintf(s, sizeof(s), "%04d-%02d-%02d", dt.y, dt.m, dt.d);
        assert_true(nt_time_parse(s, &t));
        assert_int_equal((long long)t, day * 86400);
    }

    struct nt_date birth = { 1990, 6, 15 };
    assert_int_equal(nt_date_age(birth, (struct nt_date){ 2020, 6, 14 }), 29);
    assert_int_equal(nt_date_age(birth, (struct nt_date){ 2020, 6, 15 }), 30);
}

static void test_sha256(void **state)
{
    char hex[NT_SHA256_HEX_LEN + 1];
    (void)state;
    nt_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    nt_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_strmap(void **state)
{
    struct nt_strmap m;
    size_t v = 0;
    char key[32];
    (void)state;
    nt_strmap_init(&m);
    assert_false(nt_strmap_get(&m, "x", &v));
    for (size_t i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "k%zu", i);
        assert_int_equal(nt_strmap_put(&m, key, i * 3, NULL), NT_OK);
    }
    assert_int_equal(m.count, 5000);
    assert_int_equal(nt_strmap_put(&m, "k42", 1, &v), NT_EEXISTS);
    assert_int_equal(v, 126);
    for (size_t i = 0; i < 5000; i += 7) {
        snprintf(key, sizeof(key), "k%zu", i);
        assert_true(nt_strmap_get(&m, key, &v));
        assert_int_equal(v, i * 3);
    }
    assert_false(nt_strmap_get(&m, "k5000", NULL));
    nt_strmap_release(&m);
}

/* The configuration file: sections, comments after values, quotes, and
 * errors that name the line. */
struct conf_seen {
    char keys[8][64];
    size_t n;
};

static enum nt_err conf_collect(void *ctx, const char *key, const char *value, struct nt_diag *d)
{
    struct conf_seen *c = ctx;
    if (strcmp(key, "bad") == 0)
        return nt_diag_set(d, NT_EINPUT, "bad: tidak boleh");
    if (c->n < 8)
        snprintf(c->keys[c->n++], sizeof(c->keys[0]), "%s=%s", key, value);
    return NT_OK;
}

static void write_conf(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_conf(void **state)
{
    (void)state;
    char path[] = "/tmp/nt-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_conf(path, "# top\nrate = 1   # a comment\n[serve]\nlisten = 127.0.0.1:8080\n"
                     "[crawl]\ncontact = \"a # b\"\n");
    static const char *const crawl[] = { "", "crawl", NULL }, *const serve[] = { "serve", NULL };
    struct conf_seen c = { 0 };
    struct nt_diag d;
    nt_diag_clear(&d);
    assert_int_equal(nt_conf_read(path, crawl, conf_collect, &c, NULL, &d), NT_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.keys[0], "rate=1");
    assert_string_equal(c.keys[1], "contact=a # b");
    memset(&c, 0, sizeof(c));
    assert_int_equal(nt_conf_read(path, serve, conf_collect, &c, NULL, &d), NT_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.keys[0], "listen=127.0.0.1:8080");
    write_conf(path, "[crawl]\nrate = 1\n[servee]\n");
    assert_int_equal(nt_conf_read(path, crawl, conf_collect, &c, NULL, &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, ":3: bagian [servee] tidak dikenal"));
    write_conf(path, "rate = 1\nbad = 2\n");
    assert_int_equal(nt_conf_read(path, crawl, conf_collect, &c, NULL, &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, ":2: bad: tidak boleh"));
    write_conf(path, "rate 1\n");
    assert_int_equal(nt_conf_read(path, crawl, conf_collect, &c, NULL, &d), NT_EINPUT);
    assert_non_null(strstr(d.msg, ":1: harus berbentuk kunci = nilai"));
    unlink(path);
}

/* File types from their bytes, whatever a server says. */
static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        enum nt_sniff_kind kind;
        const char *mime;
    } cases[] = {
        { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NT_SNIFF_IMAGE, "image/png" },
        { "\xff\xd8\xff\xe0\0\x10JFIF", 10, NT_SNIFF_IMAGE, "image/jpeg" },
        { "GIF89a\x01\0", 8, NT_SNIFF_IMAGE, "image/gif" },
        { "RIFF\0\0\0\0WEBPVP8 ", 16, NT_SNIFF_IMAGE, "image/webp" },
        { "RIFF\0\0\0\0WAVEfmt ", 16, NT_SNIFF_AUDIO, "audio/wav" },
        { "\0\0\0\x18"
          "ftypmp42",
          12, NT_SNIFF_VIDEO, "video/mp4" },
        { "%PDF-1.7\n", 9, NT_SNIFF_DOCUMENT, "application/pdf" },
        { "<!doctype html><html>", 21, NT_SNIFF_UNKNOWN, "application/octet-stream" },
        { "\x89PN", 3, NT_SNIFF_UNKNOWN, "application/octet-stream" },
        { "", 0, NT_SNIFF_UNKNOWN, "application/octet-stream" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct nt_sniff s = nt_sniff(cases[i].bytes, cases[i].len);
        assert_int_equal(s.kind, cases[i].kind);
        assert_string_equal(s.mime, cases[i].mime);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_table), cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_sniff),       cmocka_unit_test(test_diag_list_bound),
        cmocka_unit_test(test_buf_bounds),  cmocka_unit_test(test_file_read),
        cmocka_unit_test(test_grow),        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_csv_basic),   cmocka_unit_test(test_csv_separators),
        cmocka_unit_test(test_csv_errors),  cmocka_unit_test(test_csv_header),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_strmap),      cmocka_unit_test(test_conf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
