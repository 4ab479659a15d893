/*
 * cmd_lexicon.c - `netra lexicon`: import, activate, list, show, export and
 * compare lexicon versions. A lexicon is checked completely (format, every
 * entry and rule, patterns, and that the matcher can compile it) before it
 * is stored; the stored bytes are exactly the file's.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "accounts.h"
#include "candidates.h"
#include "cli.h"
#include "engine.h"
#include "review.h"
#include "diff.h"
#include "lexicon.h"
#include "matcher.h"
#include "versions.h"

const char cmd_lexicon_usage[] =
    "Pemakaian: netra lexicon SUBPERINTAH [OPSI]\n"
    "\n"
    "Leksikon pemilu: entri (nama calon, nomor urut, partai, tagar, ajakan, ...)\n"
    "dan aturan yang menggabungkannya menjadi kategori pelanggaran SKB 2022.\n"
    "\n"
    "Subperintah:\n"
    "  validate BERKAS.json        periksa leksikon tanpa menyimpan\n"
    "  import BERKAS.json          simpan sebagai versi baru\n"
    "  activate ID                 jadikan versi ID yang dipakai untuk menilai\n"
    "  versions                    daftar versi\n"
    "  show [VERSI]                ringkasan versi (bawaan: yang aktif)\n"
    "  export [VERSI]              tulis JSON versi apa adanya\n"
    "  diff A B                    perbedaan dua versi (ID atau berkas JSON)\n"
    "  test DRAF.json              uji draf pada unggahan tersimpan tanpa mengubah apa pun\n"
    "  import-candidates DCT.csv   entri calon legislatif dari daftar calon tetap KPU\n"
    "\n"
    "VERSI adalah nomor versi (lihat 'netra lexicon versions') atau berkas JSON.\n"
    "Bantuan subperintah: netra lexicon SUBPERINTAH --help\n";

static const char validate_usage[] =
    "Pemakaian: netra lexicon validate BERKAS.json\n"
    "\n"
    "Memeriksa format, setiap entri dan aturan, pola PCRE2, dan kompilasi\n"
    "pencocok. Setiap masalah ditampilkan sebagai BERKAS: entries[N](id).kolom: alasan.\n";

static const char import_usage[] =
    "Pemakaian: netra lexicon import [--comment TEKS] [--activate] BERKAS.json\n"
    "\n"
    "Menyimpan leksikon sebagai versi baru (penulis, waktu, komentar, SHA-256).\n"
    "Versi pertama langsung aktif; versi berikutnya aktif hanya dengan --activate\n"
    "atau 'netra lexicon activate ID', agar dapat diuji dulu.\n";

static const char activate_usage[] = "Pemakaian: netra lexicon activate ID\n"
                                     "\n"
                                     "Menjadikan versi ID leksikon yang dipakai 'netra scan'.\n";

static const char versions_usage[] = "Pemakaian: netra lexicon versions [--json]\n"
                                     "\n"
                                     "Daftar semua versi leksikon, terbaru dahulu.\n";

static const char show_usage[] = "Pemakaian: netra lexicon show [--entries] [VERSI]\n"
                                 "\n"
                                 "Ringkasan: versi, ambang, jumlah entri per jenis, aturan.\n"
                                 "--entries juga menampilkan setiap entri.\n";

static const char export_usage[] = "Pemakaian: netra lexicon export [--out BERKAS] [VERSI]\n"
                                   "\n"
                                   "Menulis JSON versi yang tersimpan (bawaan: yang aktif).\n";

static const char candidates_usage[] =
    "Pemakaian: netra lexicon import-candidates [OPSI] DCT.csv\n"
    "\n"
    "Membuat entri calon dari daftar calon tetap KPU (kolom level, kode_dapil,\n"
    "nama_dapil, nomor_urut_partai, nama_partai, nomor_urut, nama): gelar akademik\n"
    "dan keagamaan dihapus, cakupan wilayah mengikuti dapil, nama satu kata atau\n"
    "sangat umum diberi spesifisitas rendah. Entri impor sebelumnya untuk tingkat\n"
    "yang sama diganti. Hasilnya versi leksikon baru (belum aktif), atau berkas.\n"
    "\n"
    "Opsi:\n"
    "  --dapil BERKAS    tabel dapil -> wilayah (dapil_wilayah.json); tanpa ini\n"
    "                    setiap dapil dicakup provinsinya\n"
    "  --base VERSI      leksikon dasar: nomor versi atau berkas (bawaan: versi aktif,\n"
    "                    atau leksikon bawaan)\n"
    "  --out BERKAS      tulis leksikon hasil ke berkas, jangan simpan\n"
    "  --comment TEKS    komentar versi\n"
    "  --activate        langsung aktifkan versi baru\n";

static const char accounts_usage[] =
    "Pemakaian: netra lexicon import-accounts [OPSI] AKUN.csv\n"
    "\n"
    "Membuat entri akun kampanye (jenis campaign_account) dari daftar akun calon,\n"
    "partai, tim pemenangan dan relawan per platform (kolom platform, akun,\n"
    "kontestan, peran; platform mastodon, bluesky atau x; akun nama@server, handle\n"
    "atau DID, nama pengguna; kontestan id kontestan leksikon). Crawl mencatat akun\n"
    "yang diikuti pegawai; mengikuti akun ini masuk antrean (SKB 2022 bentuk 2,\n"
    "ENGAGE). Entri impor akun sebelumnya diganti. Hasilnya versi leksikon baru\n"
    "(belum aktif), atau berkas.\n"
    "\n"
    "Opsi:\n"
    "  --base VERSI      leksikon dasar: nomor versi atau berkas (bawaan: versi aktif,\n"
    "                    atau leksikon bawaan)\n"
    "  --out BERKAS      tulis leksikon hasil ke berkas, jangan simpan\n"
    "  --comment TEKS    komentar versi\n"
    "  --activate        langsung aktifkan versi baru\n";

static const char diff_usage[] = "Pemakaian: netra lexicon diff A B\n"
                                 "\n"
                                 "Perbedaan dari A ke B: entri, istilah, bobot, aturan, ambang.\n"
                                 "A dan B adalah nomor versi atau berkas JSON.\n";

/* A lexicon loaded from a version number or a file, with its JSON. */
struct loaded {
    struct nt_lex *lex;
    char *json;
    size_t len;
    int64_t version; /* 0 when it came from a file */
    char label[512];
};

