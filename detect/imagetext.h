/*
 * imagetext.h - the OCR stage of the pipeline: every image the crawler kept
 * and nobody has read yet is read once (ocr/, with a time limit per image),
 * its thumbnail made, its lines with their boxes and confidence stored,
 * and the posts that carry it scored again with the words it holds (a post
 * is scored on its caption and alt text as it is stored, so text-only posts
 * never wait for images). One image per transaction: a stage killed at any
 * moment leaves every image read or still pending, never half-written.
 */
#ifndef NT_DETECT_IMAGETEXT_H
#define NT_DETECT_IMAGETEXT_H

#include <signal.h>
#include <stddef.h>
#include <time.h>

#include "ocr.h"
#include "scan.h"
#include "store.h"

/* How many kept images wait to be read. */
enum nt_err nt_detect_imagetext_pending(struct nt_store *s, size_t *out, struct nt_diag *d);

struct nt_imagetext_opts {
    time_t now;                  /* when they are read (0: the clock) */
    unsigned deadline_ms;        /* per image (0: the engine's default, 10 s) */
    size_t limit;                /* images at most in this run (0: all pending) */
    int thumb_side;              /* thumbnail's longer side in pixels (0: 320) */
    volatile sig_atomic_t *stop; /* non-zero: stop after the current image */
    void (*progress)(void *user, size_t done, size_t total);
    void *progress_user;
};

struct nt_imagetext_stats {
    size_t pending;   /* images waiting when the stage started */
    size_t read;      /* images read (done) */
    size_t with_text; /* of them, with at least one line */
    size_t timed_out; /* of them, stopped at the deadline (the lines so far kept) */
    size_t failed;    /* images the engine refused (broken, too large) */
    size_t lines;
    size_t rescored; /* post versions scored again with the image's text */
    double ms;       /* time reading */
};

/* Read the pending images with `o`; `w` (or NULL: nothing rescored) scores
 * the posts that carry each image that held text. */
enum nt_err nt_detect_imagetext_run(struct nt_store *s, struct nt_ocr *o, struct nt_scan_writer *w,
                                    const struct nt_imagetext_opts *opts,
                                    struct nt_imagetext_stats *st, struct nt_diag *d);

#endif
