/*
 * cmd_match.c - `netra match`: score text or NDJSON posts against a lexicon
 * and explain every hit. For analysts trying a lexicon and for tests; the
 * stored-post pipeline (`netra scan`) uses the same matcher.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "db.h"
#include "date.h"
#include "engine.h"
#include "hash.h"
#include "ocr.h"
#include "region.h"
#include "utf8.h"

#define MAX_POST_LINE (4u * 1024 * 1024)

const char cmd_match_usage[] =
    "Pemakaian: netra match (--text TEKS | --file POSTS.ndjson | --paragraphs TEKS.txt |\n"
    "                        --image GAMBAR) [OPSI]\n"
    "\n"
    "Menilai teks atau unggahan dengan leksikon dan menjelaskan setiap temuan:\n"
    "entri leksikon mana yang cocok dengan bagian teks asli mana (posisi byte),\n"
    "aturan mana yang berlaku, skor, kategori pelanggaran SKB 2022, kontestan yang\n"
    "dirujuk, lalu sikap penulis menurut model (berpihak mendukung/menentang atau\n"
    "tidak, dengan fitur yang paling menentukan). Tingkat (none, review, priority)\n"
    "datang dari keduanya: unggahan tanpa kontestan atau kosakata pemilu tetap none,\n"
    "dan unggahan yang menurut model tidak berpihak tetap none.\n"
    "\n"
    "Berkas NDJSON: satu objek JSON per baris dengan \"text\" (wajib) dan \"id\",\n"
    "serta opsional \"platform\", \"created_at\", \"type\", \"author\", \"url\",\n"
    "\"region\" (wilayah pegawai, menggantikan --region untuk baris itu).\n"
    "Baris yang rusak dilaporkan (BERKAS:BARIS: kolom: alasan) dan dilewati.\n"
    "\n"
    "Opsi:\n"
    "  --text TEKS        nilai satu teks\n"
    "  --file BERKAS      nilai unggahan dari NDJSON (\"-\" untuk stdin)\n"
    "  --paragraphs BERKAS  nilai setiap paragraf berkas teks biasa sebagai satu unggahan\n"
    "  --image GAMBAR     baca teks dalam gambar (PNG, JPEG, GIF, WebP, BMP, TIFF; sampai\n"
    "                     20 MiB dan 40 juta piksel) dengan Tesseract (bahasa Indonesia dan\n"
    "                     Inggris), lalu nilai teks itu; setiap temuan menyebut barisnya\n"
    "  --lexicon BERKAS   leksikon JSON (bawaan: versi aktif di basis data, atau\n"
    "                     leksikon bawaan Netra bila basis data belum ada)\n"
    "  --region KODE      wilayah pegawai: hanya entri yang berlaku di sana\n"
    "  --slang BERKAS     kamus slang CSV (kolom slang,formal)\n"
    "  --model BERKAS     model sikap (bawaan: versi aktif di basis data, atau model\n"
    "                     bawaan Netra); \"none\" untuk leksikon saja\n"
    "  --json             keluaran JSON, satu objek per baris (bawaan: ringkasan)\n";

/* Where the stages come from for this invocation: the database's active
 * versions when the database exists, else the bundled files. */
static struct nt_store *src_for(struct cli *c, struct nt_detect_src *src, char *lex, char *model,
                                size_t n)
{
    struct nt_store *s = NULL;
    struct nt_diag d;
    memset(src, 0, sizeof(*src));
    snprintf(lex, n, "%s/lexicon/default-2024.json", c->datadir);
    snprintf(model, n, "%s/model/stance-default.bin", c->datadir);
    src->bundled_lexicon = lex;
    src->bundled_model = model;
    /* A PostgreSQL store: its active versions (a store that cannot be
     * opened has none, and the scorer then scores nothing). */
    bool pg = nt_db_is_postgres(c->db_path);
    if ((pg || access(c->db_path, R_OK) == 0) &&
        nt_store_open(c->db_path, NT_STORE_READONLY | NT_STORE_POSTGRES, &s, &d) != NT_OK)
        s = NULL; /* not a database yet: the bundled files */
    src->store = s;
    return s;
}