static void loaded_release(struct loaded *l)
{
    nt_lex_free(l->lex);
    free(l->json);
    memset(l, 0, sizeof(*l));
}

static bool is_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static void print_errs(struct cli *c, const struct nt_diag_list *errs, const char *label)
{
    for (size_t i = 0; i < errs->count; i++) {
        struct nt_diag d = errs->items[i];
        char line[NT_DIAG_FILE_MAX + NT_DIAG_FIELD_MAX + NT_DIAG_MSG_MAX + 64];
        if (!d.file[0])
            snprintf(d.file, sizeof(d.file), "%s", label);
        cli_put_safe(c->err, nt_diag_format(&d, line, sizeof(line)));
        fputc('\n', c->err);
    }
    if (errs->dropped)
        fprintf(c->err, "netra: ... dan %zu kesalahan lain tidak ditampilkan\n", errs->dropped);
}

/* Parse and compile-check; `s` may be NULL when spec is a file. */
static int load(struct cli *c, struct nt_store *s, const char *spec, struct loaded *out)
{
    struct nt_diag_list errs;
    struct nt_diag d;
    int rc = CLI_FAIL;

    memset(out, 0, sizeof(*out));
    nt_diag_clear(&d);
    nt_diag_list_init(&errs, NT_LEX_MAX_ERRORS);
    if (spec && is_number(spec)) {
        int64_t id = strtoll(spec, NULL, 10);
        if (!s) {
            rc = cli_failf(c, "versi %s: basis data tidak terbuka", spec);
            goto out;
        }
        if (nt_lex_version_body(s, id, &out->json, &out->len, &out->version, &d) != NT_OK) {
            rc = cli_fail(c, &d);
            goto out;
        }
        snprintf(out->label, sizeof(out->label), "versi #%lld", (long long)out->version);
    } else if (!spec) {
        if (nt_lex_version_body(s, 0, &out->json, &out->len, &out->version, &d) != NT_OK) {
            rc = cli_fail(c, &d);
            goto out;
        }
        snprintf(out->label, sizeof(out->label), "versi #%lld", (long long)out->version);
    } else {
        struct nt_buf b;
        nt_buf_init(&b, NT_LEX_MAX_BYTES);
        if (nt_file_read(spec, &b, &d) != NT_OK) {
            nt_buf_release(&b);
            rc = cli_fail(c, &d);
            goto out;
        }
        out->json = nt_buf_detach(&b, &out->len);
        snprintf(out->label, sizeof(out->label), "%s", spec);
    }
    enum nt_err err = nt_lex_parse(out->label, out->json, out->len, &out->lex, &errs, &d);
    if (!err) {
        /* The matcher must be able to compile it too (terms that normalise
         * to nothing, patterns that cannot be combined). */
        struct nt_norm *norm = NULL;
        struct nt_matcher *m = NULL;
        err = nt_norm_new(&norm, &d);
        if (!err)
            err = nt_match_compile(out->lex, norm, &m, &errs, &d);
        nt_match_free(m);
        nt_norm_free(norm);
    }
    print_errs(c, &errs, out->label);
    if (err) {
        if (!d.file[0])
            nt_diag_at(&d, out->label, 0, NULL);
        rc = cli_fail(c, &d);
        goto out;
    }
    rc = CLI_OK;
out:
    nt_diag_list_release(&errs);
    if (rc != CLI_OK)
        loaded_release(out);
    return rc;
}

