/*
 * employees.c - importing the employee registry CSV: validate every row,
 * then upsert in one transaction with field-level history, and mark the
 * employees the file no longer lists as inactive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "import.h"
#include "strmap.h"

const char *const nt_reg_position_types[5] = { "JPT", "Administrator", "Pengawas", "Fungsional",
                                               "Pelaksana" };
static const char *const statuses[2] = { "PNS", "PPPK" };

/* Required columns first; kode_wilayah may come from a region table;
 * eselon says which Struktural position type a row is (SIASN). */
static const char *const emp_cols[] = { "nip",        "nama",          "instansi",
                                        "unit_kerja", "jenis_jabatan", "jabatan",
                                        "status",     "kode_wilayah",  "eselon" };
enum {
    C_NIP,
    C_NAME,
    C_AGENCY,
    C_UNIT,
    C_PTYPE,
    C_POSITION,
    C_STATUS,
    C_REGION,
    C_ESELON,
    C_COUNT
};

/*
 * The bundled profile of SIASN-style exports (the national civil-service
 * system): its column names, and its spellings of position types and
 * statuses. Written from the forms' public field names, not from any file.
 */
static const struct imp_alias siasn_cols[] = {
    { "nip_baru", "nip" },
    { "nip baru", "nip" },
    { "nama_lengkap", "nama" },
    { "nama_pegawai", "nama" },
    { "instansi_induk", "instansi" },
    { "instansi_kerja", "instansi" },
    { "unor", "unit_kerja" },
    { "unor_nama", "unit_kerja" },
    { "unit_organisasi", "unit_kerja" },
    { "satuan_kerja", "unit_kerja" },
    { "jenis_jabatan_nama", "jenis_jabatan" },
    { "jabatan_nama", "jabatan" },
    { "nama_jabatan", "jabatan" },
    { "status_pegawai", "status" },
    { "status_kepegawaian", "status" },
    { "kedudukan_hukum", "status" },
    { "jenis_pegawai", "status" },
    { "eselon_nama", "eselon" },
    { "eselon_id", "eselon" },
    { "lokasi_kerja_kode", "kode_wilayah" },
    { NULL, NULL },
};

struct spelling {
    const char *from, *to; /* "to" NULL: decided by the echelon */
};

static const struct spelling siasn_ptypes[] = {
    { "jabatan pimpinan tinggi", "JPT" },
    { "pimpinan tinggi", "JPT" },
    { "jpt pratama", "JPT" },
    { "jpt madya", "JPT" },
    { "jabatan administrator", "Administrator" },
    { "jabatan pengawas", "Pengawas" },
    { "jabatan fungsional", "Fungsional" },
    { "fungsional tertentu", "Fungsional" },
    { "jft", "Fungsional" },
    { "fungsional umum", "Pelaksana" },
    { "jfu", "Pelaksana" },
    { "jabatan pelaksana", "Pelaksana" },
    { "struktural", NULL },
    { "jabatan struktural", NULL },
    { NULL, NULL },
};

static const struct spelling siasn_statuses[] = {
    { "cpns", "PNS" }, /* a candidate civil servant is bound like a PNS */
    { "pns", "PNS" },
    { "pegawai negeri sipil", "PNS" },
    { "p3k", "PPPK" },
    { "pppk", "PPPK" },
    { "pegawai pemerintah dengan perjanjian kerja", "PPPK" },
    { "aktif", NULL }, /* a state, not a status: the file says nothing */
    { NULL, NULL },
};

static const struct spelling *spelling_of(const struct spelling *t, const char *v, bool *found)
{
    *found = false;
    for (; t->from; t++)
        if (strcasecmp(t->from, v) == 0) {
            *found = true;
            return t;
        }
    return NULL;
}

/* A Struktural position's type from its echelon: I and II lead (JPT), III
 * administer, IV and V supervise (Perpres on ASN positions). */
