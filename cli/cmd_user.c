/*
 * cmd_user.c - `netra user`: users, roles, agencies and passwords.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"

const char cmd_user_usage[] =
    "Pemakaian: netra user SUBPERINTAH ...\n"
    "\n"
    "Pengguna Netra dan perannya. Pengguna pertama harus admin dan boleh dibuat tanpa\n"
    "--as; sesudah itu hanya admin yang menambah pengguna.\n"
    "\n"
    "Subperintah:\n"
    "  add NAMA --role PERAN [--agency INSTANSI]... [--password-stdin]\n"
    "  passwd NAMA --password-stdin   mengganti kata sandi (untuk aplikasi web)\n"
    "  deactivate NAMA                menonaktifkan pengguna\n"
    "  list [--json]                  daftar pengguna\n"
    "\n"
    "Peran: reviewer (meninjau butir), analyst (leksikon dan statistik, tanpa\n"
    "identitas pegawai), supervisor (eskalasi, kasus, statistik), admin (semua).\n"
    "Reviewer dan supervisor hanya melihat instansi yang disebut dengan --agency.\n";

static bool read_password(struct cli *c, char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin)) {
        cli_failf(c, "kata sandi tidak terbaca dari masukan standar");
        return false;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

static int user_add(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "role", required_argument, NULL, 'r' },
        { "agency", required_argument, NULL, 'a' },
        { "password-stdin", no_argument, NULL, 'p' },
        { NULL, 0, NULL, 0 },
    };
    const char *role = NULL, *agencies[32];
    size_t na = 0;
    bool pw = false;
    int opt;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'r')
            role = optarg;
        else if (opt == 'a' && na < 32)
            agencies[na++] = optarg;
        else if (opt == 'p')
            pw = true;
        else
            return cli_bad_option(c, "user add", argc, argv);
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, "user", "user add memerlukan satu NAMA");
    if (!role || !nt_role_from_name(role))
        return cli_usage_error(c, "user", "--role harus reviewer, analyst, supervisor atau admin");
    struct nt_store *s = cli_open_store(c, 0);
    if (!s)
        return CLI_FAIL;
    struct nt_diag d;
    struct nt_user actor = { 0 };
    int64_t count = 0;
    char pass[256] = "";
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (nt_user_count(s, &count, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else if (count > 0 && !cli_acting_user(c, s, &actor))
        rc = CLI_FAIL;
    if (rc == CLI_OK && pw && !read_password(c, pass, sizeof(pass)))
        rc = CLI_FAIL;
    if (rc == CLI_OK &&
        nt_user_add(s, count > 0 ? &actor : NULL, argv[optind], nt_role_from_name(role), agencies,
                    na, pw ? pass : NULL, c->now, &d) != NT_OK)
        rc = cli_fail(c, &d);
    if (rc == CLI_OK)
        fprintf(c->out, "Pengguna %s (%s) ditambahkan.\n", argv[optind], role);
    memset(pass, 0, sizeof(pass));
    cli_close_as(s, &actor);
    return rc;
}

static int user_passwd(struct cli *c, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[2], "--password-stdin") != 0)
        return cli_usage_error(c, "user", "pemakaian: netra user passwd NAMA --password-stdin");
    struct nt_store *s = cli_open_store(c, 0);
    if (!s)
        return CLI_FAIL;
    struct nt_user actor = { 0 };
    struct nt_diag d;
    char pass[256];
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (!cli_acting_user(c, s, &actor) || !read_password(c, pass, sizeof(pass)))
        rc = CLI_FAIL;
    else if (nt_user_set_password(s, &actor, argv[1], pass, c->now, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else
        fprintf(c->out, "Kata sandi %s diganti.\n", argv[1]);
    memset(pass, 0, sizeof(pass));
    cli_close_as(s, &actor);
    return rc;
}

static int user_deactivate(struct cli *c, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage_error(c, "user", "pemakaian: netra user deactivate NAMA");
    struct nt_store *s = cli_open_store(c, 0);
    if (!s)
        return CLI_FAIL;
    struct nt_user actor = { 0 };
    struct nt_diag d;
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (!cli_acting_user(c, s, &actor))
        rc = CLI_FAIL;
    else if (nt_user_deactivate(s, &actor, argv[1], c->now, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else
        fprintf(c->out, "Pengguna %s dinonaktifkan.\n", argv[1]);
    cli_close_as(s, &actor);
    return rc;
}

static int user_list(struct cli *c, int argc, char **argv)
{
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json))
        return cli_usage_error(c, "user", "pemakaian: netra user list [--json]");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY);
    if (!s)
        return CLI_FAIL;
    struct nt_user actor = { 0 };
    struct nt_diag d;
    json_t *a = NULL;
    int rc = CLI_OK;
    nt_diag_clear(&d);
    if (!cli_acting_user(c, s, &actor))
        rc = CLI_FAIL;
    else if (nt_user_list(s, &actor, &a, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else if (json) {
        rc = cli_print_json(c, a);
    } else {
        json_t *rows = json_array(), *u;
        size_t i;
        json_array_foreach(a, i, u)
        {
            char *ags = json_dumps(json_object_get(u, "agencies"), JSON_COMPACT);
            json_array_append_new(
                rows, json_pack("[O, O, s, s, s]", json_object_get(u, "name"),
                                json_object_get(u, "role"), ags ? ags : "[]",
                                json_is_true(json_object_get(u, "active")) ? "aktif" : "nonaktif",
                                json_is_true(json_object_get(u, "has_password")) ? "ya" : "tidak"));
            free(ags);
        }
        json_t *cols =
            json_pack("[s, s, s, s, s]", "NAMA", "PERAN", "INSTANSI", "STATUS", "KATA SANDI");
        rc = cli_print_grid(c, cols, rows, "table");
        json_decref(cols);
        json_decref(rows);
    }
    json_decref(a);
    cli_close_as(s, &actor);
    return rc;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
    static const char add_u[] =
        "Pemakaian: netra user add NAMA --role PERAN [--agency INSTANSI]... [--password-stdin]\n";
    static const char passwd_u[] = "Pemakaian: netra user passwd NAMA --password-stdin\n";
    static const char deact_u[] = "Pemakaian: netra user deactivate NAMA\n";
    static const char list_u[] = "Pemakaian: netra user list [--json]\n";
    static const struct cli_cmd subs[] = {
        { "add", user_add, "menambah pengguna", add_u, false },
        { "passwd", user_passwd, "mengganti kata sandi", passwd_u, false },
        { "deactivate", user_deactivate, "menonaktifkan pengguna", deact_u, false },
        { "list", user_list, "daftar pengguna", list_u, false },
    };
    return cli_dispatch(c, "user", cmd_user_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