static void summary(struct cli *c, const struct loaded *l)
{
    const struct nt_lex *lex = l->lex;
    size_t per_kind[NT_LEX_KIND_COUNT] = { 0 };
    size_t terms = 0, patterns = 0, emoji = 0;
    for (size_t i = 0; i < lex->nentries; i++) {
        per_kind[lex->entries[i].kind]++;
        terms += lex->entries[i].nterms;
        patterns += lex->entries[i].npatterns;
        emoji += lex->entries[i].nemoji;
    }
    fputs("Leksikon ", c->out);
    cli_put_safe(c->out, l->label);
    fputs(": versi \"", c->out);
    cli_put_safe(c->out, lex->version);
    fputs("\", pemilu \"", c->out);
    cli_put_safe(c->out, lex->election);
    fprintf(c->out, "\"\nAmbang: review %g, priority %g\n", lex->review, lex->priority);
    fprintf(c->out, "Kontestan: %zu; entri: %zu (%zu istilah, %zu pola, %zu emoji); aturan: %zu\n",
            lex->ncontestants, lex->nentries, terms, patterns, emoji, lex->nrules);
    for (int k = 0; k < NT_LEX_KIND_COUNT; k++)
        if (per_kind[k])
            fprintf(c->out, "  %-18s %zu\n", nt_lex_kind_name((enum nt_lex_kind)k), per_kind[k]);
}

static int lexicon_validate(struct cli *c, int argc, char **argv)
{
    struct loaded l;
    if (argc != 2)
        return cli_usage_error(c, "lexicon validate", "sebutkan tepat satu berkas JSON");
    int rc = load(c, NULL, argv[1], &l);
    if (rc)
        return rc;
    summary(c, &l);
    fputs("Leksikon sah.\n", c->out);
    loaded_release(&l);
    return CLI_OK;
}

/* The version a lexicon import stores, for nt_doc_import_audited(). */
struct lex_add {
    const char *json;
    size_t len;
    const struct nt_lex *lex;
    const char *author, *comment;
    time_t now;
    bool activate;
};