static const char *ptype_of_echelon(const char *e)
{
    while (*e == ' ')
        e++;
    if (!strncasecmp(e, "eselon", 6))
        e += 6;
    while (*e == ' ')
        e++;
    if (!strncasecmp(e, "iii", 3) || *e == '3')
        return "Administrator";
    if (!strncasecmp(e, "iv", 2) || *e == '4' || *e == 'V' || *e == 'v' || *e == '5')
        return "Pengawas";
    if (!strncasecmp(e, "ii", 2) || *e == '2' || !strncasecmp(e, "i", 1) || *e == '1')
        return "JPT";
    return NULL;
}

#define TEXT_MAX 200

struct emp_row {
    unsigned long line;
    struct nt_nip nip;
    char region[NT_REGION_MAX];
    const char *ptype;  /* static canonical */
    const char *status; /* static canonical */
    bool cpns;          /* the file said CPNS */
    char *name, *agency, *unit, *position;
};

struct emp_rows {
    struct emp_row *v;
    size_t n, cap;
};

static void rows_release(struct emp_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        free(r->v[i].agency);
        free(r->v[i].unit);
        free(r->v[i].position);
    }
    free(r->v);
}

static enum nt_err rows_push(struct emp_rows *r, struct emp_row *row)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct emp_row *v = realloc(r->v, cap * sizeof(*v));
        if (!v)
            return NT_ENOMEM;
        r->v = v;
        r->cap = cap;
    }
    row->name = strdup(row->name);
    row->agency = strdup(row->agency);
    row->unit = strdup(row->unit);
    row->position = strdup(row->position);
    r->v[r->n++] = *row;
    if (!row->name || !row->agency || !row->unit || !row->position)
        return NT_ENOMEM;
    return NT_OK;
}

/* Work unit or agency (lower case) -> Kemendagri region code, from a CSV
 * with the columns unit,kode_wilayah. */
struct region_table {
    struct nt_strmap map;
    char **codes;
    size_t n, cap;
};

static void region_table_release(struct region_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->codes[i]);
    free(t->codes);
    nt_strmap_release(&t->map);
}

static const char *region_lookup(const struct region_table *t, const char *key)
{
    size_t i;
    return nt_strmap_get(&t->map, key, &i) ? t->codes[i] : NULL;
}

/* Read the table; its problems go to `errs` as FILE:LINE: field: reason. */
static enum nt_err region_table_load(struct region_table *t, const char *label, const char *data,
                                     size_t len, struct nt_diag_list *errs)
{
    static const char *const cols[] = { "unit", "kode_wilayah" };
    struct imp im;
    enum nt_err err = imp_begin(&im, label, data, len, cols, 2, 2, NULL, errs);
    while (!err) {
        struct nt_csv_record rec;
        bool usable;
        err = imp_next(&im, &rec, &usable);
        if (err || rec.count == 0)
            break;
        if (!usable)
            continue;
        char *unit = imp_field(&im, &rec, im.idx[0], TEXT_MAX, true);
        char *code = imp_field(&im, &rec, im.idx[1], 20, true);
        if (!unit || !code) {
            im.rejected++;
            continue;
        }
        for (char *k = unit; *k; k++)
            *k = (char)((*k >= 'A' && *k <= 'Z') ? *k + 32 : *k);
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            char **v = realloc(t->codes, cap * sizeof(*v));
            if (!v) {
                err = NT_ENOMEM;
                break;
            }
            t->codes = v;
            t->cap = cap;
        }
        size_t first;
        enum nt_err e = nt_strmap_put(&t->map, unit, t->n, &first);
        if (e == NT_EEXISTS) {
            imp_error(&im, rec.line, "unit", "unit \"%s\" sudah ada di baris sebelumnya", unit);
            im.rejected++;
            continue;
        }
        if (e || !(t->codes[t->n] = strdup(code))) {
            err = NT_ENOMEM;
            break;
        }
        t->n++;
    }
    if (!err && im.rejected)
        err = NT_EINPUT;
    imp_release(&im);
    return err;
}

/* Validate one usable CSV row; true when it can be imported. NIPs that
 * parse are remembered in `seen` even when another field is bad, so that
 * a bad row never causes its employee to be deactivated. */
