/*
 * cmd_employees.c - `netra employees import|list|show`: the employee
 * registry as people see it (tables in Indonesian, or --json).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "registry.h"

const char cmd_employees_usage[] =
    "Pemakaian: netra employees SUBPERINTAH [OPSI]\n"
    "\n"
    "Daftar pegawai (ASN) yang diawasi.\n"
    "\n"
    "Subperintah:\n"
    "  import BERKAS.csv   impor atau perbarui daftar pegawai\n"
    "  list                tampilkan pegawai (dengan penyaring)\n"
    "  show NIP            rincian satu pegawai, akunnya, dan riwayat perubahannya\n"
    "\n"
    "Bantuan subperintah: netra employees SUBPERINTAH --help\n";

static const char import_usage[] =
    "Pemakaian: netra employees import [--skip-invalid] [--partial] [--dry-run]\n"
    "                                [--profile siasn] [--regions WILAYAH.csv] BERKAS.csv\n"
    "\n"
    "Mengimpor daftar pegawai dari CSV dengan kolom:\n"
    "  nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,status[,eselon]\n"
    "jenis_jabatan: JPT, Administrator, Pengawas, Fungsional, atau Pelaksana.\n"
    "status: PNS atau PPPK. kode_wilayah: kode Kemendagri, mis. 76 atau 76.04.\n"
    "\n"
    "--profile siasn: ekspor gaya SIASN. Nama kolomnya diterima (nip_baru,\n"
    "nama_lengkap, instansi_induk, unor, jenis_jabatan_nama, jabatan_nama,\n"
    "status_pegawai, eselon, ...) dan ejaannya dipetakan: \"Jabatan Fungsional\" atau\n"
    "JFT -> Fungsional, \"Fungsional Umum\" -> Pelaksana, \"Struktural\" -> menurut\n"
    "eselon (I-II JPT, III Administrator, IV-V Pengawas), CPNS -> PNS, P3K -> PPPK.\n"
    "Nilai yang tidak dapat dipetakan disebut per baris.\n"
    "--regions WILAYAH.csv: tabel unit,kode_wilayah untuk berkas tanpa kode\n"
    "Kemendagri: wilayah unit kerja, atau bila tidak ada, wilayah instansinya.\n"
    "Pemisah koma, titik koma, atau tab; BOM UTF-8 dan akhir baris CRLF diterima.\n"
    "\n"
    "Impor bersifat utuh: satu baris salah membuat seluruh berkas ditolak, setiap\n"
    "kesalahan ditampilkan sebagai BERKAS:BARIS: kolom: alasan, dan basis data\n"
    "tidak diubah. Impor ulang memperbarui data dan mencatat riwayatnya; pegawai\n"
    "yang tidak lagi ada di berkas ditandai tidak aktif, tidak pernah dihapus.\n"
    "\n"
    "Opsi:\n"
    "  --skip-invalid  impor baris yang sah, laporkan dan lewati yang salah\n"
    "  --partial       berkas hanya sebagian: tambah/perbarui, jangan nonaktifkan\n"
    "  --dry-run       periksa dan hitung saja, tanpa menyimpan\n";

static const char list_usage[] =
    "Pemakaian: netra employees list [OPSI]\n"
    "\n"
    "Menampilkan pegawai aktif, urut instansi dan nama. Kelompok usia dan jenis\n"
    "kelamin diturunkan dari NIP.\n"
    "\n"
    "Opsi:\n"
    "  --agency INSTANSI       hanya instansi ini (nama persis, huruf besar/kecil bebas)\n"
    "  --region KODE           hanya wilayah ini dan wilayah di dalamnya (mis. 76)\n"
    "  --position-type JENIS   JPT, Administrator, Pengawas, Fungsional, Pelaksana\n"
    "  --status STATUS         PNS atau PPPK\n"
    "  --all                   sertakan pegawai yang tidak aktif\n"
    "  --json                  keluaran JSON\n";

static const char show_usage[] = "Pemakaian: netra employees show [--json] NIP\n"
                                 "\n"
                                 "Rincian satu pegawai: data, usia dan kelompok usia, akun media\n"
                                 "sosial yang dinyatakan, dan riwayat perubahan dari impor.\n";

static int employees_import(struct cli *c, int argc, char **argv)
{
    return cli_import(c, "employees import", "pegawai", nt_reg_import_employees, argc, argv);
}

/* What list and show print about one employee, for a table and for JSON. */
struct view {
    struct cli *c;
    struct cli_table *table;
    json_t *json;
    int64_t id; /* show: the employee found */
    bool all;
};