int cli_engine_load(struct cli *c, const char *lexicon, const char *slang, struct nt_detect *e)
{
    char lex[4096], model[4096];
    struct nt_detect_src src;
    struct nt_diag_list errs;
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_diag_list_init(&errs, NT_LEX_MAX_ERRORS);
    struct nt_store *s = src_for(c, &src, lex, model, sizeof(lex));
    src.lexicon = lexicon;
    src.slang = slang;
    enum nt_err err = nt_detect_load_lexicon(e, &src, &errs, &d);
    cli_print_diags(c, &errs, lexicon ? lexicon : slang);
    nt_diag_list_release(&errs);
    nt_store_close(s);
    return err ? cli_fail(c, &d) : CLI_OK;
}

int cli_engine_load_model(struct cli *c, const char *path, struct nt_detect *e)
{
    char lex[4096], model[4096];
    struct nt_detect_src src;
    struct nt_diag d;
    nt_diag_clear(&d);
    struct nt_store *s = src_for(c, &src, lex, model, sizeof(lex));
    src.model = path;
    enum nt_err err = nt_detect_load_model(e, &src, &d);
    nt_store_close(s);
    return err ? cli_fail(c, &d) : CLI_OK;
}

/* Human-readable summary: level, score, categories, hits with the original text. */
static void print_summary(struct cli *c, const struct nt_detect *e, json_t *id,
                          const struct nt_detect_verdict *v, const char *text, size_t len)
{
    const struct nt_result *r = v->r;
    const struct nt_lex *lex = e->lex;
    if (id) {
        char *s = json_dumps(id, JSON_ENCODE_ANY);
        fputs("id ", c->out);
        cli_put_safe(c->out, s ? s : "?");
        fputs(": ", c->out);
        free(s);
    }
    fprintf(c->out, "tingkat %s, skor leksikon %.1f", nt_level_name(v->level), r->score);
    if (v->have_stance && v->st.skipped)
        fputs(", sikap tidak dinilai (tidak menyebut kontestan)", c->out);
    else if (v->have_stance)
        fprintf(c->out, ", sikap %s (peluang berpihak %.2f)", nt_stance_side_name(v->st.side),
                v->st.p_side);
    for (size_t i = 0; i < r->ncategories; i++)
        fprintf(c->out, "%s%s", i ? ", " : "; kategori ", r->categories[i]);
    for (size_t i = 0; i < r->ncontestants; i++)
        fprintf(c->out, "%s%s", i ? ", " : "; kontestan ", lex->contestants[r->contestants[i]].id);
    fputc('\n', c->out);
    for (size_t i = 0; i < r->nhits; i++) {
        const struct nt_hit *h = &r->hits[i];
        const struct nt_lex_entry *en = &lex->entries[h->entry];
        char frag[256];
        size_t n = h->end - h->start < sizeof(frag) - 1 ? h->end - h->start : sizeof(frag) - 1;
        memcpy(frag, text + h->start, n);
        frag[n] = '\0';
        fprintf(c->out, "  [%u-%u] \"", h->start, h->end);
        cli_put_safe(c->out, frag);
        fprintf(c->out, "\" -> %s (%s, bobot %+.1f)%s\n", en->id, nt_lex_kind_label(en->kind),
                en->weight, h->counted ? "" : " tidak dihitung: perlu bukti lain");
    }
    for (size_t i = 0; i < r->nfired; i++) {
        const struct nt_lex_rule *rule = &lex->rules[r->fired[i].rule];
        fprintf(c->out, "  aturan %s -> %s (%+.1f)\n", rule->id, rule->category, rule->score);
    }
    if (v->have_stance) {
        json_t *ex = nt_stance_explain(e->model, &e->names, &v->st, 6);
        cli_put_evidence(c, ex ? json_object_get(ex, "evidence") : NULL, 6, "  sikap: ");
        json_decref(ex);
    }
    (void)len;
}

