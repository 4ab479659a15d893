/*
 * cmd_case.c - `netra case`: cases through the SOP and evidence dossiers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "date.h"
#include "review.h"

const char cmd_case_usage[] =
    "Pemakaian: netra case SUBPERINTAH ...\n"
    "\n"
    "Temuan yang dikonfirmasi membuka atau masuk ke satu kasus per pegawai per\n"
    "pemilihan. Status mengikuti SOP: laporan, verifikasi, pemeriksaan, bap,\n"
    "pertimbangan, keputusan, dilaporkan (atau ditutup tanpa tindakan).\n"
    "\n"
    "Subperintah:\n"
    "  list [--state STATUS] [--json]\n"
    "  show ID [--json]\n"
    "  advance ID --to STATUS --note TEKS\n"
    "  assign ID --to PENGGUNA         menugaskan kasus kepada anggota Tim Internal\n"
    "  note ID --text TEKS             menambah catatan pada berkas kasus\n"
    "  attach ID BERKAS [--name NAMA]  melampirkan dokumen (BAP, surat panggilan,\n"
    "                                  keputusan): PDF, PNG atau JPEG, paling besar 5 MiB\n"
    "  document ID DOKUMEN --out BERKAS  menyalin dokumen kasus (diperiksa SHA-256-nya)\n"
    "  export ID --out DIREKTORI       berkas bukti: case.json, case.html, raw/, media/, docs/\n"
    "\n"
    "Setiap langkah SOP punya batas hari (netra config set sop_days\n"
    "\"verifikasi=7,pemeriksaan=14,...\"); show dan list menampilkan batasnya.\n";

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "-";
}

static int case_list(struct cli *c, int argc, char **argv)
{
    const char *state = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc)
            state = argv[++i];
        else
            return cli_usage_error(c, "case", "argumen \"%s\" tidak dikenal", argv[i]);
    }
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_list(ss.s, ss.u, state, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (json) {
        rc = cli_print_json(c, ss.out);
    } else {
        json_t *rows = json_array(), *x;
        size_t i;
        json_array_foreach(ss.out, i, x)
        {
            char upd[48], due[48];
            const char *reg = json_string_value(json_object_get(x, "region"));
            json_array_append_new(
                rows,
                json_pack("[I, s, s, s, s, s, s, s, I, s, s]",
                          json_integer_value(json_object_get(x, "id")), str(x, "state"),
                          cli_time(x, "due_at", reg, due, sizeof(due)), str(x, "assignee"),
                          str(x, "election"), str(x, "employee"), str(x, "nip"), str(x, "agency"),
                          json_integer_value(json_object_get(x, "findings")), str(x, "categories"),
                          cli_time(x, "updated_at", reg, upd, sizeof(upd))));
        }
        json_t *cols = json_pack("[s, s, s, s, s, s, s, s, s, s, s]", "ID", "STATUS",
                                 "BATAS LANGKAH", "PENANGGUNG JAWAB", "PEMILIHAN", "PEGAWAI", "NIP",
                                 "INSTANSI", "TEMUAN", "KATEGORI", "DIPERBARUI");
        fprintf(c->out, "%zu kasus%s\n", json_array_size(ss.out),
                json_array_size(ss.out) ? ":" : ".");
        if (json_array_size(ss.out))
            rc = cli_print_grid(c, cols, rows, "table");
        json_decref(cols);
        json_decref(rows);
    }
    return cli_session_close(&ss, rc);
}

static int case_show(struct cli *c, int argc, char **argv)
{
    int64_t id;
    bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
    if ((argc != 2 && !json) || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "case", "pemakaian: netra case show ID [--json]");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_show(ss.s, ss.u, id, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (json) {
        rc = cli_print_json(c, ss.out);
    } else {
        json_t *e = json_object_get(ss.out, "employee"), *x;
        size_t i;
        fprintf(c->out, "Kasus #%lld  status %s  pemilihan %s\n", (long long)id,
                str(ss.out, "state"), str(ss.out, "election"));
        fprintf(c->out, "Pegawai: ");
        cli_put_safe(c->out, str(e, "name"));
        fprintf(c->out, " (NIP %s), %s, %s\n", str(e, "nip"), str(e, "position"), str(e, "agency"));
        const char *reg = json_string_value(json_object_get(e, "region"));
        char at[48];
        fprintf(c->out, "Penanggung jawab: %s; langkah ini sebaiknya selesai: %s\n",
                str(ss.out, "assignee"),
                json_is_string(json_object_get(ss.out, "due_at"))
                    ? cli_time(ss.out, "due_at", reg, at, sizeof(at))
                    : "tanpa batas");
        fputs("Temuan:\n", c->out);
        json_array_foreach(json_object_get(ss.out, "findings"), i, x)
        {
            json_t *p = json_object_get(x, "post");
            fprintf(c->out,
                    "  #%lld %s %s %s: ", (long long)json_integer_value(json_object_get(x, "id")),
                    str(x, "category"), cli_word("platform", p, "platform"),
                    cli_time(p, "posted_at", reg, at, sizeof(at)));
            cli_put_safe(c->out, str(p, "text"));
            fputc('\n', c->out);
        }
        fputs("Rujukan sanksi SKB 2022 (bukan keputusan):\n", c->out);
        json_array_foreach(json_object_get(ss.out, "sanction_reference"), i, x)
            fprintf(c->out, "  %s: %s%s%s\n", str(x, "code"),
                    json_is_string(json_object_get(x, "ethics")) ? str(x, "ethics") : "",
                    json_is_string(json_object_get(x, "ethics")) ? "; " : "", str(x, "discipline"));
        fputs("Riwayat:\n", c->out);
        json_array_foreach(json_object_get(ss.out, "transitions"), i, x)
        {
            fprintf(c->out, "  %s %s %s -> %s: ", cli_time(x, "at", reg, at, sizeof(at)),
                    str(x, "user"), str(x, "from"), str(x, "to"));
            cli_put_safe(c->out, str(x, "note"));
            fputc('\n', c->out);
        }
        if (json_array_size(json_object_get(ss.out, "notes")))
            fputs("Catatan:\n", c->out);
        json_array_foreach(json_object_get(ss.out, "notes"), i, x)
        {
            fprintf(c->out, "  %s %s: ", cli_time(x, "at", reg, at, sizeof(at)), str(x, "user"));
            cli_put_safe(c->out, str(x, "text"));
            fputc('\n', c->out);
        }
        if (json_array_size(json_object_get(ss.out, "documents")))
            fputs("Dokumen:\n", c->out);
        json_array_foreach(json_object_get(ss.out, "documents"), i, x)
        {
            cli_time(x, "at", reg, at, sizeof(at));
            fprintf(c->out, "  #%lld ", (long long)json_integer_value(json_object_get(x, "id")));
            cli_put_safe(c->out, str(x, "name"));
            fprintf(c->out, " (%s, %lld bita, SHA-256 %s) oleh %s, %s\n", str(x, "mime"),
                    (long long)json_integer_value(json_object_get(x, "size")), str(x, "sha256"),
                    str(x, "user"), at);
        }
        json_t *next = json_object_get(ss.out, "next_states");
        if (json_array_size(next))
            fprintf(c->out, "Langkah berikutnya: %s atau %s\n",
                    json_string_value(json_array_get(next, 0)),
                    json_string_value(json_array_get(next, 1)));
    }
    return cli_session_close(&ss, rc);
}

static int case_advance(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "to", required_argument, NULL, 't' },
        { "note", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    const char *to = NULL, *note = NULL;
    int opt;
    int64_t id;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 't')
            to = optarg;
        else if (opt == 'n')
            note = optarg;
        else
            return cli_bad_option(c, "case advance", argc, argv);
    }
    if (optind + 1 != argc || !cli_parse_id(argv[optind], &id) || !to)
        return cli_usage_error(c, "case",
                               "pemakaian: netra case advance ID --to STATUS --note TEKS");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_advance(ss.s, ss.u, id, to, note, c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "Kasus #%lld sekarang berstatus %s.\n", (long long)id, to);
    return cli_session_close(&ss, rc);
}

static int case_assign(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 4 || strcmp(argv[2], "--to") != 0 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "case", "pemakaian: netra case assign ID --to PENGGUNA");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_assign(ss.s, ss.u, id, argv[3], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else {
        fprintf(c->out, "Kasus #%lld ditugaskan kepada ", (long long)id);
        cli_put_safe(c->out, argv[3]);
        fputs(".\n", c->out);
    }
    return cli_session_close(&ss, rc);
}

static int case_note(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 4 || strcmp(argv[2], "--text") != 0 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "case", "pemakaian: netra case note ID --text TEKS");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_note(ss.s, ss.u, id, argv[3], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "Catatan ditambahkan pada kasus #%lld.\n", (long long)id);
    return cli_session_close(&ss, rc);
}

static int case_attach(struct cli *c, int argc, char **argv)
{
    int64_t id, doc = 0;
    const char *name = NULL;
    if (argc == 5 && strcmp(argv[3], "--name") == 0)
        name = argv[4];
    else if (argc != 3)
        argc = 0;
    if (!argc || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "case", "pemakaian: netra case attach ID BERKAS [--name NAMA]");
    if (!name) {
        const char *slash = strrchr(argv[2], '/');
        name = slash ? slash + 1 : argv[2];
    }
    struct nt_buf b;
    struct nt_diag d;
    nt_buf_init(&b, NT_CASE_DOC_MAX);
    if (nt_file_read(argv[2], &b, &d) != NT_OK) {
        nt_buf_release(&b);
        return cli_fail(c, &d);
    }
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK) {
        nt_buf_release(&b);
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (nt_case_attach(ss.s, ss.u, id, name, b.data, b.len, c->now, &doc, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else {
        fprintf(c->out, "Dokumen #%lld (", (long long)doc);
        cli_put_safe(c->out, name);
        fprintf(c->out, ", %zu bita) dilampirkan pada kasus #%lld.\n", b.len, (long long)id);
    }
    nt_buf_release(&b);
    return cli_session_close(&ss, rc);
}

/* The bytes into a new file (never over an existing one). */
static int write_new(struct cli *c, const char *path, const char *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        fprintf(c->err, "netra: %s: tidak dapat dibuat: %s\n", path,
                errno == EEXIST ? "berkas sudah ada" : strerror(errno));
        return CLI_FAIL;
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(c->err, "netra: %s: gagal menulis: %s\n", path, strerror(errno));
            close(fd);
            unlink(path);
            return CLI_FAIL;
        }
        p += w;
        n -= (size_t)w;
    }
    if (close(fd) != 0) {
        fprintf(c->err, "netra: %s: gagal menulis: %s\n", path, strerror(errno));
        unlink(path);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int case_document(struct cli *c, int argc, char **argv)
{
    int64_t id, doc;
    if (argc != 5 || strcmp(argv[3], "--out") != 0 || !cli_parse_id(argv[1], &id) ||
        !cli_parse_id(argv[2], &doc))
        return cli_usage_error(c, "case", "pemakaian: netra case document ID DOKUMEN --out BERKAS");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    struct nt_case_doc cd;
    int rc = CLI_OK;
    if (nt_case_document(ss.s, ss.u, id, doc, c->now, &cd, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else if ((rc = write_new(c, argv[4], cd.data, cd.len)) == CLI_OK) {
        fprintf(c->out, "Dokumen #%lld (", (long long)doc);
        cli_put_safe(c->out, cd.name);
        fprintf(c->out, ", %zu bita) disalin ke ", cd.len);
        cli_put_safe(c->out, argv[4]);
        fputs(".\n", c->out);
    }
    nt_case_doc_release(&cd);
    return cli_session_close(&ss, rc);
}

static int case_export(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 4 || strcmp(argv[2], "--out") != 0 || !cli_parse_id(argv[1], &id))
        return cli_usage_error(c, "case", "pemakaian: netra case export ID --out DIREKTORI");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_case_export(ss.s, ss.u, id, argv[3], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else {
        fprintf(c->out, "Berkas kasus #%lld ditulis ke ", (long long)id);
        cli_put_safe(c->out, argv[3]);
        fputs(" (case.json, case.html, raw/, media/, docs/).\n", c->out);
    }
    return cli_session_close(&ss, rc);
}

int cmd_case(struct cli *c, int argc, char **argv)
{
    static const char list_u[] = "Pemakaian: netra case list [--state STATUS] [--json]\n";
    static const char show_u[] = "Pemakaian: netra case show ID [--json]\n";
    static const char adv_u[] = "Pemakaian: netra case advance ID --to STATUS --note TEKS\n";
    static const char exp_u[] = "Pemakaian: netra case export ID --out DIREKTORI\n";
    static const char asg_u[] = "Pemakaian: netra case assign ID --to PENGGUNA\n";
    static const char note_u[] = "Pemakaian: netra case note ID --text TEKS\n";
    static const char att_u[] = "Pemakaian: netra case attach ID BERKAS [--name NAMA]\n";
    static const char doc_u[] = "Pemakaian: netra case document ID DOKUMEN --out BERKAS\n";
    static const struct cli_cmd subs[] = {
        { "list", case_list, "daftar kasus", list_u, false },
        { "show", case_show, "melihat kasus", show_u, false },
        { "advance", case_advance, "memindahkan status kasus", adv_u, false },
        { "assign", case_assign, "menugaskan kasus", asg_u, false },
        { "note", case_note, "menambah catatan kasus", note_u, false },
        { "attach", case_attach, "melampirkan dokumen kasus", att_u, false },
        { "document", case_document, "menyalin dokumen kasus", doc_u, false },
        { "export", case_export, "menulis berkas bukti", exp_u, false },
    };
    return cli_dispatch(c, "case", cmd_case_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
