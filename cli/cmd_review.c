/*
 * cmd_review.c - `netra queue` (the reviewer's list) and `netra review`
 * (show, claim, decide one item).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"

const char cmd_queue_usage[] =
    "Pemakaian: netra queue [OPSI]\n"
    "\n"
    "Butir yang menunggu tinjauan di instansi Anda, prioritas tertinggi dahulu\n"
    "(tingkat, skor, beratnya kategori SKB dan lamanya menunggu).\n"
    "\n"
    "Opsi:\n"
    "  --agency INSTANSI    --category KODE    --level review|priority\n"
    "  --platform NAMA      --from TANGGAL     --to TANGGAL (tanggal unggah)\n"
    "  --assignee NAMA      butir yang diklaim pengguna ini\n"
    "  --status STATUS      pending, awaiting_second, escalated, confirmed, dismissed\n"
    "  --search KATA        cari di teks unggahan, nama atau NIP pegawai\n"
    "  --limit N            banyaknya baris (bawaan 50)   --offset N\n"
    "  --after TOKEN        halaman sesudah token \"next\" halaman sebelumnya\n"
    "  --json               keluaran JSON\n";

const char cmd_review_usage[] =
    "Pemakaian: netra review SUBPERINTAH ID ...\n"
    "\n"
    "Subperintah:\n"
    "  show ID [--json]     unggahan dengan temuan ditandai, penjelasan skor, bukti,\n"
    "                       pegawai (pseudonim bila diatur) dan butir lain pegawai itu\n"
    "  claim ID             mengambil butir untuk sementara (bawaan 30 menit)\n"
    "  decide ID --decision confirm|dismiss|escalate [--category KODE]\n"
    "            [--reason-code berita|netral|bukan_akun|candaan|lainnya] [--reason TEKS]\n"
    "  undo ID              membatalkan keputusan Anda sendiri yang terakhir atas butir\n"
    "                       itu, paling lambat 2 menit sesudahnya (tercatat di audit)\n"
    "\n"
    "Dengan prinsip empat mata (netra config set four_eyes yes), konfirmasi pertama\n"
    "menunggu persetujuan peninjau kedua sebelum menjadi temuan.\n";

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "-";
}

static void put(struct cli *c, const char *label, const char *value)
{
    fprintf(c->out, "%s", label);
    cli_put_safe(c->out, value ? value : "-");
    fputc('\n', c->out);
}

int cmd_queue(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "agency", required_argument, NULL, 'a' },   { "category", required_argument, NULL, 'c' },
        { "level", required_argument, NULL, 'l' },    { "platform", required_argument, NULL, 'p' },
        { "from", required_argument, NULL, 'f' },     { "to", required_argument, NULL, 't' },
        { "assignee", required_argument, NULL, 'u' }, { "status", required_argument, NULL, 's' },
        { "limit", required_argument, NULL, 'n' },    { "offset", required_argument, NULL, 'o' },
        { "search", required_argument, NULL, 'q' },   { "after", required_argument, NULL, 'A' },
        { "json", no_argument, NULL, 'j' },           { NULL, 0, NULL, 0 },
    };
    struct nt_queue_filter f = { 0 };
    bool json = false;
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int64_t n = 0;
        switch (opt) {
        case 'a':
            f.agency = optarg;
            break;
        case 'c':
            f.category = optarg;
            break;
        case 'l':
            f.level = optarg;
            break;
        case 'p':
            f.platform = optarg;
            break;
        case 'f':
            f.from = optarg;
            break;
        case 't':
            f.to = optarg;
            break;
        case 'u':
            f.assignee = optarg;
            break;
        case 's':
            f.status = optarg;
            break;
        case 'q':
            f.search = optarg;
            break;
        case 'A':
            f.after = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'n':
        case 'o':
            if (!cli_parse_id(optarg, &n) && strcmp(optarg, "0") != 0)
                return cli_usage_error(c, "queue", "--%s harus bilangan",
                                       opt == 'n' ? "limit" : "offset");
            if (opt == 'n')
                f.limit = (size_t)n;
            else
                f.offset = (size_t)n;
            break;
        default:
            return cli_bad_option(c, "queue", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "queue", "argumen \"%s\" tidak dikenal", argv[optind]);
    /* NETRA_SEARCH: how a search reads the items (README). */
    const char *way = getenv("NETRA_SEARCH");
    if (way && *way) {
        if (strcmp(way, "indeks") == 0)
            f.search_way = NT_SEARCH_INDEX;
        else if (strcmp(way, "pindai") == 0)
            f.search_way = NT_SEARCH_SCAN;
        else
            return cli_usage_error(
                c, "queue", "NETRA_SEARCH \"%s\" tidak dikenal; pilihan: indeks, pindai", way);
    }
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_READONLY | NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_queue_list(ss.s, NULL, ss.u, &f, c->now, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (json) {
        rc = cli_print_json(c, ss.out);
    } else {
        json_t *rows = json_array(), *it;
        size_t i;
        json_array_foreach(json_object_get(ss.out, "items"), i, it)
        {
            char prio[32], date[11] = "-";
            const char *lv = nt_label("level", str(it, "level")),
                       *stt = nt_label("status", str(it, "status"));
            snprintf(prio, sizeof(prio), "%.0f",
                     json_number_value(json_object_get(it, "priority")));
            snprintf(date, sizeof(date), "%s", str(it, "posted_at"));
            json_array_append_new(rows,
                                  json_pack("[I, s, s, s, s, s, s, s, s, s]",
                                            json_integer_value(json_object_get(it, "id")), prio,
                                            lv ? lv : str(it, "level"), str(it, "category"),
                                            stt ? stt : str(it, "status"), str(it, "agency"),
                                            str(it, "employee"), date, str(it, "claimed_by"),
                                            str(it, "excerpt")));
        }
        json_t *cols =
            json_pack("[s, s, s, s, s, s, s, s, s, s]", "ID", "PRIORITAS", "TINGKAT", "KATEGORI",
                      "STATUS", "INSTANSI", "PEGAWAI", "TANGGAL", "KLAIM", "CUPLIKAN");
        fprintf(c->out, "Antrean: %s%lld butir menunggu",
                json_is_true(json_object_get(ss.out, "total_more")) ? "lebih dari " : "",
                (long long)json_integer_value(json_object_get(ss.out, "total")));
        fprintf(c->out, "%s\n", json_array_size(rows) ? ":" : ".");
        if (json_array_size(rows))
            rc = cli_print_grid(c, cols, rows, "table");
        const char *next = str(ss.out, "next");
        if (rc == CLI_OK && strcmp(next, "-") != 0)
            fprintf(c->out,
                    "Halaman berikutnya: netra queue --after %s (dengan filter yang sama)\n", next);
        json_decref(cols);
        json_decref(rows);
    }
    return cli_session_close(&ss, rc);
}

