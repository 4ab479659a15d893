/*
 * output.c - everything that prints: error lines, usage errors, safe text
 * and aligned tables. Errors go to stderr in one line each.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "date.h"
#include "engine.h"
#include "review.h"
#include "utf8.h"

int cli_fail(struct cli *c, const struct nt_diag *d)
{
    char line[NT_DIAG_FILE_MAX + NT_DIAG_FIELD_MAX + NT_DIAG_MSG_MAX + 64];
    nt_diag_format(d, line, sizeof(line));
    fputs("netra: ", c->err);
    cli_put_safe(c->err, line);
    fputc('\n', c->err);
    return d->err == NT_EUSAGE ? CLI_USAGE : CLI_FAIL;
}

int cli_failf(struct cli *c, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fputs("netra: ", c->err);
    cli_put_safe(c->err, line);
    fputc('\n', c->err);
    return CLI_FAIL;
}

int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fputs("netra: ", c->err);
    cli_put_safe(c->err, line);
    fprintf(c->err, " (lihat 'netra %s --help')\n", cmd);
    return CLI_USAGE;
}

void cli_put_safe(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\n' || ch == '\r' || ch == '\t') {
            fputc(' ', f); /* line structure is not the terminal's business */
        } else if (ch < 0x20 || ch == 0x7F) {
            fputc('?', f);
        } else if (ch == 0xC2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9F) {
            fputc('?', f); /* C1 controls (U+0080..U+009F, e.g. CSI) */
            s++;
        } else {
            fputc(ch, f);
        }
    }
}

void cli_put_evidence(struct cli *c, struct json_t *evidence, size_t max, const char *prefix)
{
    json_t *f;
    size_t i;
    json_array_foreach(evidence, i, f)
    {
        if (i >= max)
            break;
        fputs(prefix, c->out);
        const char *name = json_string_value(json_object_get(f, "feature"));
        const char *toward = json_string_value(json_object_get(f, "toward"));
        cli_put_safe(c->out, name ? name : "?");
        fprintf(c->out, " (%+.2f ke arah ", json_number_value(json_object_get(f, "weight")));
        cli_put_safe(c->out, toward ? toward : "?");
        fputs(")\n", c->out);
    }
}

struct nt_store *cli_open_store(struct cli *c, unsigned flags)
{
    struct nt_store *s = NULL;
    struct nt_diag d;
    nt_diag_clear(&d);
    if (nt_store_open(c->db_path, flags, &s, &d) != NT_OK) {
        cli_fail(c, &d);
        return NULL;
    }
    return s;
}

bool cli_wants_help(struct cli *c, const char *usage, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, c->out);
            return true;
        }
    }
    return false;
}

int cli_dispatch(struct cli *c, const char *group, const char *group_usage,
                 const struct cli_cmd *subs, size_t n, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(c, group, "subperintah untuk '%s' belum disebut", group);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(group_usage, c->out);
        return CLI_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        if (cli_wants_help(c, subs[i].usage, argc - 1, argv + 1))
            return CLI_OK;
        return subs[i].run(c, argc - 1, argv + 1);
    }
    return cli_usage_error(c, group, "'%s' bukan subperintah '%s'", argv[1], group);
}

struct cli_table {
    size_t ncols;
    char **cells; /* row-major, header row first */
    size_t nrows; /* including the header */
    size_t cap;
};

struct cli_table *cli_table_new(size_t ncols, const char *const *headers)
{
    struct cli_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->ncols = ncols;
    if (!cli_table_add(t, headers)) {
        cli_table_free(t);
        return NULL;
    }
    return t;
}

bool cli_table_add(struct cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        char **v = realloc(t->cells, cap * t->ncols * sizeof(*v));
        if (!v)
            return false;
        t->cells = v;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++) {
        row[i] = strdup(cells[i] ? cells[i] : "");
        if (!row[i]) {
            while (i--)
                free(row[i]);
            return false;
        }
    }
    t->nrows++;
    return true;
}

size_t cli_table_rows(const struct cli_table *t)
{
    return t->nrows - 1;
}

