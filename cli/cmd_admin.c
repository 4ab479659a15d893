/*
 * cmd_admin.c - `netra audit` (the hash-chained trail), `netra stats` (the
 * supervisors' and analysts' tables), `netra retention` and `netra config`
 * (review settings kept in the database).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"

const char cmd_audit_usage[] =
    "Pemakaian: netra audit SUBPERINTAH ...\n"
    "\n"
    "Setiap tindakan (klaim, keputusan, status kasus, impor leksikon, perubahan\n"
    "pengguna dan pengaturan, ekspor, retensi) dicatat dengan pelaku, waktu, objek,\n"
    "sebelum dan sesudah. Setiap baris memuat hash baris sebelumnya.\n"
    "\n"
    "Subperintah:\n"
    "  verify                 memeriksa rantai; menyebut baris pertama yang rusak\n"
    "  list [--actor NAMA] [--action AKSI] [--object JENIS[:ID]] [--from T] [--to T]\n"
    "       [--limit N] [--json]\n";

const char cmd_stats_usage[] =
    "Pemakaian: netra stats --by KUNCI[,KUNCI] [--from TANGGAL] [--to TANGGAL]\n"
    "                       [--format table|csv|json]\n"
    "\n"
    "Tabel seperti laporan KASN: butir ditandai, dikonfirmasi, ditolak, dieskalasi,\n"
    "menunggu, pegawai terlibat dan umur antrean tertua, menurut kunci:\n"
    "  agency unit position category period month week age sex platform region\n"
    "Periode (sebelum, kampanye, sesudah) mengikuti kalender pemilihan (netra config\n"
    "set elections ...). Usia: <=30, 31-40, 41-50, >=51, tidak diketahui.\n"
    "Kunci tersendiri: entry (hit, dikonfirmasi, ditolak dan presisi per entri\n"
    "leksikon) dan reviewer (jumlah keputusan dan waktu sampai putusan).\n";

const char cmd_retention_usage[] =
    "Pemakaian: netra retention run --older-than HARI[d] [--dry-run]\n"
    "\n"
    "Menghapus isi (teks, data asli, cuplikan temuan) unggahan yang diambil lebih\n"
    "lama dari batas dan tidak pernah masuk antrean tinjauan. Nomor, hash dan waktu\n"
    "tetap disimpan; apa pun yang terkait butir atau kasus tidak disentuh. Admin.\n";

const char cmd_config_usage[] =
    "Pemakaian: netra config SUBPERINTAH ...\n"
    "\n"
    "Pengaturan tinjauan, disimpan di basis data (berlaku untuk CLI dan server):\n"
    "  four_eyes yes|no       konfirmasi memerlukan peninjau kedua\n"
    "  pseudonymous yes|no    identitas pegawai disembunyikan sampai konfirmasi\n"
    "  claim_minutes N        lama klaim butir (bawaan 30)\n"
    "  elections JSON         kalender pemilihan: [{\"id\",\"name\",\"campaign_start\",\n"
    "                         \"campaign_end\",\"election_day\"}] (bawaan Pemilu dan\n"
    "                         Pilkada 2024)\n"
    "  sop_days LANGKAH=HARI,...  batas hari tiap langkah SOP kasus (bawaan laporan=3,\n"
    "                         verifikasi=7, pemeriksaan=14, bap=7, pertimbangan=14,\n"
    "                         keputusan=14, dilaporkan=7; 0 = tanpa batas)\n"
    "\n"
    "Subperintah:\n"
    "  show [--json]\n"
    "  set KUNCI NILAI        admin\n";

static int audit_verify(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cli_usage_error(c, "audit", "pemakaian: netra audit verify");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_READONLY | NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    struct nt_audit_check chk;
    int rc = CLI_OK;
    if (nt_user_require(ss.u, NT_ROLE_ADMIN | NT_ROLE_SUPERVISOR, "memeriksa jejak audit", &ss.d) ||
        nt_audit_verify(ss.s, &chk, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (chk.broken) {
        fprintf(c->out, "Jejak audit RUSAK: %s (%lld baris diperiksa).\n", chk.problem,
                (long long)chk.rows);
        rc = CLI_FAIL;
    } else {
        fprintf(c->out, "Jejak audit utuh: %lld baris, rantai hash cocok", (long long)chk.rows);
        if (chk.key_id[0] && chk.keyed_from > 1)
            fprintf(c->out, " (berkunci %s sejak baris #%lld; baris sebelumnya tanpa kunci)",
                    chk.key_id, (long long)chk.keyed_from);
        else if (chk.key_id[0])
            fprintf(c->out, " (berkunci %s)", chk.key_id);
        else
            fprintf(c->out, " (tanpa kunci)");
        if (chk.checkpoints)
            fprintf(c->out, ", %lld titik periksa bertanda tangan cocok",
                    (long long)chk.checkpoints);
        fputs(", keputusan dan kasus sesuai jejak.\n", c->out);
    }
    return cli_session_close(&ss, rc);
}

static int audit_list(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "actor", required_argument, NULL, 'a' },  { "action", required_argument, NULL, 'x' },
        { "object", required_argument, NULL, 'o' }, { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },     { "limit", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },         { NULL, 0, NULL, 0 },
    };
    struct nt_audit_filter f = { 0 };
    char object[128] = "";
    bool json = false;
    int opt;
    int64_t n;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'a':
            f.actor = optarg;
            break;
        case 'x':
            f.action = optarg;
            break;
        case 'f':
            f.from = optarg;
            break;
        case 't':
            f.to = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'o':
            snprintf(object, sizeof(object), "%s", optarg);
            f.object_type = object;
            if (strchr(object, ':')) {
                *strchr(object, ':') = '\0';
                f.object_id = object + strlen(object) + 1;
            }
            break;
        case 'n':
            if (!cli_parse_id(optarg, &n))
                return cli_usage_error(c, "audit", "--limit harus bilangan positif");
            f.limit = (size_t)n;
            break;
        default:
            return cli_bad_option(c, "audit list", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "audit", "argumen \"%s\" tidak dikenal", argv[optind]);
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_READONLY | NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_audit_list(ss.s, ss.u, &f, &ss.out, &ss.d) != NT_OK) {
        rc = cli_fail(c, &ss.d);
    } else if (json) {
        rc = cli_print_json(c, ss.out);
    } else {
        json_t *rows = json_array(), *x;
        size_t i;
        json_array_foreach(ss.out, i, x)
        {
            char *after = json_dumps(json_object_get(x, "after"), JSON_COMPACT | JSON_ENCODE_ANY);
            json_array_append_new(
                rows,
                json_pack("[I, O, O, O, O, O, s]", json_integer_value(json_object_get(x, "id")),
                          json_object_get(x, "at"), json_object_get(x, "actor"),
                          json_object_get(x, "action"), json_object_get(x, "object_type"),
                          json_object_get(x, "object_id"), after ? after : "-"));
            free(after);
        }
        json_t *cols = json_pack("[s, s, s, s, s, s, s]", "ID", "WAKTU", "PELAKU", "AKSI", "OBJEK",
                                 "NOMOR", "SESUDAH");
        rc = cli_print_grid(c, cols, rows, "table");
        json_decref(cols);
        json_decref(rows);
    }
    return cli_session_close(&ss, rc);
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
    static const char verify_u[] = "Pemakaian: netra audit verify\n";
    static const char list_u[] =
        "Pemakaian: netra audit list [--actor NAMA] [--action AKSI] [--object JENIS[:ID]]\n"
        "                            [--from T] [--to T] [--limit N] [--json]\n";
    static const struct cli_cmd subs[] = {
        { "verify", audit_verify, "memeriksa rantai hash", verify_u, false },
        { "list", audit_list, "daftar jejak audit", list_u, false },
    };
    return cli_dispatch(c, "audit", cmd_audit_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}

int cmd_stats(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "by", required_argument, NULL, 'b' }, { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' }, { "format", required_argument, NULL, 'o' },
        { "json", no_argument, NULL, 'j' },     { NULL, 0, NULL, 0 },
    };
    const char *by = NULL, *from = NULL, *to = NULL, *format = "table";
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'b':
            by = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'o':
            format = optarg;
            break;
        case 'j':
            format = "json";
            break;
        default:
            return cli_bad_option(c, "stats", argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, "stats", "argumen \"%s\" tidak dikenal", argv[optind]);
    if (!by)
        return cli_usage_error(c, "stats", "--by KUNCI wajib");
    if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage_error(c, "stats", "--format harus table, csv atau json");
    char keybuf[128];
    const char *keys[3];
    size_t nk = 0;
    snprintf(keybuf, sizeof(keybuf), "%s", by);
    for (char *p = keybuf, *k; (k = strsep(&p, ",")) && nk < 3;)
        keys[nk++] = k;
    for (size_t i = 0; i < nk; i++)
        if (!nt_stats_key_valid(keys[i]))
            return cli_usage_error(c, "stats", "kunci \"%s\" tidak dikenal", keys[i]);
    if (nk > 2)
        return cli_usage_error(c, "stats", "--by menerima paling banyak dua kunci");
    for (size_t i = 0; nk == 2 && i < nk; i++)
        if (strcmp(keys[i], "entry") == 0 || strcmp(keys[i], "reviewer") == 0)
            return cli_usage_error(c, "stats", "kunci %s berdiri sendiri", keys[i]);
    struct cli_session ss;
    /* Read-write: on SQLite the answer is kept for the next reader
     * (stats_cache). */
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_stats(ss.s, NULL, ss.u, keys, nk, from, to, c->now, &ss.out, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        rc = cli_print_grid(c, json_object_get(ss.out, "columns"), json_object_get(ss.out, "rows"),
                            format);
    return cli_session_close(&ss, rc);
}