static bool validate_row(struct imp *im, const struct nt_csv_record *rec, struct nt_date today,
                         struct nt_strmap *seen, bool siasn, const struct region_table *regions,
                         struct emp_row *row)
{
    struct nt_diag d;
    bool ok = true;
    char *v;

    memset(row, 0, sizeof(*row));
    row->line = rec->line;

    v = imp_field(im, rec, im->idx[C_NIP], 40, true);
    if (!v) {
        ok = false;
    } else {
        nt_diag_clear(&d);
        if (nt_reg_nip_parse(v, today, &row->nip, &d) != NT_OK) {
            imp_error_diag(im, rec->line, "nip", &d);
            ok = false;
        } else {
            size_t first;
            enum nt_err e = nt_strmap_put(seen, row->nip.digits, rec->line, &first);
            if (e == NT_EEXISTS) {
                imp_error(im, rec->line, "nip", "NIP %s sudah ada di baris %zu", row->nip.digits,
                          first);
                ok = false;
            } else if (e) {
                imp_error(im, rec->line, "nip", "memori tidak cukup");
                ok = false;
            }
        }
    }
    row->name = imp_field(im, rec, im->idx[C_NAME], TEXT_MAX, true);
    row->agency = imp_field(im, rec, im->idx[C_AGENCY], TEXT_MAX, true);
    row->unit = imp_field(im, rec, im->idx[C_UNIT], TEXT_MAX, false);
    row->position = imp_field(im, rec, im->idx[C_POSITION], TEXT_MAX, true);
    ok = ok && row->name && row->agency && row->unit && row->position;

    v = imp_field(im, rec, im->idx[C_PTYPE], 40, true);
    if (v) {
        row->ptype = imp_pick(v, nt_reg_position_types, 5);
        bool known = row->ptype != NULL;
        const struct spelling *sp = siasn && !known ? spelling_of(siasn_ptypes, v, &known) : NULL;
        if (sp && sp->to) {
            row->ptype = sp->to;
        } else if (sp) {
            char *e =
                im->idx[C_ESELON] >= 0 ? imp_field(im, rec, im->idx[C_ESELON], 20, false) : NULL;
            row->ptype = e && *e ? ptype_of_echelon(e) : NULL;
            if (!row->ptype)
                imp_error(im, rec->line, "eselon",
                          "jabatan \"%s\" memerlukan eselon (I sampai V) untuk menentukan jenis "
                          "jabatannya%s%s%s",
                          v, e && *e ? ", bukan \"" : "", e && *e ? e : "", e && *e ? "\"" : "");
            known = true;
        }
        if (!known) {
            imp_error(im, rec->line, "jenis_jabatan",
                      "\"%s\" tidak dikenal (pilih JPT, Administrator, Pengawas, Fungsional, "
                      "atau Pelaksana)",
                      v);
        }
    }
    ok = ok && row->ptype;

    v = imp_field(im, rec, im->idx[C_STATUS], 60, true);
    if (v) {
        row->status = imp_pick(v, statuses, 2);
        bool known = row->status != NULL;
        const struct spelling *sp = siasn && !known ? spelling_of(siasn_statuses, v, &known) : NULL;
        if (sp) {
            row->status = sp->to;
            row->cpns = strcasecmp(v, "cpns") == 0;
        }
        if (!row->status)
            imp_error(im, rec->line, "status", "\"%s\" tidak dikenal (pilih PNS atau PPPK%s)", v,
                      siasn ? "; profil siasn: CPNS, PNS, PPPK, P3K" : "");
    }
    ok = ok && row->status;