static enum nt_err lex_add(struct nt_store *s, void *arg, int64_t *id, bool *active,
                           struct nt_diag *d)
{
    const struct lex_add *a = arg;
    return nt_lex_version_add(s, a->json, a->len, a->lex, a->author, a->comment, a->now,
                              a->activate, id, active, d);
}

static int lexicon_import(struct cli *c, int argc, char **argv)
{
    const char *comment;
    bool activate;
    int rc0 = cli_doc_import_opts(c, "lexicon import", argc, argv, &comment, &activate);
    if (rc0)
        return rc0;
    if (optind + 1 != argc)
        return cli_usage_error(c, "lexicon import", "sebutkan tepat satu berkas JSON");
    if (is_number(argv[optind]))
        return cli_usage_error(c, "lexicon import", "impor membutuhkan berkas JSON, bukan nomor");
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct loaded l;
    struct nt_user u = { 0 };
    bool audit = false;
    if (!cli_gate(c, s, NT_ROLE_ANALYST | NT_ROLE_ADMIN, "mengubah leksikon", &u, &audit)) {
        nt_store_close(s);
        return CLI_FAIL;
    }
    int rc = load(c, s, argv[optind], &l);
    if (rc == CLI_OK) {
        struct nt_diag d;
        int64_t id = 0;
        bool active = false;
        nt_diag_clear(&d);
        struct lex_add a = { l.json, l.len, l.lex, c->actor, comment, c->now, activate };
        if (nt_doc_import_audited(s, audit ? &u : NULL, NT_DOC_LEXICON, lex_add, &a, NULL, c->now,
                                  &id, &active, &d) != NT_OK) {
            rc = cli_fail(c, &d);
        } else {
            fprintf(c->out, "Versi leksikon #%lld (\"", (long long)id);
            cli_put_safe(c->out, l.lex->version);
            fprintf(c->out, "\", %zu entri, %zu aturan) disimpan%s.\n", l.lex->nentries,
                    l.lex->nrules,
                    active ? " dan aktif"
                           : "; belum aktif (uji dengan 'netra lexicon test', aktifkan dengan "
                             "'netra lexicon activate')");
            if (active)
                rc = cli_score_stored(c, s, NULL, NULL, false, true, NULL, NULL);
        }
    }
    loaded_release(&l);
    nt_user_release(&u);
    nt_store_close(s);
    return rc;
}

static const struct cli_doc lexicon_doc = { "mengubah leksikon", NT_DOC_LEXICON };

static int lexicon_activate(struct cli *c, int argc, char **argv)
{
    if (argc != 2 || !is_number(argv[1]))
        return cli_usage_error(c, "lexicon activate", "sebutkan nomor versi");
    char done[64];
    snprintf(done, sizeof(done), "Versi leksikon #%s aktif.\n", argv[1]);
    return cli_doc_activate(c, &lexicon_doc, strtoll(argv[1], NULL, 10), done);
}

struct vlist {
    struct cli_table *t;
    json_t *j;
};

static enum nt_err version_row(const struct nt_store_doc_version *v, void *ctx)
{
    struct vlist *l = ctx;
    if (l->j) {
        json_t *o =
            json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:b}", "id", (json_int_t)v->id, "version",
                      v->label, "sha256", v->sha256, "author", v->author, "comment", v->comment,
                      "created_at", v->created_at, "active", v->active);
        return o && !json_array_append_new(l->j, o) ? NT_OK : NT_ENOMEM;
    }
    char id[32], sha[16];
    snprintf(id, sizeof(id), "#%lld", (long long)v->id);
    snprintf(sha, sizeof(sha), "%.12s", v->sha256 ? v->sha256 : "");
    const char *cells[7] = { id,
                             v->label,
                             v->created_at,
                             v->author,
                             sha,
                             v->active ? "aktif" : "",
                             v->comment ? v->comment : "" };
    return cli_table_add(l->t, cells) ? NT_OK : NT_ENOMEM;
}