/* Byte length of the longest prefix of s with at most w code points. */
static size_t prefix_bytes(const char *s, size_t w)
{
    size_t i = 0, cp = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (cp == w)
                break;
            cp++;
        }
        i++;
    }
    return i;
}

void cli_table_print(const struct cli_table *t, FILE *f, size_t maxw)
{
    size_t *w = calloc(t->ncols, sizeof(*w));
    if (!w)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t col = 0; col < t->ncols; col++) {
            const char *s = t->cells[r * t->ncols + col];
            size_t cw = nt_utf8_width(s, strlen(s));
            if (cw > maxw)
                cw = maxw;
            if (cw > w[col])
                w[col] = cw;
        }
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t col = 0; col < t->ncols; col++) {
            const char *s = t->cells[r * t->ncols + col];
            size_t cw = nt_utf8_width(s, strlen(s));
            char cell[1024];
            if (cw > maxw) {
                size_t b = prefix_bytes(s, maxw - 3);
                if (b > sizeof(cell) - 4)
                    b = sizeof(cell) - 4;
                memcpy(cell, s, b);
                memcpy(cell + b, "...", 4);
                cw = maxw;
            } else {
                snprintf(cell, sizeof(cell), "%s", s);
            }
            cli_put_safe(f, cell);
            if (col + 1 < t->ncols)
                for (size_t k = cw; k < w[col] + 2; k++)
                    fputc(' ', f);
        }
        fputc('\n', f);
    }
    free(w);
}

void cli_table_free(struct cli_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

int cli_bad_option(struct cli *c, const char *cmd, int argc, char **argv)
{
    extern int optind;
    const char *arg = optind - 1 < argc && optind > 0 ? argv[optind - 1] : "?";
    return cli_usage_error(c, cmd, "opsi \"%s\" tidak dikenal atau tidak diberi nilai", arg);
}

bool cli_progress_due(struct cli_progress *p, size_t done, size_t total)
{
    double t = nt_mono();
    if (done != 0 && done != total && t - p->last < 0.25)
        return false;
    p->last = t;
    p->shown = true;
    return true;
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->shown)
        fputc('\n', p->f);
    p->shown = false;
}

int cli_print_json(struct cli *c, json_t *j)
{
    int rc = json_dumpf(j, c->out, JSON_INDENT(2)) == 0 ? CLI_OK : CLI_FAIL;
    fputc('\n', c->out);
    return rc;
}

/* Open the database and load the acting user (CLI_FAIL after printing). */
static int cli_open_as(struct cli *c, unsigned flags, struct nt_store **s, struct nt_user *u)
{
    *s = cli_open_store(c, flags);
    if (!*s)
        return CLI_FAIL;
    if (!cli_acting_user(c, *s, u)) {
        nt_store_close(*s);
        return CLI_FAIL;
    }
    return CLI_OK;
}

void cli_close_as(struct nt_store *s, struct nt_user *u)
{
    nt_user_release(u);
    nt_store_close(s);
}

