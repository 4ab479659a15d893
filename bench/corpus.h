/*
 * corpus.h - the benchmarks' reader of ../shared/corpora files: one column
 * of a CSV file, or the first field of a tab-separated file, handed to a
 * callback row by row. Nothing is copied; the text is valid during the
 * call only.
 */
#ifndef NT_BENCH_CORPUS_H
#define NT_BENCH_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*bench_corpus_fn)(const char *text, size_t len, void *ctx);

/* Column `col` of every row of the CSV file `path` (empty fields too), or
 * with `col` NULL the first field of every line of a tab-separated file
 * (lines without one skipped). False when the file cannot be read or has
 * no such column. */
bool bench_corpus(const char *path, const char *col, bench_corpus_fn each, void *ctx);

#endif