int cmd_retention(struct cli *c, int argc, char **argv)
{
    int days = 0;
    bool dry = false;
    if (argc < 2 || strcmp(argv[1], "run") != 0)
        return cli_usage_error(c, "retention", "pemakaian: netra retention run --older-than HARI");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry = true;
        } else if (strcmp(argv[i], "--older-than") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if ((*end && strcmp(end, "d") != 0) || v < 1 || v > 36500)
                return cli_usage_error(c, "retention", "--older-than harus jumlah hari, mis. 90d");
            days = (int)v;
        } else {
            return cli_usage_error(c, "retention", "argumen \"%s\" tidak dikenal", argv[i]);
        }
    }
    if (!days)
        return cli_usage_error(c, "retention", "--older-than HARI wajib");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_retention_run(ss.s, ss.u, days, dry, c->now, &ss.out, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "%s isi %lld versi dari %lld unggahan yang diambil sebelum %s.\n",
                dry ? "Akan dihapus:" : "Dihapus:",
                (long long)json_integer_value(json_object_get(ss.out, "versions")),
                (long long)json_integer_value(json_object_get(ss.out, "posts")),
                json_string_value(json_object_get(ss.out, "cutoff")));
    return cli_session_close(&ss, rc);
}

static int config_show(struct cli *c, int argc, char **argv)
{
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json))
        return cli_usage_error(c, "config", "pemakaian: netra config show [--json]");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct nt_review_config cfg;
    struct nt_diag d;
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (nt_review_config_load(s, &cfg, &d) != NT_OK) {
        rc = cli_fail(c, &d);
    } else {
        json_t *sop = json_object();
        for (size_t k = 0; k < nt_case_nstates && k < 8; k++)
            if (cfg.sop_days[k])
                json_object_set_new(sop, nt_case_states[k], json_integer(cfg.sop_days[k]));
        json_t *o = json_pack("{s:b, s:b, s:i, s:O, s:o}", "four_eyes", cfg.four_eyes,
                              "pseudonymous", cfg.pseudonymous, "claim_minutes", cfg.claim_minutes,
                              "elections", cfg.elections, "sop_days", sop);
        if (json) {
            rc = cli_print_json(c, o);
        } else {
            fprintf(
                c->out, "four_eyes      %s\npseudonymous   %s\nclaim_minutes  %d\nsop_days      ",
                cfg.four_eyes ? "yes" : "no", cfg.pseudonymous ? "yes" : "no", cfg.claim_minutes);
            for (size_t k = 0; k < nt_case_nstates && k < 8; k++)
                if (cfg.sop_days[k])
                    fprintf(c->out, " %s=%d", nt_case_states[k], cfg.sop_days[k]);
            fputs("\nelections:\n", c->out);
            size_t i;
            json_t *e;
            json_array_foreach(cfg.elections, i, e)
            {
                fputs("  ", c->out);
                cli_put_safe(c->out, json_string_value(json_object_get(e, "id")));
                fprintf(c->out, ": kampanye %s s.d. %s, pemungutan %s\n",
                        json_string_value(json_object_get(e, "campaign_start")),
                        json_string_value(json_object_get(e, "campaign_end")),
                        json_string_value(json_object_get(e, "election_day")));
            }
        }
        json_decref(o);
        nt_review_config_release(&cfg);
    }
    nt_store_close(s);
    return rc;
}

static int config_set(struct cli *c, int argc, char **argv)
{
    if (argc != 3)
        return cli_usage_error(c, "config", "pemakaian: netra config set KUNCI NILAI");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_review_config_set(ss.s, ss.u, argv[1], argv[2], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "Pengaturan %s disimpan.\n", argv[1]);
    return cli_session_close(&ss, rc);
}

int cmd_config(struct cli *c, int argc, char **argv)
{
    static const char show_u[] = "Pemakaian: netra config show [--json]\n";
    static const char set_u[] = "Pemakaian: netra config set KUNCI NILAI\n";
    static const struct cli_cmd subs[] = {
        { "show", config_show, "melihat pengaturan", show_u, false },
        { "set", config_set, "mengubah pengaturan", set_u, false },
    };
    return cli_dispatch(c, "config", cmd_config_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