/* The post text with each hit between [[ and ]] (overlaps left unmarked). */
static void mark_piece(void *user, const char *p, size_t n, bool hit)
{
    struct cli *c = user;
    char *t = strndup(p, n);
    if (hit)
        fputs("[[", c->out);
    if (t)
        cli_put_safe(c->out, t);
    if (hit)
        fputs("]]", c->out);
    free(t);
}

static void print_marked(struct cli *c, const char *text, json_t *hits)
{
    fputs("  ", c->out);
    nt_text_marks(text, hits, mark_piece, c);
    fputc('\n', c->out);
}

/* What the post carried: each attachment's kind and state, its file's
 * hash, its alt text and the text read in its image, hits marked. */
static void print_media(struct cli *c, json_t *o)
{
    json_t *hits = json_object_get(o, "hits"), *m;
    size_t i;
    if (json_array_size(json_object_get(o, "media")))
        fputs("\nLampiran:\n", c->out);
    json_array_foreach(json_object_get(o, "media"), i, m)
    {
        json_t *f = json_object_get(m, "file");
        int64_t aid = json_integer_value(json_object_get(m, "id"));
        fprintf(c->out, "  lampiran %lld: %s, %s", (long long)aid,
                cli_word("media_kind", m, "kind"), cli_word("media_state", m, "state"));
        if (json_is_string(json_object_get(m, "error"))) {
            fputs(" (", c->out);
            cli_put_safe(c->out, str(m, "error"));
            fputc(')', c->out);
        }
        fputc('\n', c->out);
        if (json_is_object(f))
            fprintf(c->out, "    berkas %s, %lld bita, SHA-256 %s\n", str(f, "mime"),
                    (long long)json_integer_value(json_object_get(f, "size")), str(f, "sha256"));
        if (json_is_string(json_object_get(m, "alt"))) {
            fputs("    teks alternatif: ", c->out);
            nt_text_marks_part(str(m, "alt"), hits, "alt", aid, mark_piece, c);
            fputc('\n', c->out);
        }
        const char *ocr = json_string_value(json_object_get(f, "ocr_text"));
        if (ocr && *ocr) {
            fputs("    teks dalam gambar:\n    ", c->out);
            nt_text_marks_part(ocr, hits, "ocr", aid, mark_piece, c);
            fputc('\n', c->out);
        }
    }
}