int cli_session_open(struct cli *c, unsigned flags, struct cli_session *ss)
{
    memset(ss, 0, sizeof(*ss));
    nt_diag_clear(&ss->d);
    ss->u = calloc(1, sizeof(*ss->u));
    if (!ss->u)
        return cli_failf(c, "memori tidak cukup");
    if (cli_open_as(c, flags, &ss->s, ss->u) != CLI_OK) {
        free(ss->u);
        ss->u = NULL;
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_session_close(struct cli_session *ss, int rc)
{
    json_decref(ss->out);
    if (ss->u)
        cli_close_as(ss->s, ss->u);
    free(ss->u);
    memset(ss, 0, sizeof(*ss));
    return rc;
}

void cli_os_user(char *out, size_t n)
{
    struct passwd *pw = getpwuid(geteuid());
    snprintf(out, n, "%s", pw && pw->pw_name ? pw->pw_name : "");
}

/* A password typed at the terminal, without echo; false when there is no
 * terminal to ask at. */
static bool ask_password(struct cli *c, const char *name, char *out, size_t n)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return false;
    struct termios old, quiet;
    bool echo_off = tcgetattr(fileno(tty), &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fprintf(tty, "Kata sandi untuk %s: ", name);
    fflush(tty);
    bool ok = fgets(out, (int)n, tty) != NULL;
    if (echo_off)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    (void)c;
    if (ok)
        out[strcspn(out, "\r\n")] = '\0';
    return ok;
}

bool cli_acting_user(struct cli *c, struct nt_store *s, struct nt_user *u)
{
    struct nt_diag d;
    char linked[64];
    nt_diag_clear(&d);
    const char *name = c->actor_named ? c->actor : NULL;
    /* Without a name: the Netra user an admin linked to this OS user. */
    if (!name && c->os_user[0] &&
        nt_user_for_os(s, c->os_user, linked, sizeof(linked), &d) == NT_OK)
        name = linked;
    if (!name) {
        fprintf(c->err, "netra: sebutkan pengguna dengan --as NAMA atau NETRA_USER "
                        "(daftar: netra user list)\n");
        return false;
    }
    enum nt_err err = nt_user_authenticate(s, name, c->password, c->os_user, u, &d);
    if (err == NT_EPERM && !c->password && isatty(STDIN_FILENO)) {
        /* A person at a terminal: ask, once. */
        static char typed[256];
        if (ask_password(c, name, typed, sizeof(typed))) {
            c->password = typed;
            nt_diag_clear(&d);
            err = nt_user_authenticate(s, name, c->password, c->os_user, u, &d);
        }
    }
    if (err == NT_OK)
        return true;
    cli_fail(c, &d);
    if (err == NT_ENOTFOUND)
        fprintf(c->err, "netra: sebutkan pengguna dengan --as NAMA atau NETRA_USER "
                        "(daftar: netra user list)\n");
    return false;
}

bool cli_parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

static const char *cell_text(json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.3g", json_real_value(v));
    else if (json_is_true(v) || json_is_false(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "ya" : "tidak");
    else
        snprintf(buf, n, "-");
    return buf;
}

int cli_print_grid(struct cli *c, json_t *columns, json_t *rows, const char *format)
{
    size_t nc = json_array_size(columns), i, k;
    json_t *r, *v;
    if (strcmp(format, "json") == 0) {
        json_t *a = json_array();
        json_array_foreach(rows, i, r)
        {
            json_t *o = json_object();
            json_array_foreach(r, k, v)
                json_object_set(o, json_string_value(json_array_get(columns, k)), v);
            json_array_append_new(a, o);
        }
        int rc = cli_print_json(c, a);
        json_decref(a);
        return rc;
    }
    if (strcmp(format, "csv") == 0) {
        struct nt_buf b;
        nt_buf_init(&b, (size_t)1 << 30);
        int rc =
            nt_grid_csv(columns, rows, &b) == NT_OK && fwrite(b.data, 1, b.len, c->out) == b.len
                ? CLI_OK
                : CLI_FAIL;
        nt_buf_release(&b);
        return rc;
    }
    const char **cells = calloc(nc ? nc : 1, sizeof(*cells));
    char(*bufs)[64] = calloc(nc ? nc : 1, sizeof(*bufs));
    /* A table is for people: its headings as words ("pegawai terbukti");
     * CSV and JSON keep the keys. */
    json_array_foreach(columns, k, v)
    {
        if (!bufs)
            break;
        snprintf(bufs[k], sizeof(bufs[k]), "%s", json_string_value(v) ? json_string_value(v) : "");
        for (char *p = bufs[k]; *p; p++)
            if (*p == '_')
                *p = ' ';
        cells[k] = bufs[k];
    }
    struct cli_table *t = cells && bufs ? cli_table_new(nc, cells) : NULL;
    json_array_foreach(rows, i, r)
    {
        for (k = 0; k < nc && t; k++)
            cells[k] = cell_text(json_array_get(r, k), bufs[k], sizeof(bufs[k]));
        if (t)
            cli_table_add(t, cells);
    }
    if (t)
        cli_table_print(t, c->out, 40);
    int rc = t ? CLI_OK : CLI_FAIL;
    cli_table_free(t);
    free(cells);
    free(bufs);
    return rc;
}

bool cli_gate(struct cli *c, struct nt_store *s, unsigned roles, const char *action,
              struct nt_user *u, bool *audit)
{
    struct nt_diag d;
    int64_t users = 0;
    nt_diag_clear(&d);
    *audit = false;
    if (nt_user_count(s, &users, &d) != NT_OK) {
        cli_fail(c, &d);
        return false;
    }
    if (users == 0)
        return true;
    if (!cli_acting_user(c, s, u))
        return false;
    if (nt_user_require(u, roles, action, &d) != NT_OK) {
        cli_fail(c, &d);
        return false;
    }
    *audit = true;
    return true;
}

int cli_audit(struct cli *c, struct nt_store *s, const struct nt_user *u, const char *action,
              const char *object_type, int64_t id, json_t *after)
{
    struct nt_diag d;
    char oid[32];
    nt_diag_clear(&d);
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    if (nt_audit_record(s, u->name, action, object_type, id ? oid : NULL, after, c->now, &d))
        return cli_fail(c, &d);
    return CLI_OK;
}

int cli_doc_import_opts(struct cli *c, const char *cmd, int argc, char **argv, const char **comment,
                        bool *activate)
{
    static const struct option longopts[] = {
        { "comment", required_argument, NULL, 'c' },
        { "activate", no_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    *comment = NULL;
    *activate = false;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == 'c')
            *comment = optarg;
        else if (opt == 'a')
            *activate = true;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    return CLI_OK;
}

int cli_doc_activate(struct cli *c, const struct cli_doc *doc, int64_t id, const char *done)
{
    struct nt_store *s = cli_open_store(c, NT_STORE_POSTGRES);
    if (!s)
        return CLI_FAIL;
    struct nt_diag d;
    struct nt_user u = { 0 };
    bool audit = false;
    nt_diag_clear(&d);
    int rc = CLI_OK;
    /* The change and its audit row in one transaction, as the web app does. */
    if (!cli_gate(c, s, NT_ROLE_ANALYST | NT_ROLE_ADMIN, doc->gate, &u, &audit))
        rc = CLI_FAIL;
    else if (nt_doc_activate_audited(s, audit ? &u : NULL, doc->kind, id, c->now, &d) != NT_OK)
        rc = cli_fail(c, &d);
    else
        fputs(done, c->out);
    /* What the new version changes is scored now (decided items keep
     * their decisions): the queue follows the active versions. */
    if (rc == CLI_OK)
        rc = cli_score_stored(c, s, NULL, NULL, false, true, NULL, NULL);
    nt_user_release(&u);
    nt_store_close(s);
    return rc;
}

void cli_line_error(struct cli *c, const char *file, unsigned long line, const char *field,
                    const char *msg)
{
    fprintf(c->err, "%s:%lu: ", file, line);
    if (field)
        fprintf(c->err, "%s: ", field);
    cli_put_safe(c->err, msg);
    fputc('\n', c->err);
}

void cli_print_diags(struct cli *c, const struct nt_diag_list *errs, const char *label)
{
    for (size_t i = 0; i < errs->count; i++) {
        struct nt_diag d = errs->items[i];
        char line[NT_DIAG_FILE_MAX + NT_DIAG_FIELD_MAX + NT_DIAG_MSG_MAX + 64];
        if (!d.file[0] && label)
            snprintf(d.file, sizeof(d.file), "%s", label);
        cli_put_safe(c->err, nt_diag_format(&d, line, sizeof(line)));
        fputc('\n', c->err);
    }
    if (errs->dropped)
        fprintf(c->err, "netra: ... dan %zu kesalahan lain tidak ditampilkan\n", errs->dropped);
}

const char *cli_word(const char *group, json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    const char *l = v ? nt_label(group, v) : NULL;
    return l ? l : v ? v : "-";
}

const char *cli_time(json_t *o, const char *k, const char *region, char *buf, size_t n)
{
    const char *v = json_string_value(json_object_get(o, k));
    if (!v)
        return "-";
    nt_local_time(v, region, buf, n);
    return buf;
}
