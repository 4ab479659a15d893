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
    "Bertindak sebagai pengguna (--as NAMA atau NETRA_USER) memerlukan kata sandinya:\n"
    "ditanyakan di terminal, atau baris pertama masukan standar dengan opsi umum\n"
    "--password-stdin (skrip). Tanpa kata sandi hanya pengguna sistem yang ditautkan\n"
    "admin ke pengguna itu ('user link'); tanpa --as, pengguna yang ditautkan ke\n"
    "pengguna sistem yang menjalankan netra.\n"
    "\n"
    "Subperintah:\n"
    "  add NAMA --role PERAN [--agency INSTANSI]... [--password-stdin] [--os-user U]\n"
    "  passwd NAMA --password-stdin   mengganti kata sandi (juga untuk aplikasi web)\n"
    "  link NAMA --os-user U          menautkan pengguna sistem U (tanpa kata sandi)\n"
    "  unlink NAMA                    melepas tautan pengguna sistem\n"
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
        { "os-user", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    const char *role = NULL, *agencies[32], *os_user = NULL;
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
        else if (opt == 'o')
            os_user = optarg;
        else
            return cli_bad_option(c, "user add", argc, argv);
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, "user", "user add memerlukan satu NAMA");
    if (!role || !nt_role_from_name(role))
        return cli_usage_error(c, "user", "--role harus reviewer, analyst, supervisor atau admin");
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
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
    /* The first admin links themselves: whoever set up the database. */
    struct nt_user self = { 0 };
    if (rc == CLI_OK && os_user) {
        const struct nt_user *by = &actor;
        if (count == 0) {
            if (nt_user_load(s, argv[optind], &self, &d) != NT_OK)
                rc = cli_fail(c, &d);
            by = &self;
        }
        if (rc == CLI_OK && nt_user_link_os(s, by, argv[optind], os_user, c->now, &d) != NT_OK)
            rc = cli_fail(c, &d);
    }
    nt_user_release(&self);
    if (rc == CLI_OK)
        fprintf(c->out, "Pengguna %s (%s) ditambahkan%s%s.\n", argv[optind], role,
                os_user ? ", ditautkan ke pengguna sistem " : "", os_user ? os_user : "");
    memset(pass, 0, sizeof(pass));
    cli_close_as(s, &actor);
    return rc;
}

static int user_link(struct cli *c, int argc, char **argv)
{
    bool unlink_ = strcmp(argv[0], "unlink") == 0;
    if (unlink_ ? argc != 2 : (argc != 4 || strcmp(argv[2], "--os-user") != 0))
        return cli_usage_error(c, "user",
                               unlink_ ? "pemakaian: netra user unlink NAMA"
                                       : "pemakaian: netra user link NAMA --os-user U");
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_user_link_os(ss.s, ss.u, argv[1], unlink_ ? NULL : argv[3], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else if (unlink_)
        fprintf(c->out, "Tautan pengguna sistem %s dilepas.\n", argv[1]);
    else
        fprintf(c->out, "Pengguna %s ditautkan ke pengguna sistem %s.\n", argv[1], argv[3]);
    return cli_session_close(&ss, rc);
}

static int user_passwd(struct cli *c, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[2], "--password-stdin") != 0)
        return cli_usage_error(c, "user", "pemakaian: netra user passwd NAMA --password-stdin");
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
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
    struct cli_session ss;
    if (cli_session_open(c, NT_STORE_POSTGRES, &ss) != CLI_OK)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (nt_user_deactivate(ss.s, ss.u, argv[1], c->now, &ss.d) != NT_OK)
        rc = cli_fail(c, &ss.d);
    else
        fprintf(c->out, "Pengguna %s dinonaktifkan.\n", argv[1]);
    return cli_session_close(&ss, rc);
}

static int user_list(struct cli *c, int argc, char **argv)
{
    bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json))
        return cli_usage_error(c, "user", "pemakaian: netra user list [--json]");
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
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
                rows, json_pack("[O, O, s, s, s, s]", json_object_get(u, "name"),
                                json_object_get(u, "role"), ags ? ags : "[]",
                                json_is_true(json_object_get(u, "active")) ? "aktif" : "nonaktif",
                                json_is_true(json_object_get(u, "has_password")) ? "ya" : "tidak",
                                json_string_value(json_object_get(u, "os_user"))
                                    ? json_string_value(json_object_get(u, "os_user"))
                                    : "-"));
            free(ags);
        }
        json_t *cols = json_pack("[s, s, s, s, s, s]", "NAMA", "PERAN", "INSTANSI", "STATUS",
                                 "KATA SANDI", "PENGGUNA SISTEM");
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
    static const char add_u[] = "Pemakaian: netra user add NAMA --role PERAN [--agency "
                                "INSTANSI]... [--password-stdin] [--os-user U]\n";
    static const char link_u[] = "Pemakaian: netra user link NAMA --os-user U\n";
    static const char unlink_u[] = "Pemakaian: netra user unlink NAMA\n";
    static const char passwd_u[] = "Pemakaian: netra user passwd NAMA --password-stdin\n";
    static const char deact_u[] = "Pemakaian: netra user deactivate NAMA\n";
    static const char list_u[] = "Pemakaian: netra user list [--json]\n";
    static const struct cli_cmd subs[] = {
        { "add", user_add, "menambah pengguna", add_u, false },
        { "passwd", user_passwd, "mengganti kata sandi", passwd_u, false },
        { "deactivate", user_deactivate, "menonaktifkan pengguna", deact_u, false },
        { "link", user_link, "menautkan pengguna sistem", link_u, false },
        { "unlink", user_link, "melepas tautan pengguna sistem", unlink_u, false },
        { "list", user_list, "daftar pengguna", list_u, false },
    };
    return cli_dispatch(c, "user", cmd_user_usage, subs, sizeof(subs) / sizeof(subs[0]), argc,
                        argv);
}
