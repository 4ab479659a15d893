/*
 * cmd_accounts.c - `netra accounts import|list`: the social media accounts
 * employees declared, which the crawler will watch.
 */
#include <jansson.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "registry.h"

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
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY);
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
    enum { NCOL = 9 };
    static const char *const headers[NCOL] = { "NIP",   "NAMA",      "PLATFORM",
                                               "AKUN",  "STATUS",    "BERHASIL TERAKHIR",
                                               "GAGAL", "COBA LAGI", "GALAT" };
    struct nt_reg_filter f = { 0 };
    char region[NT_REGION_MAX];
    bool json = false;
    int rc = cli_registry_filter(c, "accounts status", argc, argv, &f, region, &json, true);
    if (rc)
        return rc;
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY);
    if (!s)
        return CLI_FAIL;
    sqlite3_stmt *st = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    if (f.agency && nt_reg_agency_check(s, f.agency, &d) != NT_OK) {
        nt_store_close(s);
        return cli_fail(c, &d);
    }
    if (nt_store_prepare(s,
                         "SELECT e.nip, e.name, a.platform, a.account, "
                         "COALESCE(c.state, 'new'), c.last_success_at, "
                         "COALESCE(c.consecutive_failures, 0), c.next_attempt_at, c.last_error "
                         "FROM accounts a JOIN employees e ON e.id = a.employee_id "
                         "LEFT JOIN crawl_state c ON c.account_id = a.id "
                         "WHERE a.active = 1 AND e.active = 1 "
                         "AND (?1 IS NULL OR e.agency = ?1 COLLATE NOCASE) "
                         "AND (?2 IS NULL OR a.platform = ?2) ORDER BY e.agency, e.name, a.id",
                         &st, &d) != NT_OK) {
        nt_store_close(s);
        return cli_fail(c, &d);
    }
    if (f.agency)
        sqlite3_bind_text(st, 1, f.agency, -1, SQLITE_STATIC);
    if (f.platform)
        sqlite3_bind_text(st, 2, f.platform, -1, SQLITE_STATIC);
    struct cli_table *t = json ? NULL : cli_table_new(NCOL, headers);
    json_t *arr = json ? json_array() : NULL;
    size_t total = 0, ok = 0, never = 0, failing = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cells[NCOL];
        for (int i = 0; i < NCOL; i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            cells[i] = v ? (const char *)v : "-";
        }
        int failures = sqlite3_column_int(st, 6);
        total++;
        if (strcmp(cells[4], "ok") == 0)
            ok++;
        if (sqlite3_column_type(st, 5) == SQLITE_NULL)
            never++;
        if (failures > 0)
            failing++;
        if (arr)
            json_array_append_new(
                arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:i, s:s?}", "nip", cells[0],
                               "nama", cells[1], "platform", cells[2], "account", cells[3], "state",
                               cells[4], "last_success", (const char *)sqlite3_column_text(st, 5),
                               "last_error", (const char *)sqlite3_column_text(st, 8), "failures",
                               failures, "next_attempt", (const char *)sqlite3_column_text(st, 7)));
        else
            cli_table_add(t, cells);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        /* A failed read is an error, never a short report. */
        json_decref(arr);
        cli_table_free(t);
        nt_store_fail(s, step, "membaca cakupan", &d);
        nt_store_close(s);
        return cli_fail(c, &d);
    }
    if (arr) {
        rc = cli_print_json(c, arr);
        json_decref(arr);
    } else {
        if (total)
            cli_table_print(t, c->out, 40);
        fprintf(c->out,
                "%zu akun aktif: %zu berstatus ok, %zu belum pernah berhasil diambil, %zu sedang "
                "gagal.\n",
                total, ok, never, failing);
        cli_table_free(t);
    }
    nt_store_close(s);
    return rc;
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