static void print_item(struct cli *c, json_t *o)
{
    json_t *p = json_object_get(o, "post"), *ev = json_object_get(o, "evidence");
    json_t *sc = json_object_get(o, "score"), *e = json_object_get(o, "employee");
    json_t *claim = json_object_get(o, "claim"), *x;
    size_t i;
    const char *region = json_string_value(json_object_get(e, "region"));
    char t1[40], t2[40];
    fprintf(c->out, "Butir #%lld  tingkat %s  kategori %s  status %s  prioritas %.0f\n",
            (long long)json_integer_value(json_object_get(o, "id")), cli_word("level", o, "level"),
            str(o, "category"), cli_word("status", o, "status"),
            json_number_value(json_object_get(o, "priority")));
    if (json_is_object(claim))
        fprintf(c->out, "Diklaim %s sampai %s\n", str(claim, "user"), str(claim, "until"));
    if (json_is_true(json_object_get(e, "hidden"))) {
        put(c, "Pegawai:    ", str(e, "pseudonym"));
        fprintf(c->out, "            (identitas disembunyikan sampai dikonfirmasi atau "
                        "dieskalasi)\n");
    } else {
        fprintf(c->out, "Pegawai:    ");
        cli_put_safe(c->out, str(e, "name"));
        fprintf(c->out, " (NIP %s), %s, %s\n", str(e, "nip"), str(e, "position"),
                str(e, "work_unit"));
    }
    put(c, "Instansi:   ", str(e, "agency"));
    fprintf(c->out, "Unggahan:   %s di %s, ", cli_word("interaction", p, "interaction"),
            cli_word("platform", p, "platform"));
    cli_put_safe(c->out, str(p, "account"));
    fprintf(c->out, ", diunggah %s%s\n", cli_time(p, "posted_at", region, t1, sizeof(t1)),
            json_is_string(json_object_get(p, "deleted_at")) ? " (sudah dihapus pemiliknya)" : "");
    put(c, "URL:        ", str(p, "url"));
    fprintf(c->out, "Bukti:      diambil %s, SHA-256 %s (%lld bita asli)\n",
            cli_time(ev, "fetched_at", NULL, t2, sizeof(t2)), str(ev, "raw_sha256"),
            (long long)json_integer_value(json_object_get(ev, "raw_bytes")));
    put(c, "Diambil dari: ", str(ev, "request_url"));
    fprintf(c->out, "\nTeks (temuan di antara [[ ]]):\n");
    print_marked(c, str(p, "text"), json_object_get(o, "hits"));
    print_media(c, o);
    fprintf(c->out, "\nSkor %.1f (%s) dengan leksikon ",
            json_number_value(json_object_get(sc, "score")), cli_word("level", sc, "level"));
    cli_put_safe(c->out, str(sc, "lexicon_label"));
    fputs(":\n", c->out);
    json_array_foreach(json_object_get(o, "hits"), i, x)
    {
        fprintf(c->out, "  temuan %-24s %-16s \"", str(x, "entry"), cli_word("kind", x, "kind"));
        cli_put_safe(c->out, str(x, "match"));
        fprintf(c->out, "\" bita %lld-%lld bobot %.1f",
                (long long)json_integer_value(json_object_get(x, "start")),
                (long long)json_integer_value(json_object_get(x, "end")),
                json_number_value(json_object_get(x, "weight")));
        if (json_is_string(json_object_get(x, "source"))) {
            fprintf(c->out, " (%s, lampiran %lld", cli_word("source", x, "source"),
                    (long long)json_integer_value(json_object_get(x, "attachment")));
            if (!strcmp(str(x, "source"), "ocr"))
                fprintf(c->out, ", baris %lld",
                        (long long)json_integer_value(json_object_get(x, "line")));
            fputc(')', c->out);
        }
        fputc('\n', c->out);
    }
    json_array_foreach(json_object_get(json_object_get(sc, "explanation"), "rules"), i, x)
        fprintf(c->out, "  aturan %-24s kategori %-10s +%.1f\n", str(x, "id"), str(x, "category"),
                json_number_value(json_object_get(x, "score")));
    /* The stance model's reading, with what weighed most. */
    json_t *ex = json_object_get(sc, "explanation");
    char *reading = nt_item_stance_summary(ex);
    if (reading) {
        fputc('\n', c->out);
        cli_put_safe(c->out, reading);
        fputc('\n', c->out);
        cli_put_evidence(c, json_object_get(json_object_get(ex, "stance"), "evidence"), 8, "  ");
    }
    free(reading);
    json_t *ci = json_object_get(o, "category_info");
    if (json_is_object(ci)) {
        fprintf(c->out, "\nRujukan SKB 2022 (%s): %s; %s%s%s\n", str(ci, "code"), str(ci, "title"),
                json_is_string(json_object_get(ci, "ethics")) ? str(ci, "ethics") : "",
                json_is_string(json_object_get(ci, "ethics")) ? ", " : "", str(ci, "discipline"));
    }
    if (json_array_size(json_object_get(o, "decisions")))
        fputs("\nKeputusan:\n", c->out);
    json_array_foreach(json_object_get(o, "decisions"), i, x)
    {
        fprintf(c->out, "  %s %s %s %s %s ", cli_time(x, "at", NULL, t1, sizeof(t1)),
                str(x, "user"), cli_word("decision", x, "decision"), str(x, "category"),
                cli_word("reason", x, "reason_code"));
        cli_put_safe(c->out, json_is_string(json_object_get(x, "reason")) ? str(x, "reason") : "");
        fputc('\n', c->out);
    }
    if (json_array_size(json_object_get(o, "other_items")))
        fputs("\nButir lain pegawai ini:\n", c->out);
    json_array_foreach(json_object_get(o, "other_items"), i, x) fprintf(
        c->out, "  #%lld %s %s %s %s\n", (long long)json_integer_value(json_object_get(x, "id")),
        cli_word("status", x, "status"), cli_word("level", x, "level"), str(x, "category"),
        cli_time(x, "posted_at", region, t1, sizeof(t1)));
}

