/*
 * import_cmd.c - the part of `employees import` and `accounts import` that
 * talks to people: options, every rejected row as "FILE:LINE: field: reason"
 * on stderr, and a one-line summary of what changed.
 */
#include <getopt.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "review.h"
#include "registry.h"

int cli_import_file(struct cli *c, struct nt_store *s, const char *path, const char *what,
                    cli_import_fn fn, const struct nt_reg_import_opts *o)
{
    struct nt_reg_import_result res = { 0 };
    struct nt_diag_list errs;
    struct nt_diag d;
    struct nt_buf data;
    int rc = CLI_FAIL;

    nt_diag_clear(&d);
    nt_diag_list_init(&errs, NT_REG_IMPORT_MAX_ERRORS);
    nt_buf_init(&data, NT_REG_IMPORT_MAX_BYTES);
    if (nt_file_read(path, &data, &d) != NT_OK) {
        rc = cli_fail(c, &d);
        goto out;
    }
    enum nt_err err = fn(s, path, data.data, data.len, o, &res, &errs, &d);
    for (size_t i = 0; i < errs.count; i++) {
        char line[NT_DIAG_FILE_MAX + NT_DIAG_FIELD_MAX + NT_DIAG_MSG_MAX + 64];
        cli_put_safe(c->err, nt_diag_format(&errs.items[i], line, sizeof(line)));
        fputc('\n', c->err);
    }
    if (errs.dropped)
        fprintf(c->err, "netra: ... dan %zu kesalahan lain tidak ditampilkan\n", errs.dropped);
    if (err) {
        rc = cli_fail(c, &d);
        goto out;
    }
    fprintf(c->out, "%s%s dari '", o->dry_run ? "Uji coba impor " : "Impor ", what);
    cli_put_safe(c->out, path);
    fprintf(c->out,
            "': %zu baris; ditambah %zu, diperbarui %zu, tidak berubah %zu, "
            "diaktifkan kembali %zu, dinonaktifkan %zu, ditolak %zu.\n",
            res.rows, res.added, res.updated, res.unchanged, res.reactivated, res.deactivated,
            res.rejected);
    if (res.cpns)
        fprintf(c->out,
                "Catatan: %zu pegawai berstatus CPNS dicatat sebagai PNS (calon PNS terikat "
                "aturan netralitas yang sama).\n",
                res.cpns);
    if (o->dry_run)
        fputs("Uji coba: tidak ada yang disimpan.\n", c->out);
    else if (res.rejected)
        fprintf(c->out, "%zu baris yang ditolak dilewati (--skip-invalid).\n", res.rejected);
    rc = CLI_OK;
out:
    nt_buf_release(&data);
    nt_diag_list_release(&errs);
    return rc;
}

int cli_import(struct cli *c, const char *cmd, const char *what, cli_import_fn fn, int argc,
               char **argv)
{
    static const struct option longopts[] = {
        { "skip-invalid", no_argument, NULL, 's' },  { "partial", no_argument, NULL, 'p' },
        { "dry-run", no_argument, NULL, 'n' },       { "profile", required_argument, NULL, 'P' },
        { "regions", required_argument, NULL, 'R' }, { NULL, 0, NULL, 0 },
    };
    struct nt_reg_import_opts o = { 0 };
    const char *regions = NULL;
    int opt;

    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            o.skip_invalid = true;
            break;
        case 'p':
            o.partial = true;
            break;
        case 'n':
            o.dry_run = true;
            break;
        case 'P':
        case 'R':
            /* Only the employee registry has profiles and region tables. */
            if (strcmp(what, "akun") == 0)
                return cli_bad_option(c, cmd, argc, argv);
            if (opt == 'P')
                o.profile = optarg;
            else
                regions = optarg;
            break;
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, cmd, "sebutkan tepat satu berkas CSV");
    o.actor = c->actor;
    o.now = c->now;
    struct nt_buf rbuf;
    nt_buf_init(&rbuf, NT_REG_IMPORT_MAX_BYTES);
    if (regions) {
        struct nt_diag d;
        nt_diag_clear(&d);
        if (nt_file_read(regions, &rbuf, &d) != NT_OK) {
            nt_buf_release(&rbuf);
            return cli_fail(c, &d);
        }
        o.regions_label = regions;
        o.regions = rbuf.data ? rbuf.data : "";
        o.regions_len = rbuf.len;
    }
    /* The registry runs on both engines (store/db.h). */
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s) {
        nt_buf_release(&rbuf);
        return CLI_FAIL;
    }
    struct nt_user u = { 0 };
    bool audit = false;
    int rc = CLI_FAIL;
    if (cli_gate(c, s, NT_ROLE_ADMIN, "mengubah daftar pegawai dan akun", &u, &audit)) {
        rc = cli_import_file(c, s, argv[optind], what, fn, &o);
        if (rc == CLI_OK && audit && !o.dry_run)
            rc = cli_audit(c, s, &u,
                           strcmp(what, "akun") == 0 ? "accounts.import" : "employees.import",
                           "registry", 0, json_pack("{s:s}", "file", argv[optind]));
    }
    cli_close_as(s, &u);
    nt_buf_release(&rbuf);
    return rc;
}