/* One explanation as one compact JSON line (o is released; NULL: out of
 * memory). */
static int print_line(struct cli *c, json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!s)
        return cli_failf(c, "memori tidak cukup");
    fputs(s, c->out);
    fputc('\n', c->out);
    free(s);
    return CLI_OK;
}

static int score_one(struct cli *c, struct nt_detect *e, bool json, json_t *id, const char *text,
                     size_t len, const char *region, time_t at)
{
    struct nt_detect_verdict v;
    struct nt_scan_ctx ctx = { region, at };
    if (nt_detect_score(e, text, len, &ctx, true, &v) != NT_OK)
        return cli_failf(c, "memori tidak cukup saat menilai teks");
    if (!json) {
        print_summary(c, e, id, &v, text, len);
        return CLI_OK;
    }
    json_t *o = nt_detect_explain(e, &v, text, len);
    if (!o)
        return cli_failf(c, "memori tidak cukup");
    json_object_set(o, "id", id ? id : json_null());
    return print_line(c, o);
}

static int score_file(struct cli *c, struct nt_detect *e, bool json, const char *path,
                      const char *region)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0, bad = 0, good = 0;
    unsigned long lineno = 0;
    ssize_t n;
    int rc = CLI_OK;

    if (!f)
        return cli_failf(c, "%s: tidak dapat membuka berkas", path);
    while ((n = getline(&line, &cap, f)) != -1) {
        lineno++;
        if ((size_t)n > MAX_POST_LINE) {
            cli_line_error(c, path, lineno, NULL, "baris lebih dari 4 MiB");
            bad++;
            continue;
        }
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t sp = 0;
        while (sp < len && (line[sp] == ' ' || line[sp] == '\t'))
            sp++;
        if (sp == len)
            continue;
        json_error_t jerr;
        json_t *post = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!post || !json_is_object(post)) {
            char msg[300];
            snprintf(msg, sizeof(msg), "JSON tidak sah: %s", post ? "harus objek" : jerr.text);
            cli_line_error(c, path, lineno, NULL, msg);
            json_decref(post);
            bad++;
            continue;
        }
        json_t *text = json_object_get(post, "text"), *id = json_object_get(post, "id");
        json_t *created = json_object_get(post, "created_at");
        json_t *jregion = json_object_get(post, "region");
        char pregion[NT_REGION_MAX];
        const char *use_region = region;
        time_t at = 0;
        if (!json_is_string(text)) {
            cli_line_error(c, path, lineno, "text", text ? "harus teks" : "wajib diisi");
            bad++;
        } else if (id && !json_is_string(id) && !json_is_integer(id)) {
            cli_line_error(c, path, lineno, "id", "harus teks atau bilangan bulat");
            bad++;
        } else if (created &&
                   (!json_is_string(created) || !nt_time_parse(json_string_value(created), &at))) {
            cli_line_error(c, path, lineno, "created_at",
                           "harus waktu UTC YYYY-MM-DDTHH:MM:SSZ atau tanggal YYYY-MM-DD");
            bad++;
        } else if (jregion &&
                   (!json_is_string(jregion) ||
                    nt_region_parse(json_string_value(jregion), pregion, NULL) != NT_OK)) {
            cli_line_error(c, path, lineno, "region", "harus kode wilayah (mis. 76 atau 76.04)");
            bad++;
        } else {
            if (jregion)
                use_region = pregion;
            rc = score_one(c, e, json, id, json_string_value(text), json_string_length(text),
                           use_region, at);
            good++;
        }
        json_decref(post);
        if (rc != CLI_OK)
            break;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (rc == CLI_OK && bad) {
        fprintf(c->err, "netra: %s: %zu baris dilewati karena rusak, %zu dinilai\n", path, bad,
                good);
        rc = CLI_FAIL;
    }
    return rc;
}

/* Each paragraph (blank-line separated) of a plain text file is one post,
 * with id "FILE:LINE" of the line it starts on. */
