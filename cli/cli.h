/*
 * cli.h - the `netra` program layer: the command table, the context every
 * command receives, and the helpers that print. Only this layer prints,
 * exits or picks an exit code; the libraries below return nt_err.
 *
 * Exit codes: 0 success, 1 failure at run time, 2 usage error.
 */
#ifndef NT_CLI_H
#define NT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "diag.h"
#include "docs.h"
#include "store.h"

#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_USAGE 2

struct cli {
    const char *prog;    /* argv[0], for hints that show a command line */
    const char *db_path; /* --db, NETRA_DB, or ./netra.db */
    const char *actor;   /* --as, NETRA_USER, USER, or "netra" */
    bool actor_named;    /* --as or NETRA_USER: a person asked to act as that user */
    char os_user[64];    /* the operating system user running the program */
    char *password;      /* --password-stdin's first line (wiped at exit), or NULL */
    const char *datadir; /* bundled sample data (NETRA_DATA or build-time path) */
    time_t now;          /* NETRA_NOW or the clock */
    FILE *out;
    FILE *err;
    char **argv; /* the whole command line, to start again (cli_openmp_single) */
};

/* Before reading images: OpenMP limited to one thread per engine (see
 * ocr.h). OpenMP reads OMP_THREAD_LIMIT only as the program loads, so the
 * first time the program sets it and starts itself again with the same
 * arguments; if that fails it goes on, slower. */
void cli_openmp_single(struct cli *c);

struct cli_cmd {
    const char *name;
    int (*run)(struct cli *c, int argc, char **argv); /* argv[0] is the name */
    const char *summary;                              /* one line for `netra help` */
    const char *usage;                                /* the full --help text */
    bool group; /* has subcommands, which handle --help themselves */
};

/* The top-level commands, defined in their own files. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_employees(struct cli *c, int argc, char **argv);
int cmd_accounts(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_match(struct cli *c, int argc, char **argv);
int cmd_model(struct cli *c, int argc, char **argv);
extern const char cmd_model_usage[];
int cmd_lexicon(struct cli *c, int argc, char **argv);
int cmd_lexicon_test(struct cli *c, int argc, char **argv);
extern const char cmd_lexicon_test_usage[];
int cmd_ingest(struct cli *c, int argc, char **argv);
int cmd_scan(struct cli *c, int argc, char **argv);
int cmd_ocr(struct cli *c, int argc, char **argv);
int cmd_crawl(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_queue(struct cli *c, int argc, char **argv);
int cmd_review(struct cli *c, int argc, char **argv);
int cmd_case(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_retention(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_run(struct cli *c, int argc, char **argv);
extern const char cmd_run_usage[];
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_migrate_store(struct cli *c, int argc, char **argv);
extern const char cmd_backup_usage[], cmd_restore_usage[], cmd_check_usage[],
    cmd_migrate_store_usage[];
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
extern const char cmd_serve_usage[];
extern const char cmd_user_usage[], cmd_queue_usage[], cmd_review_usage[], cmd_case_usage[],
    cmd_audit_usage[], cmd_stats_usage[], cmd_retention_usage[], cmd_config_usage[];
extern const char cmd_init_usage[];
extern const char cmd_employees_usage[];
extern const char cmd_accounts_usage[];
extern const char cmd_demo_usage[];
extern const char cmd_match_usage[];
extern const char cmd_lexicon_usage[];
extern const char cmd_ingest_usage[];
extern const char cmd_scan_usage[];
extern const char cmd_ocr_usage[];
extern const char cmd_crawl_usage[];

/*
 * Run a command group's subcommand ("employees import ..."): handles
 * --help, a missing or unknown subcommand (usage error).
 */
int cli_dispatch(struct cli *c, const char *group, const char *group_usage,
                 const struct cli_cmd *subs, size_t n, int argc, char **argv);

/* Report the option getopt_long() refused (unknown, or missing its value). */
int cli_bad_option(struct cli *c, const char *cmd, int argc, char **argv);

/*
 * Shared by `employees import` and `accounts import`: options, reading the
 * file, listing every rejected row, and the summary.
 */
struct nt_reg_import_opts;
struct nt_reg_import_result;
typedef enum nt_err (*cli_import_fn)(struct nt_store *s, const char *label, const char *data,
                                     size_t len, const struct nt_reg_import_opts *opts,
                                     struct nt_reg_import_result *res, struct nt_diag_list *errs,
                                     struct nt_diag *d);
int cli_import(struct cli *c, const char *cmd, const char *what, cli_import_fn fn, int argc,
               char **argv);
/* Import one file into an open store with the given options and report. */
int cli_import_file(struct cli *c, struct nt_store *s, const char *path, const char *what,
                    cli_import_fn fn, const struct nt_reg_import_opts *o);

/* Print a JSON value (indented, UTF-8) and a newline; CLI_OK or CLI_FAIL. */
struct json_t;
/* A progress line on a terminal (stderr), redrawn at most four times a
 * second; the first and the last state always drawn. */
struct cli_progress {
    FILE *f;
    double last;
    bool shown;
};
/* Whether to draw `done` of `total` now (then it counts as drawn). */
bool cli_progress_due(struct cli_progress *p, size_t done, size_t total);
/* After the work: end the line if one was drawn. */
void cli_progress_end(struct cli_progress *p);

int cli_print_json(struct cli *c, struct json_t *j);

/* The registry filter options of `employees list` and `accounts list`
 * (--agency --region --position-type --status [--platform] --all --json). */