static const char *sex_label(char sex)
{
    return sex == 'L' ? "Laki-laki" : sex == 'P' ? "Perempuan" : "tidak diketahui";
}

static json_t *employee_json(const struct nt_reg_employee *e, struct nt_date today)
{
    char birth[16];
    snprintf(birth, sizeof(birth), "%04d-%02d-%02d", e->birth.y, e->birth.m, e->birth.d);
    const char *prov = nt_region_province_name(e->region_code);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:i, s:s, s:s, s:s, "
                     "s:b, s:i}",
                     "nip", e->nip, "nama", e->name, "instansi", e->agency, "unit_kerja",
                     e->work_unit, "jenis_jabatan", e->position_type, "jabatan", e->position,
                     "kode_wilayah", e->region_code, "provinsi", prov, "status", e->status,
                     "tanggal_lahir", birth, "usia", nt_date_age(e->birth, today), "kelompok_usia",
                     nt_reg_age_band_label(nt_reg_age_band(e->birth, today)), "jenis_kelamin",
                     e->sex == 'L' ? "L" : "P", "tmt", e->service_start, "aktif", e->active, "akun",
                     e->accounts);
}

static enum nt_err list_row(const struct nt_reg_employee *e, void *ctx)
{
    struct view *v = ctx;
    struct nt_date today = nt_date_from_time(v->c->now);
    if (v->json) {
        json_t *o = employee_json(e, today);
        if (!o || json_array_append_new(v->json, o) != 0)
            return NT_ENOMEM;
        return NT_OK;
    }
    char accounts[16], sex[2] = { e->sex, '\0' };
    snprintf(accounts, sizeof(accounts), "%d", e->accounts);
    const char *cells[10] = { e->nip,
                              e->name,
                              e->agency,
                              e->position_type,
                              e->region_code,
                              nt_reg_age_band_label(nt_reg_age_band(e->birth, today)),
                              sex,
                              e->status,
                              accounts,
                              e->active ? "ya" : "tidak" };
    return cli_table_add(v->table, cells) ? NT_OK : NT_ENOMEM;
}

static int parse_filter_value(struct cli *c, const char *cmd, int opt, const char *arg,
                              struct nt_reg_filter *f, char region[NT_REGION_MAX])
{
    static const char *const statuses[] = { "PNS", "PPPK" };
    struct nt_diag d;
    switch (opt) {
    case 'a':
        f->agency = arg;
        return CLI_OK;
    case 'r':
        nt_diag_clear(&d);
        if (nt_region_parse(arg, region, &d) != NT_OK)
            return cli_usage_error(c, cmd, "--region: %s", d.msg);
        f->region = region;
        return CLI_OK;
    case 't':
        for (size_t i = 0; i < 5; i++)
            if (strcasecmp(arg, nt_reg_position_types[i]) == 0)
                f->position_type = nt_reg_position_types[i];
        if (!f->position_type)
            return cli_usage_error(c, cmd, "--position-type \"%s\" tidak dikenal", arg);
        return CLI_OK;
    case 's':
        for (size_t i = 0; i < 2; i++)
            if (strcasecmp(arg, statuses[i]) == 0)
                f->status = statuses[i];
        if (!f->status)
            return cli_usage_error(c, cmd, "--status harus PNS atau PPPK");
        return CLI_OK;
    case 'p':
        for (size_t i = 0; i < 4; i++)
            if (strcasecmp(arg, nt_reg_platforms[i]) == 0)
                f->platform = nt_reg_platforms[i];
        if (!f->platform)
            return cli_usage_error(c, cmd, "--platform harus mastodon, bluesky, feed, atau x");
        return CLI_OK;
    }
    return CLI_USAGE;
}