static int score_paragraphs(struct cli *c, struct nt_detect *e, bool json, const char *path,
                            const char *region)
{
    struct nt_buf buf;
    struct nt_diag d;
    int rc = CLI_OK;
    nt_buf_init(&buf, NT_LEX_MAX_BYTES);
    nt_diag_clear(&d);
    if (nt_file_read(path, &buf, &d) != NT_OK) {
        nt_buf_release(&buf);
        return cli_fail(c, &d);
    }
    size_t bad;
    if (!nt_utf8_valid(buf.data, buf.len, &bad)) {
        nt_buf_release(&buf);
        return cli_failf(c, "%s: bukan UTF-8 yang sah (byte ke-%zu)", path, bad + 1);
    }
    const char *p = buf.data, *end = buf.data + buf.len;
    unsigned long line = 1;
    while (p < end && rc == CLI_OK) {
        /* Skip blank lines. */
        const char *q = p;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < end && *q == '\n') {
            p = q + 1;
            line++;
            continue;
        }
        if (q >= end)
            break;
        /* The paragraph runs to the next blank line. */
        const char *start = p;
        unsigned long first = line;
        for (;;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                p = end;
                break;
            }
            p = nl + 1;
            line++;
            const char *r = p;
            while (r < end && (*r == ' ' || *r == '\t' || *r == '\r'))
                r++;
            if (r >= end || *r == '\n')
                break;
        }
        char idbuf[NT_DIAG_FILE_MAX + 32];
        snprintf(idbuf, sizeof(idbuf), "%s:%lu", path, first);
        json_t *id = json_string(idbuf);
        rc = score_one(c, e, json, id, start, (size_t)(p - start), region, 0);
        json_decref(id);
    }
    nt_buf_release(&buf);
    return rc;
}

/* `--image`: the text Tesseract reads in the image, scored like a caption;
 * each hit says it came from the image, and from which line. */
static int score_image(struct cli *c, struct nt_detect *e, bool json, const char *path,
                       const char *region)
{
    struct nt_buf buf;
    struct nt_diag d;
    nt_diag_clear(&d);
    nt_buf_init(&buf, (size_t)20 << 20);
    if (nt_file_read(path, &buf, &d) != NT_OK) {
        nt_buf_release(&buf);
        return cli_fail(c, &d);
    }
    struct nt_ocr *o = NULL;
    struct nt_ocr_result res;
    enum nt_err err = nt_ocr_new(NULL, "ind+eng", &o, &d);
    if (!err)
        err = nt_ocr_image(o, buf.data, buf.len, NULL, &res, &d);
    nt_ocr_free(o);
    char sha[65];
    nt_sha256_hex(buf.data, buf.len, sha);
    nt_buf_release(&buf);
    if (err) {
        if (!d.file[0])
            nt_diag_at(&d, path, 0, NULL);
        return cli_fail(c, &d);
    }
    struct nt_detect_verdict v;
    struct nt_scan_ctx ctx = { region, 0 };
    if (nt_detect_score(e, res.text, res.len, &ctx, true, &v) != NT_OK) {
        nt_ocr_result_release(&res);
        return cli_failf(c, "memori tidak cukup saat menilai teks");
    }
    if (!json) {
        fprintf(c->out, "Teks dalam gambar %s (%s %dx%d, %zu baris%s):\n", path, res.format,
                res.width, res.height, res.nlines,
                res.timed_out ? ", waktu baca habis: sebagian" : "");
        for (size_t i = 0; i < res.nlines; i++) {
            fprintf(c->out, "  %zu: ", i + 1);
            cli_put_safe(c->out, res.lines[i].text);
            fputc('\n', c->out);
        }
        print_summary(c, e, NULL, &v, res.text, res.len);
        nt_ocr_result_release(&res);
        return CLI_OK;
    }
    json_t *ex = nt_detect_explain(e, &v, res.text, res.len);
    json_t *lines = json_array();
    for (size_t i = 0; lines && i < res.nlines; i++) {
        const struct nt_ocr_line *l = &res.lines[i];
        json_array_append_new(lines, json_pack("{s:s, s:[i, i, i, i], s:f}", "text", l->text, "box",
                                               l->left, l->top, l->right, l->bottom, "confidence",
                                               (double)l->confidence));
    }
    json_t *hits = ex ? json_object_get(ex, "hits") : NULL;
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *h = json_array_get(hits, i);
        size_t start = (size_t)json_integer_value(json_object_get(h, "start"));
        json_object_set_new(h, "source", json_string("teks dalam gambar"));
        json_object_set_new(h, "line", json_integer((json_int_t)nt_ocr_line_of(&res, start) + 1));
    }
    if (ex && lines) {
        json_object_set_new(ex, "source", json_string("teks dalam gambar"));
        json_object_set_new(ex, "text", json_stringn(res.text, res.len));
        json_object_set_new(ex, "image",
                            json_pack("{s:s, s:s, s:i, s:i, s:b, s:o}", "file", path, "sha256", sha,
                                      "width", res.width, "height", res.height, "timed_out",
                                      res.timed_out, "lines", json_incref(lines)));
        json_object_set_new(ex, "image_format", json_string(res.format));
    }
    if (!lines) {
        json_decref(ex);
        ex = NULL;
    }
    json_decref(lines);
    nt_ocr_result_release(&res);
    return print_line(c, ex);
}

