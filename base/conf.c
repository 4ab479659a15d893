/*
 * conf.c - reading Netra's sectioned key = value configuration file.
 */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The sections any Netra reader knows. */
static const char *const known[] = { "", "crawl", "serve", NULL };

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static bool listed(const char *const *v, const char *s)
{
    for (; *v; v++)
        if (strcmp(*v, s) == 0)
            return true;
    return false;
}

enum nt_err nt_conf_read(const char *path, const char *const *sections, nt_conf_fn fn, void *ctx,
                         bool *exposed, struct nt_diag *d)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return nt_diag_set(d, NT_EIO, "%s: tidak dapat dibuka: %s", path, strerror(errno));
    struct stat sb;
    if (exposed)
        *exposed = fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077);
    char line[4096], section[64] = "";
    unsigned lineno = 0;
    enum nt_err err = NT_OK;
    while (!err && fgets(line, sizeof(line), f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
            err = nt_diag_set(d, NT_EINPUT, "%s:%u: baris terlalu panjang", path, lineno);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end || end[1] || (size_t)(end - s - 1) >= sizeof(section)) {
                err =
                    nt_diag_set(d, NT_EINPUT, "%s:%u: bagian harus berbentuk [nama]", path, lineno);
                break;
            }
            *end = '\0';
            snprintf(section, sizeof(section), "%s", trim(s + 1));
            if (!listed(known, section)) {
                err = nt_diag_set(d, NT_EINPUT,
                                  "%s:%u: bagian [%s] tidak dikenal (pilihan: [crawl], [serve])",
                                  path, lineno, section);
                break;
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            err = nt_diag_set(d, NT_EINPUT, "%s:%u: harus berbentuk kunci = nilai", path, lineno);
            break;
        }
        if (!listed(sections, section))
            continue;
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        /* A comment after the value: '#' with a blank before it (outside
         * quotes). */
        bool quoted = false;
        for (char *p = value; *p; p++) {
            if (*p == '"')
                quoted = !quoted;
            else if (*p == '#' && !quoted && p > value && (p[-1] == ' ' || p[-1] == '\t')) {
                *p = '\0';
                value = trim(value);
                break;
            }
        }
        size_t vn = strlen(value);
        if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
            value[vn - 1] = '\0';
            value++;
        }
        struct nt_diag kd;
        nt_diag_clear(&kd);
        err = fn(ctx, key, value, &kd);
        if (err)
            nt_diag_set(d, err, "%s:%u: %s", path, lineno, kd.msg);
    }
    if (!err && ferror(f))
        err = nt_diag_set(d, NT_EIO, "%s: gagal dibaca", path);
    fclose(f);
    return err;
}

bool nt_conf_bool(const char *s, bool *out)
{
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "ya"))
        return *out = true, true;
    if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "tidak"))
        return *out = false, true;
    return false;
}

bool nt_conf_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < (long)lo || v > (long)hi)
        return false;
    *out = (unsigned)v;
    return true;
}
