/*
 * ocr.h - text in images: an image's bytes checked (type sniffed from the
 * bytes, not trusted from a header; size and pixel count capped before
 * decoding), lightly prepared with Leptonica (grey, small images scaled
 * up) and read by Tesseract (Indonesian and English) into lines with their
 * boxes and confidence. An engine without a database, like the matcher:
 * loading images from the store and writing what they say belong above it.
 * One engine per thread. Debian's Tesseract is built with OpenMP and
 * starts four threads per image whatever it is asked: on a small machine
 * they spin against each other (0.6 s per flyer on 2 cores, 0.08 s with
 * one), so a program that reads images runs with OMP_THREAD_LIMIT=1, which
 * OpenMP reads only when the program loads (the CLI sees to it,
 * cli_openmp_single).
 */
#ifndef NT_OCR_H
#define NT_OCR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "error.h"

/* What an image may be before it is decoded or read. */
struct nt_ocr_limits {
    size_t max_bytes;     /* the file (default 20 MiB) */
    uint64_t max_pixels;  /* width x height from the header (default 40 million) */
    unsigned deadline_ms; /* recognition of one image (default 10 s) */
    int thumb_side;       /* > 0: nt_ocr_image also makes a JPEG thumbnail this wide or high */
};

struct nt_ocr_line {
    char *text; /* UTF-8, no newline */
    int left, top, right, bottom;
    float confidence; /* 0..100 */
};

struct nt_ocr_result {
    const char *format; /* "png", "jpeg", ... (static) */
    int width, height;
    struct nt_ocr_line *lines;
    size_t nlines;
    char *text; /* the lines joined by '\n' */
    size_t len;
    bool timed_out; /* the deadline passed: the lines read so far */
    void *thumb;    /* the thumbnail (JPEG) when asked for, or NULL */
    size_t thumb_len;
};

struct nt_ocr;

/* An engine for `langs` ("ind+eng"), the language data from `datadir` or
 * Tesseract's own place when NULL (TESSDATA_PREFIX is honoured). Missing
 * language data is NT_ENOTFOUND naming the language and where it was
 * looked for. */
enum nt_err nt_ocr_new(const char *datadir, const char *langs, struct nt_ocr **out,
                       struct nt_diag *d);
void nt_ocr_free(struct nt_ocr *o);

/* What a decoded image is. */
struct nt_ocr_image_info {
    const char *format; /* "png", "jpeg", ... (static) */
    int width, height;
};

/* The checks and the decoding of nt_ocr_image without the reading: the
 * type from the bytes, a file cut short, the size from the header before
 * the pixels are allocated, then the pixels, grey and scaled for reading
 * (*out, a Leptonica image the caller destroys with pixDestroy). The same
 * errors as nt_ocr_image. For the fuzz target and for thumbnails. */
struct Pix;
enum nt_err nt_ocr_decode(const void *data, size_t len, const struct nt_ocr_limits *lim,
                          struct nt_ocr_image_info *info, struct Pix **out, struct nt_diag *d);

/* The text in the image `data`. A file that is not an image of a known
 * type, too large, or broken is NT_EINPUT with the reason. `lim` NULL:
 * the defaults. */
enum nt_err nt_ocr_image(struct nt_ocr *o, const void *data, size_t len,
                         const struct nt_ocr_limits *lim, struct nt_ocr_result *res,
                         struct nt_diag *d);
void nt_ocr_result_release(struct nt_ocr_result *res);

/* The line (0-based) of res->text that byte `off` falls in. */
size_t nt_ocr_line_of(const struct nt_ocr_result *res, size_t off);

#endif
