/*
 * cmd_accounts.c - `netra accounts import|list`: the social media accounts
 * employees declared, which the crawler will watch.
 */
#include <jansson.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "registry.h"
#include "review.h"

const char cmd_accounts_usage[] =
    "Pemakaian: netra accounts SUBPERINTAH [OPSI]\n"
    "\n"
    "Akun media sosial yang dinyatakan pegawai.\n"
    "\n"
    "Subperintah:\n"
    "  import BERKAS.csv   impor atau perbarui daftar akun\n"
    "  list                tampilkan akun (dengan penyaring)\n"
    "  status              cakupan pemantauan: status crawl per akun\n"
    "\n"
    "Bantuan subperintah: netra accounts SUBPERINTAH --help\n";

static const char import_usage[] =
    "Pemakaian: netra accounts import [--skip-invalid] [--partial] [--dry-run] BERKAS.csv\n"
    "\n"
    "Mengimpor akun dari CSV dengan kolom nip,platform,account[,endpoint]:\n"
    "  platform  mastodon, bluesky, feed, atau x\n"
    "  account   mastodon: pengguna@instance; bluesky: handle atau DID;\n"
    "            feed: URL RSS/Atom/JSON Feed; x: nama pengguna\n"
    "  endpoint  opsional: URL dasar API untuk server yang dikelola sendiri\n"
    "Setiap NIP harus milik pegawai aktif yang sudah diimpor.\n"
    "\n"
    "Impor bersifat utuh seperti impor pegawai: satu baris salah menolak seluruh\n"
    "berkas (BERKAS:BARIS: kolom: alasan); akun yang tidak lagi ada di berkas\n"
    "ditandai tidak aktif, tidak dihapus.\n"
    "\n"
    "Opsi:\n"
    "  --skip-invalid  impor baris yang sah, laporkan dan lewati yang salah\n"
    "  --partial       berkas hanya sebagian: tambah/perbarui, jangan nonaktifkan\n"
    "  --dry-run       periksa dan hitung saja, tanpa menyimpan\n";

static const char list_usage[] =
    "Pemakaian: netra accounts list [OPSI]\n"
    "\n"
    "Menampilkan akun aktif milik pegawai aktif.\n"
    "\n"
    "Opsi:\n"
    "  --agency INSTANSI       hanya pegawai instansi ini\n"
    "  --region KODE           hanya pegawai di wilayah ini (mis. 76)\n"
    "  --position-type JENIS   hanya jenis jabatan ini\n"
    "  --status STATUS         PNS atau PPPK\n"
    "  --platform PLATFORM     mastodon, bluesky, feed, atau x\n"
    "  --all                   sertakan akun dan pegawai yang tidak aktif\n"
    "  --json                  keluaran JSON\n";

static int accounts_import(struct cli *c, int argc, char **argv)
{
    return cli_import(c, "accounts import", "akun", nt_reg_import_accounts, argc, argv);
}

struct view {
    struct cli_table *table;
    json_t *json;
};

static enum nt_err list_row(const struct nt_reg_account *a, void *ctx)
{
    struct view *v = ctx;
    if (v->json) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:b}", "nip", a->nip, "nama",
                              a->employee_name, "instansi", a->agency, "platform", a->platform,
                              "account", a->account, "endpoint", a->endpoint, "aktif", a->active);
        if (!o || json_array_append_new(v->json, o) != 0)
            return NT_ENOMEM;
        return NT_OK;
    }
    const char *cells[7] = { a->nip,
                             a->employee_name,
                             a->agency,
                             a->platform,
                             a->account,
                             a->endpoint ? a->endpoint : "-",
                             a->active ? "ya" : "tidak" };
    return cli_table_add(v->table, cells) ? NT_OK : NT_ENOMEM;
}

static int accounts_list(struct cli *c, int argc, char **argv)
{
    static const char *const headers[7] = { "NIP",  "NAMA",     "INSTANSI", "PLATFORM",
                                            "AKUN", "ENDPOINT", "AKTIF" };
    struct nt_reg_filter f = { 0 };
    char region[NT_REGION_MAX];
    struct view v = { 0 };
    struct nt_diag d;
    bool json = false;
    int rc = cli_registry_filter(c, "accounts list", argc, argv, &f, region, &json, true);
    if (rc)
        return rc;
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    if (json)
        v.json = json_array();
    else
        v.table = cli_table_new(7, headers);
    nt_diag_clear(&d);
    enum nt_err err = (v.json || v.table) ? nt_reg_accounts_each(s, &f, list_row, &v, &d)
                                          : nt_diag_set(&d, NT_ENOMEM, "memori tidak cukup");
    if (err) {
        if (!d.msg[0])
            nt_diag_set(&d, err, "%s", nt_err_str(err));
        rc = cli_fail(c, &d);
    } else if (json) {
        rc = cli_print_json(c, v.json);
    } else if (cli_table_rows(v.table) == 0) {
        fputs("Tidak ada akun yang cocok.\n", c->out);
    } else {
        cli_table_print(v.table, c->out, 48);
        fprintf(c->out, "%zu akun\n", cli_table_rows(v.table));
    }
    json_decref(v.json);
    cli_table_free(v.table);
    nt_store_close(s);
    return rc;
}