struct nt_reg_filter;
int cli_registry_filter(struct cli *c, const char *cmd, int argc, char **argv,
                        struct nt_reg_filter *f, char region[16], bool *json, bool with_platform);

/* True (and the usage printed to stdout) when argv asks for --help/-h. */
bool cli_wants_help(struct cli *c, const char *usage, int argc, char **argv);

/* "netra: <diag>" on stderr; returns CLI_FAIL (CLI_USAGE for NT_EUSAGE). */
int cli_fail(struct cli *c, const struct nt_diag *d);
/* "netra: <message>" on stderr; returns CLI_FAIL. */
int cli_failf(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage error naming the command's help; returns CLI_USAGE. */
int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Open the database for a command. Returns NULL after printing the error.
 * `flags` as for nt_store_open().
 */
struct nt_store *cli_open_store(struct cli *c, unsigned flags);

/* "FILE:LINE: field: message" on stderr (field may be NULL): one bad row
 * of an input file, the rest of the file goes on. */
void cli_line_error(struct cli *c, const char *file, unsigned long line, const char *field,
                    const char *msg);

/* Every diagnostic of a list, one line each (`label` names the file where
 * a diagnostic has none), and how many were left out. */
void cli_print_diags(struct cli *c, const struct nt_diag_list *errs, const char *label);

/* Member `k` of `o` (a string) as people read it: a stored code in words
 * from the one catalogue (review/labels.c, group `group`), else as it is;
 * "-" when absent. */
const char *cli_word(const char *group, struct json_t *o, const char *k);
/* Member `k` of `o` (a stored UTC time) in the zone of `region` (a
 * Kemendagri code; WIB without one): "3 Des 2023 17.00 WITA" in `buf`;
 * "-" when absent. */
const char *cli_time(struct json_t *o, const char *k, const char *region, char *buf, size_t n);

/* Print a string with control characters shown as '?' (text in the
 * database may come from outside and must not drive the terminal). */
void cli_put_safe(FILE *f, const char *s);

/* The first `max` features of a stance explanation's "evidence", one line
 * each after `prefix`: the feature in words, its weight and its side. */
void cli_put_evidence(struct cli *c, struct json_t *evidence, size_t max, const char *prefix);

/* The operating system user running the program (empty if unknown). */
void cli_os_user(char *out, size_t n);

/* The person acting: --as or NETRA_USER with that user's password
 * (--password-stdin, or asked at the terminal) or from the OS user an
 * admin linked to it; without a name, the Netra user linked to this OS
 * user. False after printing why not. */
struct nt_user;
bool cli_acting_user(struct cli *c, struct nt_store *s, struct nt_user *u);

/* Release a store and a user together. */
void cli_close_as(struct nt_store *s, struct nt_user *u);

/* What a review command works with: the store, the acting user, a
 * diagnostic and a JSON result, opened and released together. `flags`
 * are nt_store_open's (NT_STORE_POSTGRES where the command's library code
 * runs on both engines). */
struct cli_session {
    struct nt_store *s;
    struct nt_user *u;
    struct nt_diag d;
    struct json_t *out;
};
int cli_session_open(struct cli *c, unsigned flags, struct cli_session *ss);
/* Release everything; returns rc. */
int cli_session_close(struct cli_session *ss, int rc);

/*
 * Once users are registered, an action that changes what Netra watches or
 * how it scores (lexicon, registry imports) needs one of `roles` and is
 * audited (*audit set); before the first user exists (a fresh installation,
 * the demo) whoever runs the CLI may. False after printing why not.
 */
bool cli_gate(struct cli *c, struct nt_store *s, unsigned roles, const char *action,
              struct nt_user *u, bool *audit);
/* The audit row of such an action, in its own transaction right after it
 * (takes `after`); CLI_OK or CLI_FAIL after printing. */
int cli_audit(struct cli *c, struct nt_store *s, const struct nt_user *u, const char *action,
              const char *object_type, int64_t id, struct json_t *after);

/* What `lexicon activate` and `model activate` share: the gate's words,
 * the audit action and object type, and the library call. */
struct cli_doc {
    const char *gate;       /* "mengubah leksikon" */
    enum nt_store_doc kind; /* NT_DOC_LEXICON or NT_DOC_MODEL */
};
/* Activate version `id` for an analyst or admin, audited; prints `done`. */
int cli_doc_activate(struct cli *c, const struct cli_doc *doc, int64_t id, const char *done);

/* The options of `lexicon import` and `model import` (--comment,
 * --activate); optind is left at the first argument. */
int cli_doc_import_opts(struct cli *c, const char *cmd, int argc, char **argv, const char **comment,
                        bool *activate);

/* A positive decimal id. */
bool cli_parse_id(const char *s, int64_t *out);

/* Rows under named columns as an aligned table, CSV ("csv", formula-safe)
 * or JSON objects ("json"). */
int cli_print_grid(struct cli *c, struct json_t *columns, struct json_t *rows, const char *format);

/* A table of text cells printed with aligned columns. */
struct cli_table;
struct cli_table *cli_table_new(size_t ncols, const char *const *headers);
/* Add a row of ncols cells (copied). Returns false when out of memory. */
bool cli_table_add(struct cli_table *t, const char *const *cells);
/* Print the table; cells wider than `maxw` code points are cut with "...". */
void cli_table_print(const struct cli_table *t, FILE *f, size_t maxw);
size_t cli_table_rows(const struct cli_table *t);
void cli_table_free(struct cli_table *t);

#endif
