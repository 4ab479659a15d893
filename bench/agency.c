/*
 * agency.c - an agency's database built through the real binary (agency.h).
 */
#include "agency.h"

#include <jansson.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "corpus.h"

static void write_file(const char *path, const struct nt_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0)
        bench_die(path);
}

struct texts {
    char **v;
    size_t n, cap;
};

/* bench_corpus's callback: a copy of each non-empty text. */
static void add_text(const char *text, size_t len, void *ctx)
{
    struct texts *t = ctx;
    if (!len)
        return;
    if (t->n == t->cap)
        t->v = realloc(t->v, (t->cap = t->cap ? t->cap * 2 : 1024) * sizeof(*t->v));
    t->v[t->n++] = strndup(text, len);
}

/* Texts of one column of a corpus CSV (or of a TSV's first field). */
static char **corpus(const char *path, bool tsv, size_t *n)
{
    struct texts t = { 0 };
    bench_corpus(path, tsv ? NULL : "text", add_text, &t);
    *n = t.n;
    return t.v;
}

void bench_agency(char *netra, char *db, const char *corpora, const char *datadir, int posts_n,
                  int political_every, const char *posts_path)
{
    char p_db[] = "--db", c_init[] = "init", c_emp[] = "employees", c_acc[] = "accounts",
         c_imp[] = "import", c_lex[] = "lexicon", c_act[] = "--activate", c_user[] = "user",
         c_add[] = "add", c_role[] = "--role", c_admin[] = "admin", c_os[] = "--os-user";
    char ecsv[4096], acsv[4096], lex[4096], osuser[256], *path = db;
    const char *posts = posts_path;
    struct passwd *pw = getpwuid(getuid());
    snprintf(osuser, sizeof(osuser), "%s", pw ? pw->pw_name : "root");
    snprintf(lex, sizeof(lex), "%s/lexicon/default-2024.json", datadir);
    snprintf(ecsv, sizeof(ecsv), "%s.employees.csv", db);
    snprintf(acsv, sizeof(acsv), "%s.accounts.csv", db);
    const char *sfx[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        char old[4096];
        snprintf(old, sizeof(old), "%s%s", db, sfx[i]);
        unlink(old);
    }
    char *init[] = { netra, p_db, path, c_init, NULL };
    bench_must(init);
    char *admin[] = {
        netra, p_db, path, c_user, c_add, c_admin, c_role, c_admin, c_os, osuser, NULL
    };
    bench_must(admin);

    /* The registry: BENCH_EMPLOYEES people in BENCH_AGENCIES agencies, two accounts each. */
    static const char *const pos[] = { "JPT", "Administrator", "Pengawas", "Fungsional",
                                       "Pelaksana" };
    struct nt_buf e, a;
    nt_buf_init(&e, (size_t)1 << 28);
    nt_buf_init(&a, (size_t)1 << 28);
    nt_buf_append_str(&e, "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,"
                          "status\n");
    nt_buf_append_str(&a, "nip,platform,account\n");
    for (int i = 1; i <= BENCH_EMPLOYEES; i++) {
        int y = 1960 + i % 25, m = 1 + i % 12, dd = 1 + i % 28;
        /* NIP: birth date, start of service (unique per thousand, at 21 or
         * older), sex, sequence. */
        char nip[24];
        snprintf(nip, sizeof(nip), "%04d%02d%02d%04d01%d%03d", y, m, dd, 2005 + i / 1000,
                 i % 2 ? 1 : 2, i % 1000);
        nt_buf_appendf(&e, "%s,Pegawai %d,Instansi Contoh %02d,Unit %d,%s,Jabatan,76.04,PNS\n", nip,
                       i, i % BENCH_AGENCIES, i % 7, pos[i % 5]);
        for (int k = 0; k < 2; k++)
            nt_buf_appendf(&a, "%s,mastodon,pegawai%d_%d@instansi.example\n", nip, i, k);
    }
    write_file(ecsv, &e);
    write_file(acsv, &a);
    nt_buf_release(&e);
    nt_buf_release(&a);
    char *emp[] = { netra, p_db, path, c_emp, c_imp, ecsv, NULL };
    char *acc[] = { netra, p_db, path, c_acc, c_imp, acsv, NULL };
    char *lexi[] = { netra, p_db, path, c_lex, c_imp, c_act, lex, NULL };
    bench_must(emp);
    bench_must(acc);
    bench_must(lexi);

    /* The posts. */
    char cpath[4096];
    size_t npol = 0, nord = 0;
    snprintf(cpath, sizeof(cpath), "%s/x-posts-2023/posts_2023-11-15_to_2023-11-30.csv", corpora);
    char **pol = corpus(cpath, false, &npol);
    snprintf(cpath, sizeof(cpath), "%s/negatives/smsa_train.tsv", corpora);
    char **ord = corpus(cpath, true, &nord);
    FILE *out = fopen(posts, "wb");
    if (!out)
        bench_die(posts);
    for (int i = 1; i <= posts_n; i++) {
        unsigned h = (unsigned)i * 2654435761u;
        int account = (int)((h >> 8) % (BENCH_EMPLOYEES * 2)), emp_no = 1 + account / 2;
        char text[256];
        const char *t;
        bool political = political_every && i % political_every == 0;
        if (political)
            t = npol ? pol[(size_t)i / political_every % npol] : NULL;
        else
            t = nord ? ord[(size_t)i % nord] : NULL;
        if (!t) {
            snprintf(text, sizeof(text),
                     political ? "Ayo coblos nomor %d, menang satu putaran! #Pemilu2024"
                               : "Rapat koordinasi kantor nomor %d berjalan lancar hari ini",
                     political ? i % 3 + 1 : i);
            t = text;
        }
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "", "platform", "mastodon",
                              "account", "", "text", t, "created_at", "");
        char id[24], accname[64], when[32];
        snprintf(id, sizeof(id), "%d", i);
        snprintf(accname, sizeof(accname), "pegawai%d_%d@instansi.example", emp_no, account % 2);
        snprintf(when, sizeof(when), "2023-%02d-%02dT%02d:00:00Z", 10 + i % 3, 1 + i % 28, i % 24);
        json_object_set_new(o, "id", json_string(id));
        json_object_set_new(o, "account", json_string(accname));
        json_object_set_new(o, "created_at", json_string(when));
        char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!line || fprintf(out, "%s\n", line) < 0)
            bench_die(posts);
        free(line);
    }
    if (fclose(out) != 0)
        bench_die(posts);
    for (size_t i = 0; i < npol; i++)
        free(pol[i]);
    for (size_t i = 0; i < nord; i++)
        free(ord[i]);
    free(pol);
    free(ord);
    unlink(ecsv);
    unlink(acsv);
}