static const char status_usage[] =
    "Pemakaian: netra accounts status [--agency INSTANSI] [--platform P] [--json]\n"
    "\n"
    "Cakupan pemantauan per akun aktif: status crawl terakhir (ok, not_found,\n"
    "private, rate_limited, error, skipped), keberhasilan terakhir, galat terakhir dan\n"
    "kegagalan berturut-turut dan jadwal coba lagi (akun yang gagal menunggu 5 menit,\n"
    "berlipat dua, paling lama 1 hari), agar \"bersih\" dapat dibedakan dari\n"
    "\"tidak diawasi\".\n";

static int accounts_status(struct cli *c, int argc, char **argv)
{
    enum { NCOL = 11 };
    static const char *const headers[NCOL] = {
        "NIP",   "NAMA",      "INSTANSI", "PLATFORM",    "AKUN", "STATUS", "BERHASIL TERAKHIR",
        "GAGAL", "COBA LAGI", "GALAT",    "AKUN DIIKUTI"
    };
    static const char *const keys[NCOL] = { "nip",          "name",     "agency",
                                            "platform",     "account",  "state",
                                            "last_success", "failures", "next_attempt",
                                            "last_error",   "follows" };
    struct nt_reg_filter rf = { 0 };
    char region[NT_REGION_MAX];
    bool json = false;
    int rc = cli_registry_filter(c, "accounts status", argc, argv, &rf, region, &json, true);
    if (rc)
        return rc;
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    /* Scoped by the library: a supervisor sees their agencies only. */
    struct nt_user u = { 0 };
    bool scoped = false;
    if (!cli_gate(c, s, NT_ROLE_SUPERVISOR | NT_ROLE_ADMIN, "melihat cakupan pemantauan", &u,
                  &scoped)) {
        nt_user_release(&u);
        nt_store_close(s);
        return CLI_FAIL;
    }
    struct nt_coverage_filter f = { rf.agency, rf.platform, NULL, 0, 0 };
    struct nt_diag d;
    json_t *arr = NULL;
    nt_diag_clear(&d);
    enum nt_err err = nt_coverage(s, scoped ? &u : NULL, &f, &arr, &d);
    nt_user_release(&u);
    nt_store_close(s);
    if (err)
        return cli_fail(c, &d);
    if (json) {
        rc = cli_print_json(c, arr);
        json_decref(arr);
        return rc;
    }
    struct cli_table *t = cli_table_new(NCOL, headers);
    size_t i, ok = 0, never = 0, failing = 0;
    json_t *row;
    json_array_foreach(arr, i, row)
    {
        const char *cells[NCOL];
        char num[24], last[48], next[48];
        for (int k = 0; k < NCOL; k++) {
            json_t *v = json_object_get(row, keys[k]);
            if (json_is_integer(v)) {
                snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
                cells[k] = num;
            } else if (strcmp(keys[k], "platform") == 0 || strcmp(keys[k], "state") == 0) {
                cells[k] = cli_word(keys[k][0] == 'p' ? "platform" : "crawl_state", row, keys[k]);
            } else if (strcmp(keys[k], "last_success") == 0 ||
                       strcmp(keys[k], "next_attempt") == 0) {
                cells[k] = cli_time(row, keys[k], json_string_value(json_object_get(row, "region")),
                                    k == 6 ? last : next, sizeof(last));
            } else {
                cells[k] = json_is_string(v) ? json_string_value(v) : "-";
            }
        }
        cli_table_add(t, cells);
        ok += strcmp(json_string_value(json_object_get(row, "state")), "ok") == 0;
        never += json_is_null(json_object_get(row, "last_success"));
        failing += json_integer_value(json_object_get(row, "failures")) > 0;
    }
    if (json_array_size(arr))
        cli_table_print(t, c->out, 40);
    fprintf(c->out,
            "%zu akun aktif: %zu terpantau baik, %zu belum pernah berhasil diambil, %zu sedang "
            "gagal.\n",
            json_array_size(arr), ok, never, failing);
    cli_table_free(t);
    json_decref(arr);
    return CLI_OK;
}

int cmd_accounts(struct cli *c, int argc, char **argv)
{
    static const struct cli_cmd subs[] = {
        { "import", accounts_import, "impor akun", import_usage, false },
        { "list", accounts_list, "daftar akun", list_usage, false },
        { "status", accounts_status, "cakupan pemantauan", status_usage, false },
    };
    return cli_dispatch(c, "accounts", cmd_accounts_usage, subs, sizeof(subs) / sizeof(subs[0]),
                        argc, argv);
}