    /* The region: the file's Kemendagri code, else the region table's entry
     * for the work unit, else for the agency. */
    const char *rv =
        im->idx[C_REGION] >= 0 ? imp_field(im, rec, im->idx[C_REGION], 20, !regions) : NULL;
    const char *from = "kode_wilayah";
    if ((!rv || !*rv) && regions && row->unit && row->agency) {
        char key[TEXT_MAX * 4 + 1];
        rv = NULL;
        for (int pass = 0; pass < 2 && !rv; pass++) {
            const char *name = pass == 0 ? row->unit : row->agency;
            if (!*name)
                continue;
            snprintf(key, sizeof(key), "%s", name);
            for (char *k = key; *k; k++)
                *k = (char)((*k >= 'A' && *k <= 'Z') ? *k + 32 : *k);
            rv = region_lookup(regions, key);
        }
        if (!rv) {
            imp_error(im, rec->line, "kode_wilayah",
                      "unit \"%s\" dan instansi \"%s\" tidak ada di tabel wilayah", row->unit,
                      row->agency);
            return false;
        }
        from = "tabel wilayah";
    }
    if (rv && *rv) {
        nt_diag_clear(&d);
        if (nt_region_parse(rv, row->region, &d) != NT_OK) {
            imp_error_diag(im, rec->line, from, &d);
            ok = false;
        }
    } else {
        ok = false;
    }
    return ok;
}

struct emp_stmts {
    struct nt_db_stmt *sel, *ins, *upd, *chg, *keep;
};

static void stmts_finalize(struct emp_stmts *st)
{
    nt_db_finalize(st->sel);
    nt_db_finalize(st->ins);
    nt_db_finalize(st->upd);
    nt_db_finalize(st->chg);
    nt_db_finalize(st->keep);
}

/* Through store/db.h: the same SQL on SQLite and PostgreSQL. */
static enum nt_err stmts_prepare(struct nt_db *s, struct emp_stmts *st, struct nt_diag *d)
{
    enum nt_err err;
    err = nt_db_prepare(s,
                        "SELECT id, name, agency, work_unit, position_type, position, "
                        "region_code, status, active FROM employees WHERE nip = ?1",
                        &st->sel, d);
    if (!err)
        err = nt_db_prepare(
            s,
            "INSERT INTO employees(nip, name, agency, work_unit, position_type, position, "
            "region_code, status, birth_date, service_start, sex, active, created_import, "
            "updated_import, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?12, ?13, ?13)",
            &st->ins, d);
    if (!err)
        err = nt_db_prepare(s,
                            "UPDATE employees SET name = ?2, agency = ?3, work_unit = ?4, "
                            "position_type = ?5, position = ?6, region_code = ?7, status = ?8, "
                            "active = 1, updated_import = ?9, updated_at = ?10 WHERE id = ?1",
                            &st->upd, d);
    if (!err)
        err = nt_db_prepare(s,
                            "INSERT INTO employee_changes(employee_id, import_id, field, "
                            "old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5)",
                            &st->chg, d);
    if (!err)
        err = nt_db_prepare(s, "INSERT INTO import_keep(nip) VALUES (?1) ON CONFLICT DO NOTHING",
                            &st->keep, d);
    return err;
}

static enum nt_err record_change(struct emp_stmts *st, int64_t emp, int64_t import_id,
                                 const char *field, const char *old_v, const char *new_v,
                                 struct nt_diag *d)
{
    nt_db_bind_int64(st->chg, 1, emp);
    nt_db_bind_int64(st->chg, 2, import_id);
    nt_db_bind_text(st->chg, 3, field);
    nt_db_bind_text(st->chg, 4, old_v);
    nt_db_bind_text(st->chg, 5, new_v);
    return nt_db_run(st->chg, d);
}

static enum nt_err upsert(struct emp_stmts *st, const struct emp_row *r, const char *now,
                          struct nt_reg_import_result *res, struct nt_diag *d)
{
    /* Field names as in the CSV, values in the same order as the SELECT. */
    static const char *const fields[7] = { "nama",    "instansi",     "unit_kerja", "jenis_jabatan",
                                           "jabatan", "kode_wilayah", "status" };
    const char *vals[7] = {
        r->name, r->agency, r->unit, r->ptype, r->position, r->region, r->status
    };
    enum nt_err err = NT_OK;