static int lexicon_versions(struct cli *c, int argc, char **argv)
{
    static const char *const headers[7] = { "ID",      "VERSI",  "WAKTU",   "PENULIS",
                                            "SHA-256", "STATUS", "KOMENTAR" };
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json))
        return cli_usage_error(c, "lexicon versions", "argumen tidak dikenal");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct vlist l = { 0 };
    struct nt_diag d;
    nt_diag_clear(&d);
    if (json)
        l.j = json_array();
    else
        l.t = cli_table_new(7, headers);
    int rc = CLI_OK;
    if (nt_lex_versions_each(s, version_row, &l, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else if (json)
        rc = cli_print_json(c, l.j);
    else if (cli_table_rows(l.t) == 0)
        fputs("Belum ada versi leksikon (impor dengan 'netra lexicon import').\n", c->out);
    else
        cli_table_print(l.t, c->out, 48);
    json_decref(l.j);
    cli_table_free(l.t);
    nt_store_close(s);
    return rc;
}

/* Open the store only when the spec needs it (a version number or none). */
static struct nt_store *store_for(struct cli *c, const char *spec, bool *failed)
{
    *failed = false;
    if (spec && !is_number(spec))
        return NULL;
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    *failed = s == NULL;
    return s;
}

static int lexicon_show(struct cli *c, int argc, char **argv)
{
    bool entries = false, failed;
    const char *spec = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--entries") == 0)
            entries = true;
        else if (!spec && argv[i][0] != '-')
            spec = argv[i];
        else
            return cli_usage_error(c, "lexicon show", "argumen \"%s\" tidak dikenal", argv[i]);
    }
    struct nt_store *s = store_for(c, spec, &failed);
    if (failed)
        return CLI_FAIL;
    struct loaded l;
    int rc = load(c, s, spec, &l);
    if (rc == CLI_OK) {
        summary(c, &l);
        if (entries) {
            static const char *const headers[6] = { "ID",      "JENIS",   "BOBOT",
                                                    "ISTILAH", "RUJUKAN", "CAKUPAN" };
            struct cli_table *t = cli_table_new(6, headers);
            for (size_t i = 0; t && i < l.lex->nentries; i++) {
                const struct nt_lex_entry *e = &l.lex->entries[i];
                char w[32], n[32];
                snprintf(w, sizeof(w), "%+g%s", e->weight, e->low_specificity ? " (low)" : "");
                snprintf(n, sizeof(n), "%zu", e->nterms + e->npatterns + e->nemoji);
                const char *cells[6] = {
                    e->id, nt_lex_kind_name(e->kind),         w,
                    n,     e->refers_to ? e->refers_to : "-", e->nscope ? e->scope[0] : "nasional"
                };
                cli_table_add(t, cells);
            }
            if (t)
                cli_table_print(t, c->out, 40);
            cli_table_free(t);
        }
    }
    loaded_release(&l);
    nt_store_close(s);
    return rc;
}

static int lexicon_export(struct cli *c, int argc, char **argv)
{
    const char *out = NULL, *spec = NULL;
    bool failed;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (!spec && is_number(argv[i]))
            spec = argv[i];
        else
            return cli_usage_error(c, "lexicon export", "argumen \"%s\" tidak dikenal", argv[i]);
    }
    struct nt_store *s = store_for(c, spec, &failed);
    if (failed)
        return CLI_FAIL;
    struct nt_diag d;
    char *json = NULL;
    size_t len = 0;
    int64_t id = 0;
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (nt_lex_version_body(s, spec ? strtoll(spec, NULL, 10) : 0, &json, &len, &id, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else {
        FILE *f = out ? fopen(out, "wb") : c->out;
        if (!f || fwrite(json, 1, len, f) != len || (out && fclose(f) != 0))
            rc = cli_failf(c, "%s: gagal menulis berkas", out ? out : "stdout");
        else if (out)
            fprintf(c->err, "Versi leksikon #%lld ditulis ke %s\n", (long long)id, out);
    }
    free(json);
    nt_store_close(s);
    return rc;
}

static int lexicon_diff(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_error(c, "lexicon diff", "sebutkan dua versi atau berkas");
    bool need = is_number(argv[1]) || is_number(argv[2]);
    struct nt_store *s = need ? cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES) : NULL;
    if (need && !s)
        return CLI_FAIL;
    struct loaded a, b;
    int rc = load(c, s, argv[1], &a);
    if (rc == CLI_OK) {
        rc = load(c, s, argv[2], &b);
        if (rc == CLI_OK) {
            struct nt_buf out;
            size_t n = 0;
            nt_buf_init(&out, (size_t)1 << 30);
            nt_lex_diff(a.lex, b.lex, &out, &n);
            cli_put_safe(c->out, "");
            fwrite(nt_buf_str(&out), 1, out.len, c->out);
            fprintf(c->out, "%zu perbedaan dari %s ke %s.\n", n, a.label, b.label);
            nt_buf_release(&out);
            loaded_release(&b);
        }
        loaded_release(&a);
    }
    nt_store_close(s);
    return rc;
}