static int review_show(struct cli *c, int argc, char **argv)
{
    int64_t id;
    bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
    if ((argc != 2 && !json) || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "review", "pemakaian: netra review show ID [--json]");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_item_show(ss.s, ss.u, id, c->now, &ss.out, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else if (json)
        rc = cli_print_json(c, ss.out);
    else
        print_item(c, ss.out);
    return cli_session_close(&ss, rc);
}

static int review_claim(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 2 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "review", "pemakaian: netra review claim ID");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_item_claim(ss.s, ss.u, id, c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "Butir #%lld diklaim oleh %s.\n", (long long)id, ss.u->name);
    return cli_session_close(&ss, rc);
}

static int review_undo(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 2 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "review", "pemakaian: netra review undo ID");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_item_undo(ss.s, ss.u, id, c->now, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else {
        const char *st = str(ss.out, "status"), *l = nt_label("status", st);
        fprintf(c->out, "Keputusan #%lld atas butir #%lld dibatalkan; butir kembali %s.\n",
                (long long)json_integer_value(json_object_get(ss.out, "undone")), (long long)id,
                l ? l : st);
    }
    return cli_session_close(&ss, rc);
}

static int review_decide(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "decision", required_argument, NULL, 'd' },
        { "category", required_argument, NULL, 'c' },
        { "reason-code", required_argument, NULL, 'r' },
        { "reason", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    struct nt_decision dec = { 0 };
    bool json = false;
    int opt;
    int64_t id;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            dec.decision = optarg;
            break;
        case 'c':
            dec.category = optarg;
            break;
        case 'r':
            dec.reason_code = optarg;
            break;
        case 't':
            dec.reason = optarg;
            break;
        case 'j':
            json = true;
            break;
        default:
            return cli_bad_option(c, "review decide", argc, argv);
        }
    }
    if (optind + 1 != argc || !cli_parse_id(argv[optind], &id))
        return cli_usage_error(c, "review", "review decide memerlukan satu ID butir");
    if (!dec.decision)
        return cli_usage_error(c, "review", "--decision confirm|dismiss|escalate wajib");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_item_decide(ss.s, ss.u, id, &dec, c->now, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (json) {
        rc = cli_print_json(c, ss.out);
    } else {
        fprintf(c->out, "Butir #%lld: %s.", (long long)id, cli_word("status", ss.out, "status"));
        json_t *cs = json_object_get(ss.out, "case_id");
        if (json_is_integer(cs))
            fprintf(c->out, " Temuan masuk kasus #%lld.", (long long)json_integer_value(cs));
        else if (strcmp(str(ss.out, "status"), "awaiting_second") == 0)
            fprintf(c->out, " Menunggu konfirmasi peninjau kedua.");
        fputc('\n', c->out);
    }
    return cli_session_close(&ss, rc);
}

