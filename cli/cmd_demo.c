/*
 * cmd_demo.c - `netra demo`: a fresh database filled from the bundled sample
 * data, and a report of what was done. Each stage of the pipeline adds its
 * step here, so a newcomer sees the whole product run offline.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <stdint.h>

#include "accounts.h"
#include "buf.h"
#include "crawl.h"
#include "candidates.h"
#include "cli.h"
#include "review.h"
#include "engine.h"
#include "imagetext.h"
#include "ingest.h"
#include "scan.h"
#include "registry.h"
#include "versions.h"

const char cmd_demo_usage[] =
    "Pemakaian: netra demo [--dir DIREKTORI]\n"
    "\n"
    "Membuat basis data demo baru di DIREKTORI/netra.db (bawaan: ./demo), mengimpor\n"
    "data contoh bawaan (pegawai, akun dan unggahan fiktif) dan leksikon bawaan,\n"
    "menilai unggahan, lalu melaporkan hasilnya.\n"
    "Basis data demo yang lama di direktori itu diganti.\n"
    "\n"
    "Opsi:\n"
    "  --dir DIREKTORI  tempat basis data demo\n"
    "Lingkungan: NETRA_DATA menunjuk direktori data contoh bila tidak di tempat bawaan.\n";

struct counts {
    struct cli *c;
    bool province;
};

static enum nt_err print_count(const char *key, int64_t n, void *ctx)
{
    struct counts *k = ctx;
    const char *name = k->province ? nt_region_province_name(key) : NULL;
    fprintf(k->c->out, "  %5lld  ", (long long)n);
    cli_put_safe(k->c->out, key);
    if (name)
        fprintf(k->c->out, " %s", name);
    fputc('\n', k->c->out);
    return NT_OK;
}

static int report(struct cli *c, struct nt_store *s)
{
    static const struct {
        enum nt_reg_group group;
        const char *title;
    } groups[] = {
        { NT_REG_BY_AGENCY, "Pegawai aktif per instansi" },
        { NT_REG_BY_PROVINCE, "Pegawai aktif per provinsi" },
        { NT_REG_BY_POSITION_TYPE, "Pegawai aktif per jenis jabatan" },
        { NT_REG_BY_STATUS, "Pegawai aktif per status" },
        { NT_REG_BY_PLATFORM, "Akun yang diawasi per platform" },
    };
    struct nt_diag d;
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        struct counts k = { c, groups[i].group == NT_REG_BY_PROVINCE };
        fprintf(c->out, "\n%s:\n", groups[i].title);
        nt_diag_clear(&d);
        if (nt_reg_count_by(s, groups[i].group, print_count, &k, &d) != NT_OK)
            return cli_fail(c, &d);
    }
    return CLI_OK;
}

/* The demo's stand-in for employees' blogs: a server on 127.0.0.1 that
 * serves the bundled sample feeds (data/sample/feeds/NAME). */