int cmd_match(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "text", required_argument, NULL, 't' },       { "file", required_argument, NULL, 'f' },
        { "lexicon", required_argument, NULL, 'l' },    { "region", required_argument, NULL, 'r' },
        { "slang", required_argument, NULL, 's' },      { "json", no_argument, NULL, 'j' },
        { "paragraphs", required_argument, NULL, 'p' }, { "model", required_argument, NULL, 'm' },
        { "image", required_argument, NULL, 'i' },      { NULL, 0, NULL, 0 },
    };
    const char *text = NULL, *file = NULL, *paras = NULL, *lexicon = NULL, *slang = NULL,
               *model = NULL, *image = NULL;
    char region[NT_REGION_MAX];
    bool json = false, have_region = false;
    int opt;

    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        struct nt_diag d;
        switch (opt) {
        case 't':
            text = optarg;
            break;
        case 'f':
            file = optarg;
            break;
        case 'p':
            paras = optarg;
            break;
        case 'l':
            lexicon = optarg;
            break;
        case 's':
            slang = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'm':
            model = optarg;
            break;
        case 'i':
            image = optarg;
            break;
        case 'r':
            nt_diag_clear(&d);
            if (nt_region_parse(optarg, region, &d) != NT_OK)
                return cli_usage_error(c, "match", "--region: %s", d.msg);
            have_region = true;
            break;
        default:
            return cli_bad_option(c, "match", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "match", "argumen \"%s\" tidak dikenal", argv[optind]);
    if ((text != NULL) + (file != NULL) + (paras != NULL) + (image != NULL) != 1)
        return cli_usage_error(c, "match",
                               "pakai tepat satu dari --text, --file, --paragraphs, atau --image");
    if (text && !nt_utf8_valid(text, strlen(text), NULL))
        return cli_usage_error(c, "match", "--text bukan UTF-8 yang sah");
    if (image)
        cli_openmp_single(c);

    struct nt_detect e;
    int rc = cli_engine_load(c, lexicon, slang, &e);
    if (rc)
        return rc;
    rc = cli_engine_load_model(c, model, &e);
    if (rc) {
        nt_detect_release(&e);
        return rc;
    }
    if (text)
        rc = score_one(c, &e, json, NULL, text, strlen(text), have_region ? region : NULL, 0);
    else if (file)
        rc = score_file(c, &e, json, file, have_region ? region : NULL);
    else if (image)
        rc = score_image(c, &e, json, image, have_region ? region : NULL);
    else
        rc = score_paragraphs(c, &e, json, paras, have_region ? region : NULL);
    nt_detect_release(&e);
    return rc;
}