int cmd_review(struct cli *c, int argc, char **argv)
{
    static const char show_u[] = "Pemakaian: netra review show ID [--json]\n";
    static const char claim_u[] = "Pemakaian: netra review claim ID\n";
    static const char undo_u[] = "Pemakaian: netra review undo ID\n";
    static const char decide_u[] =
        "Pemakaian: netra review decide ID --decision confirm|dismiss|escalate\n"
        "           [--category KODE] [--reason-code KODE] [--reason TEKS] [--json]\n"
        "\n"
        "Alasan penolakan (--reason-code): berita, netral, bukan_akun (bukan akun\n"
        "pegawai), candaan (candaan atau ironi), lainnya (dengan --reason).\n"
        "Eskalasi memerlukan --reason. Kategori: kode SKB 2022 (APK, MEDSOS, ENGAGE,\n"
        "FOTO, HADIR, KEGIATAN, TIM, PENDEKATAN, KTP, KEPUTUSAN, PARPOL, LAIN).\n";
    static const struct cli_cmd subs[] = {
        { "show", review_show, "melihat butir", show_u, false },
        { "claim", review_claim, "mengklaim butir", claim_u, false },
        { "decide", review_decide, "memutuskan butir", decide_u, false },
        { "undo", review_undo, "membatalkan keputusan", undo_u, false },
    };
    return cli_dispatch(c, "review", cmd_review_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