/* Shared with accounts list: the registry filter options. */
int cli_registry_filter(struct cli *c, const char *cmd, int argc, char **argv,
                        struct nt_reg_filter *f, char region[NT_REGION_MAX], bool *json,
                        bool with_platform)
{
    static const struct option longopts[] = {
        { "agency", required_argument, NULL, 'a' },
        { "region", required_argument, NULL, 'r' },
        { "position-type", required_argument, NULL, 't' },
        { "status", required_argument, NULL, 's' },
        { "platform", required_argument, NULL, 'p' },
        { "all", no_argument, NULL, 'A' },
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    int opt, rc;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'A') {
            f->include_inactive = true;
        } else if (opt == 'j') {
            *json = true;
        } else if (opt == 'p' && !with_platform) {
            return cli_usage_error(c, cmd, "opsi --platform tidak berlaku di sini");
        } else if (opt == 'a' || opt == 'r' || opt == 't' || opt == 's' || opt == 'p') {
            rc = parse_filter_value(c, cmd, opt, optarg, f, region);
            if (rc)
                return rc;
        } else {
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (optind != argc)
        return cli_usage_error(c, cmd, "argumen \"%s\" tidak dikenal", argv[optind]);
    return CLI_OK;
}

static int employees_list(struct cli *c, int argc, char **argv)
{
    static const char *const headers[10] = { "NIP",  "NAMA", "INSTANSI", "JENIS", "WILAYAH",
                                             "USIA", "JK",   "STATUS",   "AKUN",  "AKTIF" };
    struct nt_reg_filter f = { 0 };
    char region[NT_REGION_MAX];
    struct view v = { .c = c };
    struct nt_diag d;
    bool json = false;
    int rc = cli_registry_filter(c, "employees list", argc, argv, &f, region, &json, false);
    if (rc)
        return rc;
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    v.all = f.include_inactive;
    if (json)
        v.json = json_array();
    else
        v.table = cli_table_new(10, headers);
    nt_diag_clear(&d);
    enum nt_err err = (v.json || v.table) ? nt_reg_employees_each(s, &f, list_row, &v, &d)
                                          : nt_diag_set(&d, NT_ENOMEM, "memori tidak cukup");
    if (err) {
        if (!d.msg[0])
            nt_diag_set(&d, err, "%s", nt_err_str(err));
        rc = cli_fail(c, &d);
    } else if (json) {
        rc = cli_print_json(c, v.json);
    } else if (cli_table_rows(v.table) == 0) {
        fputs("Tidak ada pegawai yang cocok.\n", c->out);
    } else {
        cli_table_print(v.table, c->out, 40);
        fprintf(c->out, "%zu pegawai\n", cli_table_rows(v.table));
    }
    json_decref(v.json);
    cli_table_free(v.table);
    nt_store_close(s);
    return rc;
}

struct show {
    struct cli *c;
    json_t *obj;
    int64_t id;
    json_t *accounts;
    json_t *history;
};

static enum nt_err show_employee(const struct nt_reg_employee *e, void *ctx)
{
    struct show *sh = ctx;
    struct nt_date today = nt_date_from_time(sh->c->now);
    sh->id = e->id;
    sh->obj = employee_json(e, today);
    return sh->obj ? NT_OK : NT_ENOMEM;
}

static enum nt_err show_account(const struct nt_reg_account *a, void *ctx)
{
    struct show *sh = ctx;
    json_t *o = json_pack("{s:s, s:s, s:s?, s:b}", "platform", a->platform, "account", a->account,
                          "endpoint", a->endpoint, "aktif", a->active);
    if (!o || json_array_append_new(sh->accounts, o) != 0)
        return NT_ENOMEM;
    return NT_OK;
}

static enum nt_err show_change(const struct nt_reg_change *ch, void *ctx)
{
    struct show *sh = ctx;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "waktu", ch->at, "berkas", ch->source,
                          "kolom", ch->field, "lama", ch->old_value, "baru", ch->new_value);
    if (!o || json_array_append_new(sh->history, o) != 0)
        return NT_ENOMEM;
    return NT_OK;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "-";
}

static void kv(struct cli *c, const char *key, const char *val)
{
    fprintf(c->out, "%-15s: ", key);
    cli_put_safe(c->out, val);
    fputc('\n', c->out);
}

