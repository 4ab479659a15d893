/*
 * rescore.c - the web app's background job: after a lexicon is activated
 * from the lexicon page, the stored posts are scored again with the active
 * lexicon and model on a thread of their own (the scan job: pending items
 * follow, decided ones keep their decisions), while the page polls
 * GET /api/lexicon/rescore for its progress. One job at a time; a second
 * activation during a run starts another run when the first ends.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "detect.h"
#include "internal.h"

static void *run(void *arg)
{
    struct nt_web *w = arg;
    struct nt_web_job *J = &w->job;
    const struct nt_web_config *cfg = w->cfg;
    for (;;) {
        char lexpath[4096], modelpath[4096];
        struct nt_diag d;
        struct nt_diag_list errs;
        struct nt_detect e;
        struct nt_store *s = NULL;
        struct nt_scan_stats st = { 0 };
        memset(&e, 0, sizeof(e));
        nt_diag_clear(&d);
        nt_diag_list_init(&errs, 10);
        snprintf(lexpath, sizeof(lexpath), "%s/lexicon/default-2024.json", cfg->datadir);
        snprintf(modelpath, sizeof(modelpath), "%s/model/stance-default.bin", cfg->datadir);
        enum nt_err err = nt_store_open(cfg->db_path, NT_STORE_POSTGRES, &s, &d);
        if (!err) {
            struct nt_detect_src src = { .store = s,
                                         .bundled_lexicon = lexpath,
                                         .bundled_model = modelpath,
                                         .slang = cfg->slang };
            err = nt_detect_load_lexicon(&e, &src, &errs, &d);
            if (!err)
                err = nt_detect_load_model(&e, &src, &d);
        }
        if (!err) {
            struct nt_scan_stage stage;
            nt_detect_stage(&e, &stage);
            pthread_mutex_lock(&w->job_lock);
            J->lexicon_id = e.lexicon_id;
            J->model_id = e.model_id;
            pthread_mutex_unlock(&w->job_lock);
            err = nt_detect_scan_store(s, e.m, e.lexicon_id, &stage, false, nt_web_now(w), NULL,
                                       &st, &d);
        }
        if (e.m)
            nt_detect_release(&e);
        nt_diag_list_release(&errs);
        nt_store_close(s);
        pthread_mutex_lock(&w->job_lock);
        J->scanned = st.scanned;
        J->queued = st.queued;
        snprintf(J->error, sizeof(J->error), "%s", err ? d.msg : "");
        bool again = J->again;
        J->again = false;
        if (!again) {
            J->running = false;
            J->finished = time(NULL);
        }
        pthread_mutex_unlock(&w->job_lock);
        if (!again)
            return NULL;
    }
}

void nt_web_rescore_start(struct nt_web *w)
{
    struct nt_web_job *J = &w->job;
    pthread_mutex_lock(&w->job_lock);
    if (J->running) {
        J->again = true;
        pthread_mutex_unlock(&w->job_lock);
        return;
    }
    J->running = true;
    J->again = false;
    J->started = time(NULL);
    J->finished = 0;
    J->scanned = J->queued = 0;
    J->error[0] = '\0';
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, run, w) != 0) {
        J->running = false;
        snprintf(J->error, sizeof(J->error), "tugas penilaian ulang tidak dapat dimulai");
    }
    pthread_attr_destroy(&at);
    pthread_mutex_unlock(&w->job_lock);
}

bool nt_web_rescore_running(struct nt_web *w)
{
    struct nt_web_job *J = &w->job;
    pthread_mutex_lock(&w->job_lock);
    bool r = J->running;
    pthread_mutex_unlock(&w->job_lock);
    return r;
}

/* {running, started_at, finished_at, versions, scored, scanned, queued,
 * error}: `scored` counts the versions the active lexicon and model have
 * scored (up to their mark, scan_progress), `versions` those with text. */
json_t *nt_web_rescore_status(struct nt_web *w, struct nt_store *s, struct nt_diag *d)
{
    struct nt_web_job *J = &w->job;
    char started[32] = "", finished[32] = "";
    pthread_mutex_lock(&w->job_lock);
    bool running = J->running;
    if (J->started)
        nt_time_iso(J->started, started, sizeof(started));
    if (J->finished)
        nt_time_iso(J->finished, finished, sizeof(finished));
    size_t scanned = J->scanned, queued = J->queued;
    char error[256];
    snprintf(error, sizeof(error), "%s", J->error);
    pthread_mutex_unlock(&w->job_lock);
    struct nt_db_stmt *st = NULL;
    json_int_t versions = 0, scored = 0;
    enum nt_err err = nt_db_prepare(nt_store_dbh(s),
                                    "SELECT (SELECT count(*) FROM post_versions WHERE text IS NOT "
                                    "NULL), (SELECT count(*) FROM post_versions WHERE text IS NOT "
                                    "NULL) - (SELECT count(*) FROM scan_pending)",
                                    &st, d);
    if (!err && nt_db_next(st, &err, d)) {
        versions = nt_db_int64(st, 0);
        scored = nt_db_int64(st, 1);
    } else if (!err) {
        err = nt_diag_set(d, NT_EINTERNAL, "membaca kemajuan penilaian: tidak ada baris");
    }
    nt_db_finalize(st);
    if (err)
        return NULL;
    return json_pack("{s:b, s:s?, s:s?, s:I, s:I, s:I, s:I, s:s?}", "running", running,
                     "started_at", started[0] ? started : NULL, "finished_at",
                     finished[0] ? finished : NULL, "versions", versions, "scored", scored,
                     "scanned", (json_int_t)scanned, "queued", (json_int_t)queued, "error",
                     error[0] ? error : NULL);
}