static enum MHD_Result serve_feed(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    const char *dir = cls;
    char path[4096];
    struct nt_buf b;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    (void)state;
    nt_buf_init(&b, 1 << 20);
    snprintf(path, sizeof(path), "%s%s", dir, url);
    unsigned status = 200;
    if (strstr(url, "..") || nt_file_read(path, &b, NULL) != NT_OK) {
        nt_buf_reset(&b);
        status = 404;
    }
    size_t len = 0;
    char *body = nt_buf_detach(&b, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Point three sample feed accounts and one Mastodon account at the local
 * server and crawl them: posts, the flyer on a blog, whom the Mastodon
 * account follows. */
static int crawl_demo(struct cli *c, struct nt_store *s)
{
    static char feeds[4096];
    snprintf(feeds, sizeof(feeds), "%s/sample/feeds", c->datadir);
    struct MHD_Daemon *daemon_ =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, serve_feed, feeds, MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
    if (!daemon_)
        return cli_failf(c, "server lokal demo tidak dapat dimulai");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    int rc = CLI_FAIL;
    sqlite3_stmt *st = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    /* The three blogs, and the Mastodon account (lookup, statuses and
     * following served as files under api/v1/accounts/). */
    static const char *const local[] = {
        "UPDATE accounts SET endpoint = printf('http://127.0.0.1:%d/blog-%d.xml', "
        "?1, (SELECT count(*) FROM accounts b WHERE b.platform = 'feed' "
        "AND b.id <= accounts.id)) WHERE platform = 'feed' AND id IN "
        "(SELECT id FROM accounts WHERE platform = 'feed' ORDER BY id LIMIT 3)",
        "UPDATE accounts SET endpoint = printf('http://127.0.0.1:%d', ?1) "
        "WHERE platform = 'mastodon' AND account = 'arif_hidayat0@masto.contoh.example'",
    };
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        if (nt_store_prepare(s, local[i], &st, &d) != NT_OK) {
            rc = cli_fail(c, &d);
            goto out;
        }
        sqlite3_bind_int(st, 1, (int)port);
        if (nt_store_done(s, st, "menyiapkan akun demo gagal", &d) != NT_OK) {
            rc = cli_fail(c, &d);
            goto out;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    struct nt_crawl_opts o;
    memset(&o, 0, sizeof(o));
    nt_http_config_defaults(&o.http);
    o.http.allow_http = true;
    o.http.allow_networks = "127.0.0.1/32";
    o.http.host_rate = 20;
    o.http.user_agent = "Netra/0.1 demo";
    o.now = c->now;
    /* Only the local accounts: the other sample accounts live under the
     * reserved .example domain, which resolves nowhere. */
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "http://127.0.0.1:%u", port);
    o.url_prefix = prefix;
    struct nt_crawl_stats cs;
    if (nt_crawl_run(s, &o, &cs, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    fprintf(c->out,
            "6. Crawl: 3 blog contoh dan 1 akun Mastodon (dilayani server lokal 127.0.0.1:%u "
            "sebagai pengganti internet) menghasilkan %zu unggahan baru sebagai bukti, %zu gambar "
            "lampiran disimpan (SHA-256), %zu akun yang diikuti dicatat.\n",
            port, cs.posts_added, cs.media_stored, cs.follows_new);
    /* New posts per crawled account, as `netra crawl` users see coverage. */
    sqlite3_finalize(st);
    st = NULL;
    if (nt_store_prepare(s,
                         "SELECT e.name, a.endpoint, count(p.id) FROM accounts a "
                         "JOIN employees e ON e.id = a.employee_id "
                         "LEFT JOIN posts p ON p.account_id = a.id AND p.source = 'crawl' "
                         "AND p.interaction <> 'follow' "
                         "WHERE a.endpoint LIKE ?1 || '%' GROUP BY a.id ORDER BY a.id",
                         &st, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    enum nt_err err = NT_OK;
    while (nt_store_next(s, st, &err, "membaca akun demo", &d)) {
        fputs("     - ", c->out);
        cli_put_safe(c->out, (const char *)sqlite3_column_text(st, 0));
        fputs(" (", c->out);
        cli_put_safe(c->out, (const char *)sqlite3_column_text(st, 1));
        fprintf(c->out, "): %d unggahan baru\n", sqlite3_column_int(st, 2));
    }
    if (err) {
        rc = cli_fail(c, &d);
        goto out;
    }
    rc = CLI_OK;
out:
    sqlite3_finalize(st);
    MHD_stop_daemon(daemon_);
    return rc;
}

/* The follow of a campaign account the crawl found, as the queue has it. */
static int followed_campaign(struct cli *c, struct nt_store *s)
{
    sqlite3_stmt *q = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_store_prepare(s,
                         "SELECT i.id, i.level, i.category, e.name, h.matched FROM review_items i "
                         "JOIN posts p ON p.id = i.post_id JOIN employees e ON e.id = "
                         "i.employee_id JOIN hits h ON h.score_id = i.score_id AND h.kind = "
                         "'campaign_account' WHERE p.interaction = 'follow' ORDER BY i.id LIMIT 1",
                         &q, &d) != NT_OK)
        return cli_fail(c, &d);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        fprintf(c->out, "   Butir #%lld (%s %s): ", (long long)sqlite3_column_int64(q, 0),
                sqlite3_column_text(q, 1), sqlite3_column_text(q, 2));
        cli_put_safe(c->out, (const char *)sqlite3_column_text(q, 3));
        fputs(" mengikuti akun kampanye ", c->out);
        cli_put_safe(c->out, (const char *)sqlite3_column_text(q, 4));
        fputs(" (SKB 2022 bentuk 2).\n", c->out);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CLI_OK : cli_failf(c, "membaca antrean gagal");
}

/* The OCR stage on the crawled images: the words printed on a flyer read
 * and scored, the post that carried it queued with hits marked as text in
 * the image. Without Tesseract's language data the demo says so and goes
 * on (the images stay pending for `netra ocr`). */
static int read_images(struct cli *c, struct nt_store *s, struct nt_detect *e,
                       const struct nt_scan_stage *stage)
{
    struct nt_diag d;
    struct nt_ocr *o = NULL;
    struct nt_scan_writer *w = NULL;
    struct nt_imagetext_stats st;
    nt_diag_clear(&d);
    if (nt_ocr_new(NULL, "ind+eng", &o, &d) != NT_OK) {
        fputs("8. Teks dalam gambar dilewati: ", c->out);
        cli_put_safe(c->out, d.msg);
        fputc('\n', c->out);
        return CLI_OK;
    }
    struct nt_imagetext_opts opts = { .now = c->now };
    enum nt_err err = nt_scan_writer_open(s, e->m, e->lexicon_id, stage, c->now, &w, &d);
    if (!err)
        err = nt_detect_imagetext_run(s, o, w, &opts, &st, &d);
    nt_scan_writer_close(w);
    nt_ocr_free(o);
    if (err)
        return cli_fail(c, &d);
    fprintf(c->out,
            "8. Teks dalam gambar (OCR): %zu gambar dibaca, %zu baris teks; %zu unggahan "
            "dinilai ulang dengan kata-kata di gambarnya.\n",
            st.read, st.lines, st.rescored);
    sqlite3_stmt *q = NULL;
    if (nt_store_prepare(s,
                         "SELECT i.id, i.level, h.matched, h.line FROM review_items i "
                         "JOIN hits h ON h.score_id = i.score_id WHERE h.source = 'ocr' "
                         "ORDER BY i.id, h.start_byte LIMIT 1",
                         &q, &d) != NT_OK)
        return cli_fail(c, &d);
    if (sqlite3_step(q) == SQLITE_ROW) {
        fprintf(c->out, "   Butir #%lld (%s) ditandai dari teks dalam gambar, baris %d: \"",
                (long long)sqlite3_column_int64(q, 0), sqlite3_column_text(q, 1),
                sqlite3_column_int(q, 3));
        cli_put_safe(c->out, (const char *)sqlite3_column_text(q, 2));
        fputs("\"\n", c->out);
    }
    sqlite3_finalize(q);
    return CLI_OK;
}

/* Lexicon, posts, scan: the offline pipeline on bundled data. */
static int pipeline(struct cli *c, struct nt_store *s)
{
    char lexicon[4096], posts[4096];
    struct nt_diag d;
    struct nt_diag_list errs;
    struct nt_buf data;
    int rc = CLI_FAIL;
    struct nt_detect e;

    snprintf(lexicon, sizeof(lexicon), "%s/lexicon/default-2024.json", c->datadir);
    snprintf(posts, sizeof(posts), "%s/sample/posts.ndjson", c->datadir);
    nt_diag_clear(&d);
    nt_diag_list_init(&errs, 20);
    nt_buf_init(&data, (size_t)1 << 30);
    memset(&e, 0, sizeof(e));
    /* The bundled lexicon with the sample candidate lists (legislative DCT
     * and Pilkada, fictional names) merged in, as `lexicon import-candidates`
     * does. */
    char cands[4096];
    snprintf(cands, sizeof(cands), "%s/sample/candidates.csv", c->datadir);
    struct nt_buf cbuf;
    struct nt_lex_candidates_result cr;
    char *merged = NULL, *with_cands = NULL, accts[4096];
    struct nt_lex_accounts_result ar = { 0 };
    snprintf(accts, sizeof(accts), "%s/sample/campaign-accounts.csv", c->datadir);
    nt_buf_init(&cbuf, (size_t)1 << 26);
    enum nt_err err = nt_file_read(lexicon, &data, &d);
    if (!err)
        err = nt_file_read(cands, &cbuf, &d);
    if (!err)
        err = nt_lex_candidates_merge(data.data, data.len, cands, cbuf.data, cbuf.len, NULL, NULL,
                                      0, &with_cands, &cr, &errs, &d);
    cli_print_diags(c, &errs, cands);
    /* And the sample campaign accounts, as `lexicon import-accounts` does. */
    nt_buf_reset(&cbuf);
    if (!err)
        err = nt_file_read(accts, &cbuf, &d);
    if (!err)
        err = nt_lex_accounts_merge(with_cands, strlen(with_cands), accts, cbuf.data, cbuf.len,
                                    &merged, &ar, &errs, &d);
    free(with_cands);
    nt_buf_release(&cbuf);
    cli_print_diags(c, &errs, accts);
    if (err) {
        free(merged);
        rc = cli_fail(c, &d);
        goto out;
    }
    struct nt_detect_src src = { .lexicon = "leksikon demo",
                                 .lexicon_json = merged,
                                 .lexicon_len = strlen(merged) };
    err = nt_detect_load_lexicon(&e, &src, &errs, &d);
    cli_print_diags(c, &errs, "leksikon demo");
    if (!err)
        err = nt_lex_version_add(s, merged, strlen(merged), e.lex, "demo",
                                 "leksikon bawaan dan daftar calon contoh (demo)", c->now, true,
                                 &e.lexicon_id, NULL, &d);
    free(merged);
    if (err) {
        rc = cli_fail(c, &d);
        goto out;
    }
    fprintf(c->out,
            "4. Leksikon bawaan \"%s\" disimpan sebagai versi #%lld: %zu entri, %zu aturan.\n"
            "   Termasuk %zu calon dari daftar contoh (caleg DCT dan Pilkada, netra lexicon "
            "import-candidates) dan %zu akun kampanye (netra lexicon import-accounts).\n",
            e.lex->version, (long long)e.lexicon_id, e.lex->nentries, e.lex->nrules, cr.added,
            ar.added);
    char model[4096];
    snprintf(model, sizeof(model), "%s/model/stance-default.bin", c->datadir);
    int64_t mid = 0;
    if (cli_model_import(c, s, NULL, model, "demo", "model sikap bawaan (demo)", true, &mid,
                         NULL) != CLI_OK ||
        cli_engine_load_model(c, model, &e) != CLI_OK)
        goto out;
    e.model_id = mid;
    fprintf(c->out,
            "   Model sikap bawaan \"%s\" disimpan sebagai versi #%lld (ambang review %.3f, "
            "prioritas %.3f).\n",
            nt_stance_info(e.model)->version, (long long)mid, nt_stance_info(e.model)->review,
            nt_stance_info(e.model)->priority);
    struct nt_ingest_result ir;
    nt_buf_reset(&data);
    if (nt_file_read(posts, &data, &d) != NT_OK ||
        nt_crawl_ingest(s, posts, data.data, data.len, c->now, NULL, &ir, &errs, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    fprintf(c->out,
            "5. Unggahan contoh dari berkas (netra ingest) disimpan sebagai bukti: %zu unggahan "
            "(SHA-256 per baris).\n",
            ir.added);
    if (crawl_demo(c, s) != CLI_OK)
        goto out;
    struct nt_scan_stats st;
    struct nt_scan_stage stage;
    nt_detect_stage(&e, &stage);
    if (nt_detect_scan_store(s, e.m, e.lexicon_id, &stage, false, c->now, NULL, &st, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    fprintf(c->out,
            "7. Pindai: %zu unggahan dinilai; none %zu, review %zu, priority %zu; %zu masuk "
            "antrean tinjauan.\n",
            st.scanned, st.levels[NT_LEVEL_NONE], st.levels[NT_LEVEL_REVIEW],
            st.levels[NT_LEVEL_PRIORITY], st.queued);
    rc = followed_campaign(c, s);
    if (rc == CLI_OK)
        rc = read_images(c, s, &e, &stage);
out:
    nt_detect_release(&e);
    nt_buf_release(&data);
    nt_diag_list_release(&errs);
    return rc;
}

/* Demo users (the web app logs in with these) and a reviewer's first
 * steps: one finding confirmed, one item dismissed as news. */
static const struct {
    const char *name, *password;
    enum nt_role role;
} demo_users[] = {
    { "admin", "admin-demo-123", NT_ROLE_ADMIN },
    { "peninjau", "peninjau-demo-123", NT_ROLE_REVIEWER },
    { "supervisor", "supervisor-demo-123", NT_ROLE_SUPERVISOR },
    { "analis", "analis-demo-123", NT_ROLE_ANALYST },
};

static int people(struct cli *c, struct nt_store *s)
{
    sqlite3_stmt *st = NULL;
    struct nt_diag d;
    struct nt_user admin = { 0 }, rev = { 0 };
    const char *ag[64];
    char *own[64];
    size_t na = 0;
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (nt_store_prepare(s, "SELECT DISTINCT agency FROM employees ORDER BY 1 LIMIT 64", &st, &d) !=
        NT_OK)
        return cli_fail(c, &d);
    enum nt_err err = NT_OK;
    while (nt_store_next(s, st, &err, "membaca instansi", &d))
        ag[na] = own[na] = strdup((const char *)sqlite3_column_text(st, 0)), na++;
    sqlite3_finalize(st);
    if (err)
        rc = cli_fail(c, &d);
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]) && rc == CLI_OK; i++) {
        bool first = i == 0;
        bool scoped = demo_users[i].role & (NT_ROLE_REVIEWER | NT_ROLE_SUPERVISOR);
        if (nt_user_add(s, first ? NULL : &admin, demo_users[i].name, demo_users[i].role, ag,
                        scoped ? na : 0, demo_users[i].password, c->now, &d) != NT_OK ||
            (first && nt_user_load(s, "admin", &admin, &d) != NT_OK))
            rc = cli_fail(c, &d);
    }
    if (rc == CLI_OK && nt_user_load(s, "peninjau", &rev, &d) != NT_OK)
        rc = cli_fail(c, &d);
    /* The reviewer confirms the most urgent item and dismisses the next. */
    struct nt_queue_filter f = { .limit = 2 };
    json_t *q = NULL;
    if (rc == CLI_OK && nt_queue_list(s, NULL, &rev, &f, c->now, &q, &d) != NT_OK)
        rc = cli_fail(c, &d);
    for (size_t i = 0; rc == CLI_OK && i < json_array_size(json_object_get(q, "items")); i++) {
        json_int_t id = json_integer_value(
            json_object_get(json_array_get(json_object_get(q, "items"), i), "id"));
        struct nt_decision dec = { .decision = i ? "dismiss" : "confirm",
                                   .reason_code = i ? "berita" : NULL };
        if (nt_item_decide(s, &rev, id, &dec, c->now, NULL, &d) != NT_OK)
            rc = cli_fail(c, &d);
    }
    json_decref(q);
    q = NULL;
    if (rc == CLI_OK) {
        fputs("8. Pengguna demo (kata sandi untuk aplikasi web):\n", c->out);
        for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
            fprintf(c->out, "     %-11s %-10s %s\n", demo_users[i].name,
                    nt_role_name(demo_users[i].role), demo_users[i].password);
        fputs("   Peninjau mengonfirmasi satu temuan (kasus dibuka) dan menolak satu butir "
              "sebagai berita.\n",
              c->out);
    }
    f.limit = 5;
    if (rc == CLI_OK && nt_queue_list(s, NULL, &rev, &f, c->now, &q, &d) != NT_OK)
        rc = cli_fail(c, &d);
    if (rc == CLI_OK) {
        fprintf(c->out,
                "\nAntrean teratas (%lld butir menunggu; Netra menandai, manusia yang "
                "memutuskan):\n",
                (long long)json_integer_value(json_object_get(q, "total")));
        json_t *it;
        size_t i;
        json_array_foreach(json_object_get(q, "items"), i, it)
        {
            fprintf(c->out, "  #%lld [%s %s] ",
                    (long long)json_integer_value(json_object_get(it, "id")),
                    json_string_value(json_object_get(it, "level")),
                    json_is_string(json_object_get(it, "category"))
                        ? json_string_value(json_object_get(it, "category"))
                        : "-");
            cli_put_safe(c->out, json_string_value(json_object_get(it, "employee")));
            fputs(": \"", c->out);
            cli_put_safe(c->out, json_string_value(json_object_get(it, "excerpt")));
            fputs("\"\n", c->out);
        }
    }
    /* Why the top item is at the top: the stance evidence stored with its score. */
    json_t *top = json_array_get(json_object_get(q, "items"), 0);
    if (rc == CLI_OK && top) {
        sqlite3_stmt *ex = NULL;
        if (nt_store_prepare(s,
                             "SELECT s.explanation FROM review_items i JOIN scores s ON s.id = "
                             "i.score_id WHERE i.id = ?1",
                             &ex, &d) != NT_OK) {
            rc = cli_fail(c, &d);
        } else {
            sqlite3_bind_int64(ex, 1, json_integer_value(json_object_get(top, "id")));
            int step = sqlite3_step(ex);
            json_t *j = step == SQLITE_ROW
                            ? json_loads((const char *)sqlite3_column_text(ex, 0), 0, NULL)
                            : NULL;
            json_t *sj = json_object_get(j, "stance");
            if (step != SQLITE_ROW)
                rc = cli_failf(c, "membaca penjelasan butir teratas gagal");
            else if (json_is_object(sj)) {
                fprintf(c->out,
                        "\nMengapa butir #%lld di atas: sikap \"%s\", peluang berpihak %.2f "
                        "(model \"%s\"):\n",
                        (long long)json_integer_value(json_object_get(top, "id")),
                        json_string_value(json_object_get(sj, "side_label")),
                        json_real_value(json_object_get(sj, "p_side")),
                        json_string_value(json_object_get(sj, "model_version")));
                cli_put_evidence(c, json_object_get(sj, "evidence"), 5, "  ");
            }
            json_decref(j);
            sqlite3_finalize(ex);
        }
    }
    json_t *t = NULL;
    const char *keys[] = { "agency" };
    if (rc == CLI_OK && nt_stats(s, NULL, &admin, keys, 1, NULL, NULL, c->now, &t, &d) != NT_OK)
        rc = cli_fail(c, &d);
    if (rc == CLI_OK) {
        fputs("\nStatistik per instansi (netra stats --by agency):\n", c->out);
        rc = cli_print_grid(c, json_object_get(t, "columns"), json_object_get(t, "rows"), "table");
    }
    json_decref(t);
    json_decref(q);
    nt_user_release(&admin);
    nt_user_release(&rev);
    for (size_t i = 0; i < na; i++)
        free(own[i]);
    return rc;
}

static int remove_if_exists(struct cli *c, const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return cli_failf(c, "%s: tidak dapat menghapus basis data demo lama: %s", path,
                         strerror(errno));
    return CLI_OK;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "dir", required_argument, NULL, 'd' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = "demo";
    char db[4096], wal[4200], shm[4200], employees[4096], accounts[4096];
    struct nt_reg_import_opts o = { 0 };
    int opt, rc;

    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt != 'd')
            return cli_bad_option(c, "demo", argc, argv);
        dir = optarg;
    }
    if (optind != argc)
        return cli_usage_error(c, "demo", "argumen \"%s\" tidak dikenal", argv[optind]);
    cli_openmp_single(c); /* the demo reads a flyer with Tesseract */

    snprintf(employees, sizeof(employees), "%s/sample/employees.csv", c->datadir);
    snprintf(accounts, sizeof(accounts), "%s/sample/accounts.csv", c->datadir);
    if (access(employees, R_OK) != 0 || access(accounts, R_OK) != 0)
        return cli_failf(c,
                         "%s: data contoh tidak ditemukan; setel NETRA_DATA ke direktori data "
                         "Netra",
                         employees);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cli_failf(c, "%s: tidak dapat membuat direktori demo: %s", dir, strerror(errno));
    if ((size_t)snprintf(db, sizeof(db), "%s/netra.db", dir) >= sizeof(db))
        return cli_usage_error(c, "demo", "nama direktori terlalu panjang");
    snprintf(wal, sizeof(wal), "%s-wal", db);
    snprintf(shm, sizeof(shm), "%s-shm", db);
    if (remove_if_exists(c, db) || remove_if_exists(c, wal) || remove_if_exists(c, shm))
        return CLI_FAIL;
    /* The demo's own audit key and checkpoint log go with its database. */
    struct nt_diag ad;
    nt_diag_clear(&ad);
    if (nt_audit_files_remove(db, &ad) != NT_OK)
        return cli_fail(c, &ad);

    c->db_path = db;
    fputs("== Netra demo ==\n", c->out);
    struct nt_store *s = cli_open_store(c, NT_STORE_CREATE);
    if (!s)
        return CLI_FAIL;
    fputs("1. Basis data baru: ", c->out);
    cli_put_safe(c->out, db);
    fprintf(c->out, " (skema versi %d)\n", nt_store_schema_version(s));

    o.actor = "demo";
    o.now = c->now;
    fputs("2. ", c->out);
    rc = cli_import_file(c, s, employees, "pegawai", nt_reg_import_employees, &o);
    if (rc == CLI_OK) {
        fputs("3. ", c->out);
        rc = cli_import_file(c, s, accounts, "akun", nt_reg_import_accounts, &o);
    }
    if (rc == CLI_OK)
        rc = pipeline(c, s);
    if (rc == CLI_OK)
        rc = report(c, s);
    if (rc == CLI_OK)
        rc = people(c, s);
    nt_store_close(s);
    if (rc != CLI_OK)
        return rc;
    fputs("\nLangkah berikutnya:\n", c->out);
    fprintf(c->out, "  %s --db %s employees list --region 76\n", c->prog, db);
    fprintf(c->out, "  %s --db %s accounts list --platform mastodon\n", c->prog, db);
    fprintf(c->out, "  %s --db %s employees show NIP\n", c->prog, db);
    fprintf(c->out, "  %s --db %s match --text \"Ayo coblos 02! #PrabowoGibran2024\"\n", c->prog,
            db);
    fprintf(c->out, "  %s --db %s --as peninjau queue    (kata sandi dari daftar di atas)\n",
            c->prog, db);
    fprintf(c->out, "  %s --db %s --as supervisor case list\n", c->prog, db);
    fprintf(c->out, "  %s --db %s --as supervisor stats --by category,period\n", c->prog, db);
    fprintf(c->out, "  %s --db %s lexicon show\n", c->prog, db);
    fprintf(c->out,
            "  %s --db %s serve    (aplikasi web di http://127.0.0.1:8080/; masuk dengan "
            "pengguna demo di atas)\n",
            c->prog, db);
    return CLI_OK;
}