    nt_db_bind_text(st->sel, 1, r->nip.digits);
    bool known = nt_db_next(st->sel, &err, d);
    if (err)
        return err;
    if (!known) {
        char birth[16], start[8], sex[2] = { nt_reg_sex_code(r->nip.sex), '\0' };
        nt_db_reset(st->sel);
        snprintf(birth, sizeof(birth), "%04d-%02d-%02d", r->nip.birth.y, r->nip.birth.m,
                 r->nip.birth.d);
        snprintf(start, sizeof(start), "%04d-%02d", r->nip.start_y, r->nip.start_m);
        nt_db_bind_text(st->ins, 1, r->nip.digits);
        for (int i = 0; i < 7; i++)
            nt_db_bind_text(st->ins, 2 + i, vals[i]);
        nt_db_bind_text(st->ins, 9, birth);
        nt_db_bind_text(st->ins, 10, start);
        nt_db_bind_text(st->ins, 11, sex);
        nt_db_bind_int64(st->ins, 12, res->import_id);
        nt_db_bind_text(st->ins, 13, now);
        err = nt_db_run(st->ins, d);
        if (!err)
            res->added++;
        return err;
    }

    int64_t id = nt_db_int64(st->sel, 0);
    bool was_active = nt_db_int64(st->sel, 8) != 0;
    bool changed = false;
    for (int i = 0; i < 7 && !err; i++) {
        const char *old_v = nt_db_text(st->sel, 1 + i);
        if (old_v && strcmp(old_v, vals[i]) == 0)
            continue;
        changed = true;
        err = record_change(st, id, res->import_id, fields[i], old_v, vals[i], d);
    }
    if (!err && !was_active)
        err = record_change(st, id, res->import_id, "aktif", "0", "1", d);
    nt_db_reset(st->sel);
    if (err)
        return err;
    if (!changed && was_active) {
        res->unchanged++;
        return NT_OK;
    }
    nt_db_bind_int64(st->upd, 1, id);
    for (int i = 0; i < 7; i++)
        nt_db_bind_text(st->upd, 2 + i, vals[i]);
    nt_db_bind_int64(st->upd, 9, res->import_id);
    nt_db_bind_text(st->upd, 10, now);
    err = nt_db_run(st->upd, d);
    if (err)
        return err;
    if (!was_active)
        res->reactivated++;
    if (changed)
        res->updated++;
    return NT_OK;
}

static enum nt_err deactivate_missing(struct nt_db *s, struct emp_stmts *st,
                                      const struct nt_strmap *seen, const char *now,
                                      struct nt_reg_import_result *res, struct nt_diag *d)
{
    enum nt_err err = NT_OK;
    struct nt_db_stmt *chg = NULL, *upd = NULL;

    for (size_t i = 0; i < seen->cap && !err; i++) {
        if (!seen->keys[i])
            continue;
        nt_db_bind_text(st->keep, 1, seen->keys[i]);
        err = nt_db_run(st->keep, d);
    }
    if (!err)
        err = nt_db_prepare(s,
                            "INSERT INTO employee_changes(employee_id, import_id, field, "
                            "old_value, new_value) SELECT id, ?1, 'aktif', '1', '0' "
                            "FROM employees WHERE active = 1 "
                            "AND nip NOT IN (SELECT nip FROM import_keep)",
                            &chg, d);
    if (!err) {
        nt_db_bind_int64(chg, 1, res->import_id);
        err = nt_db_run(chg, d);
    }
    if (!err)
        err = nt_db_prepare(s,
                            "UPDATE employees SET active = 0, updated_import = ?1, "
                            "updated_at = ?2 WHERE active = 1 "
                            "AND nip NOT IN (SELECT nip FROM import_keep)",
                            &upd, d);
    if (!err) {
        nt_db_bind_int64(upd, 1, res->import_id);
        nt_db_bind_text(upd, 2, now);
        err = nt_db_run(upd, d);
        if (!err)
            res->deactivated = (size_t)nt_db_changes(upd);
    }
    nt_db_finalize(chg);
    nt_db_finalize(upd);
    return err;
}

enum nt_err nt_reg_import_employees(struct nt_store *s, const char *label, const char *data,
                                    size_t len, const struct nt_reg_import_opts *o,
                                    struct nt_reg_import_result *out, struct nt_diag_list *errs,
                                    struct nt_diag *d)
{
    struct imp im;
    struct emp_rows rows = { 0 };
    struct nt_strmap seen;
    struct emp_stmts st = { 0 };
    struct nt_reg_import_result res = { 0 };
    struct nt_date today = nt_date_from_time(o->now);
    char now[32];
    enum nt_err err;