static void print_show(struct cli *c, const struct show *sh)
{
    json_t *o = sh->obj;
    char buf[512];
    kv(c, "NIP", jstr(o, "nip"));
    kv(c, "Nama", jstr(o, "nama"));
    kv(c, "Instansi", jstr(o, "instansi"));
    kv(c, "Unit kerja", jstr(o, "unit_kerja"));
    snprintf(buf, sizeof(buf), "%s (%s)", jstr(o, "jabatan"), jstr(o, "jenis_jabatan"));
    kv(c, "Jabatan", buf);
    kv(c, "Status", jstr(o, "status"));
    snprintf(buf, sizeof(buf), "%s (%s)", jstr(o, "kode_wilayah"), jstr(o, "provinsi"));
    kv(c, "Wilayah", buf);
    snprintf(buf, sizeof(buf), "%s (usia %lld, kelompok %s)", jstr(o, "tanggal_lahir"),
             (long long)json_integer_value(json_object_get(o, "usia")), jstr(o, "kelompok_usia"));
    kv(c, "Tanggal lahir", buf);
    kv(c, "Jenis kelamin", sex_label(jstr(o, "jenis_kelamin")[0]));
    kv(c, "TMT CPNS", jstr(o, "tmt"));
    kv(c, "Aktif", json_is_true(json_object_get(o, "aktif")) ? "ya" : "tidak");

    size_t i;
    json_t *it;
    fprintf(c->out, "\nAkun media sosial (%zu):\n", json_array_size(sh->accounts));
    json_array_foreach(sh->accounts, i, it)
    {
        snprintf(buf, sizeof(buf), "  %-9s %s%s%s%s", jstr(it, "platform"), jstr(it, "account"),
                 json_is_string(json_object_get(it, "endpoint")) ? "  via " : "",
                 json_is_string(json_object_get(it, "endpoint")) ? jstr(it, "endpoint") : "",
                 json_is_true(json_object_get(it, "aktif")) ? "" : "  (tidak aktif)");
        cli_put_safe(c->out, buf);
        fputc('\n', c->out);
    }
    fprintf(c->out, "\nRiwayat perubahan (%zu):\n", json_array_size(sh->history));
    json_array_foreach(sh->history, i, it)
    {
        snprintf(buf, sizeof(buf), "  %s  %s: \"%s\" -> \"%s\"  (%s)", jstr(it, "waktu"),
                 jstr(it, "kolom"), jstr(it, "lama"), jstr(it, "baru"), jstr(it, "berkas"));
        cli_put_safe(c->out, buf);
        fputc('\n', c->out);
    }
}

static int employees_show(struct cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    struct show sh = { .c = c };
    struct nt_reg_filter f = { 0 };
    struct nt_nip nip;
    struct nt_diag d;
    bool json = false;
    int opt, rc = CLI_FAIL;

    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt != 'j')
            return cli_bad_option(c, "employees show", argc, argv);
        json = true;
    }
    if (optind + 1 != argc)
        return cli_usage_error(c, "employees show", "sebutkan tepat satu NIP");
    nt_diag_clear(&d);
    if (nt_reg_nip_parse(argv[optind], nt_date_from_time(c->now), &nip, &d) != NT_OK)
        return cli_usage_error(c, "employees show", "%s", d.msg);
    struct nt_store *s = cli_open_store(c, NT_STORE_READONLY | NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    f.nip = nip.digits;
    sh.accounts = json_array();
    sh.history = json_array();
    enum nt_err err = nt_reg_employees_each(s, &f, show_employee, &sh, &d);
    if (!err && !sh.obj) {
        rc = cli_failf(c, "pegawai dengan NIP %s tidak terdaftar", nip.digits);
        goto out;
    }
    if (!err)
        err = nt_reg_accounts_each(s, &f, show_account, &sh, &d);
    if (!err)
        err = nt_reg_changes_each(s, sh.id, show_change, &sh, &d);
    if (err) {
        if (!d.msg[0])
            nt_diag_set(&d, err, "%s", nt_err_str(err));
        rc = cli_fail(c, &d);
        goto out;
    }
    if (json) {
        json_object_set(sh.obj, "akun_media_sosial", sh.accounts);
        json_object_set(sh.obj, "riwayat", sh.history);
        rc = cli_print_json(c, sh.obj);
    } else {
        print_show(c, &sh);
        rc = CLI_OK;
    }
out:
    json_decref(sh.obj);
    json_decref(sh.accounts);
    json_decref(sh.history);
    nt_store_close(s);
    return rc;
}

int cmd_employees(struct cli *c, int argc, char **argv)
{
    static const struct cli_cmd subs[] = {
        { "import", employees_import, "impor pegawai", import_usage, false },
        { "list", employees_list, "daftar pegawai", list_usage, false },
        { "show", employees_show, "rincian pegawai", show_usage, false },
    };
    return cli_dispatch(c, "employees", cmd_employees_usage, subs, sizeof(subs) / sizeof(subs[0]),
                        argc, argv);
}