/* import-candidates and import-accounts: a list merged into a base
 * lexicon, then stored as a new version (audited) or written to a file. */
static int import_list(struct cli *c, int argc, char **argv, const char *cmd, bool accounts)
{
    struct nt_user u = { 0 };
    bool audit = false;
    static const struct option longopts[] = {
        { "dapil", required_argument, NULL, 'd' }, { "base", required_argument, NULL, 'b' },
        { "out", required_argument, NULL, 'o' },   { "comment", required_argument, NULL, 'c' },
        { "activate", no_argument, NULL, 'a' },    { NULL, 0, NULL, 0 },
    };
    const char *dapil = NULL, *base = NULL, *outfile = NULL, *comment = NULL;
    bool activate = false;
    int opt, rc = CLI_FAIL;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            if (accounts)
                return cli_bad_option(c, cmd, argc, argv);
            dapil = optarg;
            break;
        case 'b':
            base = optarg;
            break;
        case 'o':
            outfile = optarg;
            break;
        case 'c':
            comment = optarg;
            break;
        case 'a':
            activate = true;
            break;
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, cmd, "sebutkan tepat satu berkas CSV");
    const char *csvpath = argv[optind];

    struct nt_store *s = NULL;
    struct loaded bl, result;
    struct nt_buf csv, dap;
    struct nt_diag_list errs;
    struct nt_diag d;
    char *merged = NULL, def[4096];
    memset(&bl, 0, sizeof(bl));
    memset(&result, 0, sizeof(result));
    nt_buf_init(&csv, (size_t)1 << 30);
    nt_buf_init(&dap, (size_t)1 << 28);
    nt_diag_list_init(&errs, NT_LEX_MAX_ERRORS);
    nt_diag_clear(&d);

    if (!outfile || (base && is_number(base))) {
        s = cli_open_store(c, NT_STORE_POSTGRES);
        if (!s || (!outfile && !cli_gate(c, s, NT_ROLE_ANALYST | NT_ROLE_ADMIN, "mengubah leksikon",
                                         &u, &audit)))
            goto out;
    }
    if (!base && s) {
        char *json;
        size_t len;
        int64_t id;
        if (nt_lex_version_body(s, 0, &json, &len, &id, &d) == NT_OK) {
            free(json);
            snprintf(def, sizeof(def), "%lld", (long long)id);
            base = def;
        }
    }
    if (!base) {
        snprintf(def, sizeof(def), "%s/lexicon/default-2024.json", c->datadir);
        base = def;
    }
    if (load(c, s, base, &bl) != CLI_OK)
        goto out;
    if (nt_file_read(csvpath, &csv, &d) != NT_OK || (dapil && nt_file_read(dapil, &dap, &d))) {
        rc = cli_fail(c, &d);
        goto out;
    }
    struct nt_lex_candidates_result res;
    struct nt_lex_accounts_result ar;
    enum nt_err err = accounts ? nt_lex_accounts_merge(bl.json, bl.len, csvpath, csv.data, csv.len,
                                                       &merged, &ar, &errs, &d)
                               : nt_lex_candidates_merge(bl.json, bl.len, csvpath, csv.data,
                                                         csv.len, dapil, dapil ? dap.data : NULL,
                                                         dap.len, &merged, &res, &errs, &d);
    print_errs(c, &errs, csvpath);
    if (err) {
        rc = cli_fail(c, &d);
        goto out;
    }
    if (accounts)
        fprintf(c->out,
                "Akun kampanye dari '%s': %zu baris; %zu entri dibuat, %zu entri impor "
                "sebelumnya diganti.\n",
                csvpath, ar.rows, ar.added, ar.replaced);
    else
        fprintf(c->out,
                "Calon dari '%s': %zu baris; %zu entri dibuat (%zu berspesifisitas rendah), %zu "
                "entri impor sebelumnya diganti.\n",
                csvpath, res.rows, res.added, res.low, res.replaced);
    if (outfile) {
        FILE *f = fopen(outfile, "wb");
        size_t n = strlen(merged);
        if (!f || fwrite(merged, 1, n, f) != n || fclose(f) != 0) {
            rc = cli_failf(c, "%s: gagal menulis berkas", outfile);
            goto out;
        }
        fprintf(c->out, "Leksikon hasil ditulis ke %s.\n", outfile);
        rc = CLI_OK;
        goto out;
    }
    /* Check the result as any import is checked, then store it. */
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "hasil %s", cmd + strlen("lexicon "));
    struct nt_lex *lex = NULL;
    nt_diag_list_release(&errs);
    nt_diag_list_init(&errs, NT_LEX_MAX_ERRORS);
    if (nt_lex_parse(tmp, merged, strlen(merged), &lex, &errs, &d) != NT_OK) {
        print_errs(c, &errs, tmp);
        rc = cli_fail(c, &d);
        goto out;
    }
    int64_t id;
    bool active = false;
    struct lex_add a = {
        merged, strlen(merged), lex, c->actor, comment ? comment : cmd + strlen("lexicon "),
        c->now, activate
    };
    if (nt_doc_import_audited(s, audit ? &u : NULL, NT_DOC_LEXICON, lex_add, &a, NULL, c->now, &id,
                              &active, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else {
        fprintf(c->out, "Versi leksikon #%lld disimpan (%zu entri)%s.\n", (long long)id,
                lex->nentries, active ? " dan aktif" : "; belum aktif");
        rc = CLI_OK;
    }
    nt_lex_free(lex);
out:
    free(merged);
    loaded_release(&bl);
    loaded_release(&result);
    nt_buf_release(&csv);
    nt_buf_release(&dap);
    nt_diag_list_release(&errs);
    nt_user_release(&u);
    nt_store_close(s);
    return rc;
}

static int lexicon_candidates(struct cli *c, int argc, char **argv)
{
    return import_list(c, argc, argv, "lexicon import-candidates", false);
}

static int lexicon_accounts(struct cli *c, int argc, char **argv)
{
    return import_list(c, argc, argv, "lexicon import-accounts", true);
}

int cmd_lexicon(struct cli *c, int argc, char **argv)
{
    static const struct cli_cmd subs[] = {
        { "validate", lexicon_validate, "periksa", validate_usage, false },
        { "import", lexicon_import, "simpan versi", import_usage, false },
        { "activate", lexicon_activate, "aktifkan versi", activate_usage, false },
        { "versions", lexicon_versions, "daftar versi", versions_usage, false },
        { "show", lexicon_show, "ringkasan", show_usage, false },
        { "export", lexicon_export, "ekspor", export_usage, false },
        { "diff", lexicon_diff, "perbedaan", diff_usage, false },
        { "test", cmd_lexicon_test, "uji draf", cmd_lexicon_test_usage, false },
        { "import-candidates", lexicon_candidates, "entri calon dari DCT KPU", candidates_usage,
          false },
        { "import-accounts", lexicon_accounts, "akun kampanye per platform", accounts_usage,
          false },
    };
    return cli_dispatch(c, "lexicon", cmd_lexicon_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