    struct region_table regions = { 0 };
    bool siasn = false;
    nt_time_iso(o->now, now, sizeof(now));
    nt_strmap_init(&seen);
    nt_strmap_init(&regions.map);
    memset(&im, 0, sizeof(im));
    if (o->profile) {
        if (strcmp(o->profile, "siasn") != 0) {
            err = nt_diag_set(d, NT_EUSAGE, "profil \"%s\" tidak dikenal; pilihan: siasn",
                              o->profile);
            goto out;
        }
        siasn = true;
    }
    if (o->regions) {
        err = region_table_load(&regions, o->regions_label, o->regions, o->regions_len, errs);
        if (err) {
            nt_diag_at(d, o->regions_label, 0, NULL);
            nt_diag_set(d, err, "tabel wilayah bermasalah; basis data tidak diubah");
            goto out;
        }
    }
    /* Without a region table every row needs its Kemendagri code. */
    err = imp_begin(&im, label, data, len, emp_cols, C_COUNT, o->regions ? C_REGION : C_ESELON,
                    siasn ? siasn_cols : NULL, errs);
    if (err) {
        nt_diag_at(d, label, 0, NULL);
        nt_diag_set(d, NT_EINPUT, "impor ditolak: baris judul bermasalah; basis data tidak diubah");
        goto out;
    }
    for (;;) {
        struct nt_csv_record rec;
        struct emp_row row;
        bool usable;
        err = imp_next(&im, &rec, &usable);
        if (err) {
            nt_diag_set(d, err, "memori tidak cukup");
            goto out;
        }
        if (rec.count == 0)
            break;
        if (!usable)
            continue;
        if (!validate_row(&im, &rec, today, &seen, siasn, o->regions ? &regions : NULL, &row)) {
            im.rejected++;
            continue;
        }
        err = rows_push(&rows, &row);
        if (err) {
            nt_diag_set(d, err, "memori tidak cukup");
            goto out;
        }
    }
    res.rows = im.rows;
    res.rejected = im.rejected;
    for (size_t i = 0; i < rows.n; i++)
        res.cpns += rows.v[i].cpns;
    if (im.rejected && !o->skip_invalid) {
        err = imp_rejected(&im, d);
        goto out;
    }
    if (rows.n == 0) {
        nt_diag_at(d, label, 0, NULL);
        err = nt_diag_set(d, NT_EINPUT,
                          "tidak ada baris pegawai yang sah; tidak ada yang diimpor dan tidak ada "
                          "pegawai yang dinonaktifkan");
        goto out;
    }

    err = nt_store_begin(s, d);
    if (err)
        goto out;
    err = nt_store_exec(s,
                        "CREATE TEMP TABLE IF NOT EXISTS import_keep(nip TEXT PRIMARY KEY);"
                        "DELETE FROM import_keep;",
                        d);
    if (!err)
        err = imp_record(s, "employees", label, data, len, o, &res, d);
    if (!err)
        err = stmts_prepare(nt_store_dbh(s), &st, d);
    for (size_t i = 0; i < rows.n && !err; i++) {
        err = upsert(&st, &rows.v[i], now, &res, d);
        if (err)
            nt_diag_at(d, label, rows.v[i].line, NULL);
    }
    if (!err && !o->partial)
        err = deactivate_missing(nt_store_dbh(s), &st, &seen, now, &res, d);
    if (!err)
        err = imp_record_counts(s, &res, d);
    stmts_finalize(&st);
    memset(&st, 0, sizeof(st));
    if (!err && !o->dry_run)
        err = nt_store_commit(s, d);
    else
        nt_store_rollback(s);
    if (!err && o->dry_run)
        res.import_id = 0;
    if (!err)
        *out = res;
out:
    stmts_finalize(&st);
    region_table_release(&regions);
    nt_strmap_release(&seen);
    rows_release(&rows);
    imp_release(&im);
    return err;
}
