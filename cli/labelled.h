/*
 * labelled.h - labelled posts as stance training examples (see labelled.c).
 */
#ifndef NT_CLI_LABELLED_H
#define NT_CLI_LABELLED_H

#include "cli.h"
#include "engine.h"
#include "stance.h"

struct labelled {
    struct nt_stance_set set;
    struct nt_stance_vec vec;
    struct nt_stance_names names, all; /* the last post's; every post's */
    bool with_names;
    int *source; /* per example: index into sources */
    char **sources;
    size_t nsources;
    char **texts;    /* per example: its text, for the second extraction */
    uint64_t *vocab; /* known words, once labelled_vocab() ran */
};

void labelled_init(struct labelled *l, unsigned bits, bool with_names);
void labelled_release(struct labelled *l);

/* 1 and *out set; 0 for UNCLEAR (skip); -1 for an unknown label. */
int labelled_parse_label(const char *s, enum nt_stance_label *out);

/* The index of a named source (file), added if new; -1 out of memory. */
int labelled_source(struct labelled *l, const char *name);

/* Scan one text and add it; posts of one `group` (may be NULL) share a
 * cross-validation fold. */
int labelled_add(struct cli *c, struct nt_detect *e, struct labelled *l, const char *group,
                 const char *text, size_t len, enum nt_stance_label label, int source);

/*
 * The vocabulary of the examples read so far (words in two or more of
 * them), then every example extracted again with it: what the model will
 * know and what it will see. Call once, after the last file.
 */
int labelled_vocab(struct cli *c, struct nt_detect *e, struct labelled *l);

/* NDJSON or CSV; `forced` gives every row that label (files without one). */
int labelled_read(struct cli *c, struct nt_detect *e, struct labelled *l, const char *path,
                  const enum nt_stance_label *forced);

/* A labels CSV (id,label) joined with a texts CSV (id,text). */
int labelled_read_join(struct cli *c, struct nt_detect *e, struct labelled *l, const char *labels,
                       const char *texts);

#endif
