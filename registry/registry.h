/*
 * registry.h - the employee registry: civil servants (ASN) and the social
 * media accounts they declared, imported from the agency's CSV files.
 *
 * Imports are atomic: every row is validated first and every problem is
 * reported as "FILE:LINE: field: reason"; one bad row rejects the whole file
 * and nothing is written, unless `skip_invalid` imports the good rows.
 * Re-importing updates rows in place and records field-level history;
 * employees and accounts missing from a later file are marked inactive,
 * never deleted (unless `partial`, which only adds and updates).
 */
#ifndef NT_REGISTRY_H
#define NT_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "date.h"
#include "diag.h"
#include "nip.h"
#include "region.h"
#include "store.h"

/* Bounds on what an import reads. */
#define NT_REG_IMPORT_MAX_BYTES  (64u * 1024 * 1024)
#define NT_REG_IMPORT_MAX_ERRORS 1000

struct nt_reg_import_opts {
    bool skip_invalid; /* import valid rows, report the others */
    bool partial;      /* add and update only; deactivate nothing */
    bool dry_run;      /* validate and count, then roll back */
    const char *actor; /* who runs the import (recorded); borrowed */
    time_t now;        /* the time recorded, and "today" for NIP checks */
    /* Employees only. `profile` "siasn": an export of the national
     * civil-service system (its column names, "Struktural" by echelon,
     * "Jabatan Fungsional", "CPNS"); NULL: Netra's columns. `regions`: a
     * CSV (unit,kode_wilayah) naming the region of each work unit or
     * agency, for files without a Kemendagri code (or NULL). */
    const char *profile;
    const char *regions_label, *regions;
    size_t regions_len;
};

struct nt_reg_import_result {
    size_t rows;     /* data rows read */
    size_t rejected; /* rows with errors (not imported) */
    size_t added, updated, unchanged, reactivated, deactivated;
    size_t cpns;       /* rows whose status CPNS was recorded as PNS (profile siasn) */
    int64_t import_id; /* 0 on dry runs */
};

/*
 * Import employees from CSV text data[0..len) with the columns
 * nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,status.
 * `label` names the file in diagnostics (borrowed). Row problems go to
 * `errs`; the return is NT_EINPUT when the file was rejected (nothing was
 * written) with a summary in `d`. `res` is filled on NT_OK.
 */
enum nt_err nt_reg_import_employees(struct nt_store *s, const char *label, const char *data,
                                    size_t len, const struct nt_reg_import_opts *opts,
                                    struct nt_reg_import_result *res, struct nt_diag_list *errs,
                                    struct nt_diag *d);

/*
 * Import accounts with the columns nip,platform,account[,endpoint]. Each NIP
 * must belong to an active employee. Same contract as employee import.
 */
enum nt_err nt_reg_import_accounts(struct nt_store *s, const char *label, const char *data,
                                   size_t len, const struct nt_reg_import_opts *opts,
                                   struct nt_reg_import_result *res, struct nt_diag_list *errs,
                                   struct nt_diag *d);

/* The allowed values, canonical spelling. */
extern const char *const nt_reg_position_types[5]; /* JPT ... Pelaksana */
extern const char *const nt_reg_platforms[4];      /* mastodon bluesky feed x */

/*
 * Canonicalise an account name for `platform` into out (size n):
 * mastodon "user@instance" (leading @ dropped, lowercased), bluesky handle
 * (lowercased) or DID, feed URL (http/https), x handle (without @,
 * lowercased). NT_EINPUT with the reason in `d` otherwise.
 */
enum nt_err nt_reg_account_canonical(const char *platform, const char *account, char *out, size_t n,
                                     struct nt_diag *d);

struct nt_reg_employee {
    int64_t id;
    const char *nip;
    const char *name;
    const char *agency;
    const char *work_unit;
    const char *position_type;
    const char *position;
    const char *region_code;
    const char *status; /* PNS or PPPK */
    struct nt_date birth;
    const char *service_start; /* "YYYY-MM" */
    char sex;                  /* 'L' or 'P' */
    bool active;
    int accounts; /* active accounts */
    const char *created_at;
    const char *updated_at;
};

struct nt_reg_account {
    int64_t id;
    const char *nip;
    const char *employee_name;
    const char *agency;
    const char *platform;
    const char *account;
    const char *endpoint; /* NULL when the platform default applies */
    bool active;
    const char *updated_at;
};

struct nt_reg_change {
    const char *at;
    const char *source; /* file the change came from */
    const char *field;
    const char *old_value; /* may be NULL */
    const char *new_value; /* may be NULL */
};

/* Filters; NULL/false fields do not filter. Strings are borrowed. */
struct nt_reg_filter {
    const char *nip;
    const char *agency;        /* exact, case-insensitive */
    const char *region;        /* canonical code; matches it and everything inside */
    const char *position_type; /* canonical */
    const char *status;        /* PNS or PPPK */
    const char *platform;      /* accounts only */
    bool include_inactive;
};

/* Row callbacks: the row's strings are borrowed for the call only. A
 * non-NT_OK return stops the iteration and is returned. */
typedef enum nt_err (*nt_reg_employee_fn)(const struct nt_reg_employee *e, void *ctx);
typedef enum nt_err (*nt_reg_account_fn)(const struct nt_reg_account *a, void *ctx);
typedef enum nt_err (*nt_reg_change_fn)(const struct nt_reg_change *c, void *ctx);

/* An agency the registry knows (case-insensitive), else NT_EUSAGE naming
 * the ones it does. The list functions check their agency filter. */
enum nt_err nt_reg_agency_check(struct nt_store *s, const char *agency, struct nt_diag *d);

/* Employees matching `f`, ordered by agency, name, NIP. */
enum nt_err nt_reg_employees_each(struct nt_store *s, const struct nt_reg_filter *f,
                                  nt_reg_employee_fn fn, void *ctx, struct nt_diag *d);

/* Accounts matching `f` (agency/region/nip filter on the owner), ordered by owner. */
enum nt_err nt_reg_accounts_each(struct nt_store *s, const struct nt_reg_filter *f,
                                 nt_reg_account_fn fn, void *ctx, struct nt_diag *d);

/* Field history of one employee, oldest first. */
enum nt_err nt_reg_changes_each(struct nt_store *s, int64_t employee_id, nt_reg_change_fn fn,
                                void *ctx, struct nt_diag *d);

/* What the registry can be counted by. */
enum nt_reg_group {
    NT_REG_BY_AGENCY,
    NT_REG_BY_PROVINCE,
    NT_REG_BY_POSITION_TYPE,
    NT_REG_BY_STATUS,
    NT_REG_BY_PLATFORM, /* counts active accounts instead of employees */
};

typedef enum nt_err (*nt_reg_count_fn)(const char *key, int64_t count, void *ctx);

/* Active employees (or accounts) counted by `group`, largest first. */
enum nt_err nt_reg_count_by(struct nt_store *s, enum nt_reg_group group, nt_reg_count_fn fn,
                            void *ctx, struct nt_diag *d);

#endif
