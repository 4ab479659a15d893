/*
 * lexicon.h - the election lexicon: its JSON format, parsing and validation.
 *
 * A lexicon file (format "netra-lexicon", documented in lexicon/FORMAT.md)
 * holds contestants (pairs and parties), entries (candidate names, ballot
 * numbers, parties and their symbols, hashtags, slogans, calls to action,
 * campaign activity, team vocabulary, support material, neutral context),
 * rules that combine kinds into SKB 2022 categories with a score, and the
 * thresholds that turn a score into a level (none, review, priority).
 *
 * This module only reads and checks: every problem is reported with the
 * entry and field it concerns ("entries[12] (cand-anies).patterns[0]:
 * PCRE2 error at offset 5: ..."). The matcher compiles a checked lexicon
 * into its immutable scanning form.
 */
#ifndef NT_LEXICON_H
#define NT_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "diag.h"
#include "strmap.h"

#define NT_LEX_FORMAT     "netra-lexicon"
#define NT_LEX_MAX_BYTES  (256u * 1024 * 1024)
#define NT_LEX_MAX_ERRORS 200
#define NT_LEX_MAX_WINDOW 200

enum nt_lex_kind {
    NT_LEX_CANDIDATE = 0,
    NT_LEX_CONTESTANT_NUMBER,
    NT_LEX_PARTY,
    NT_LEX_PARTY_SYMBOL,
    NT_LEX_HAND_SYMBOL,
    NT_LEX_HASHTAG,
    NT_LEX_SLOGAN,
    NT_LEX_CALL_TO_ACTION,
    NT_LEX_ACTIVITY,
    NT_LEX_TEAM,
    NT_LEX_SUPPORT_MATERIAL,
    NT_LEX_NEUTRAL_CONTEXT,
    NT_LEX_PRAISE,   /* praise and commitment: "pasti menang", "saya pilih" */
    NT_LEX_ATTACK,   /* attacks and calls against: "jangan pilih", "asal bukan" */
    NT_LEX_ELECTION, /* the contest itself, informally: "pilkada", "pilbup", "coblosan" */
    /* An account of a candidate, party, winning team or volunteer group on
     * a platform: following it is SKB form 2 (ENGAGE). */
    NT_LEX_CAMPAIGN_ACCOUNT,
    NT_LEX_KIND_COUNT
};

/* "candidate", "contestant_number", ...; NULL for an unknown kind. */
const char *nt_lex_kind_name(enum nt_lex_kind k);
/* The kind in Indonesian, as a reviewer reads it ("calon", "nomor urut");
 * NULL for an unknown kind. */
const char *nt_lex_kind_label(enum nt_lex_kind k);
/* The kind named `name`, or -1. */
int nt_lex_kind_from_name(const char *name);

/* SKB 2022 violation codes a rule may name (APK, MEDSOS, ... LAIN). */
#define NT_LEX_CATEGORY_COUNT 12
bool nt_lex_category_valid(const char *code);
/* Index 0..NT_LEX_CATEGORY_COUNT-1 of a code, or -1; and back. */
int nt_lex_category_index(const char *code);
const char *nt_lex_category_code(int index);

/* What the SKB 2022 matrix says of a category (static data, never NULL
 * fields except `ethics` when the decree gives no ethics sanction). */
struct nt_skb_category {
    const char *code;
    const char *title;      /* the form of violation, in Indonesian */
    const char *ethics;     /* ethics sanction, or NULL */
    const char *discipline; /* discipline sanction */
    int severity;           /* 1 (other) .. 4 (dismissal): orders the queue */
};
/* The matrix row of `code`, or NULL for an unknown code. */
const struct nt_skb_category *nt_skb_category(const char *code);

struct nt_lex_contestant {
    char *id;     /* "paslon-02", "pdip" */
    char *label;  /* "Prabowo Subianto - Gibran Rakabuming Raka" */
    char *number; /* ballot number as printed, "02" or "3"; may be NULL */
    char *type;   /* "pair", "party" or "candidate" */
};

/* A platform account an entry names: "mastodon" and "user@host",
 * "bluesky" and a handle or a DID, "x" and a username (lower case, no
 * leading '@'). */
struct nt_lex_account {
    char *platform;
    char *handle;
};

struct nt_lex_entry {
    char *id;
    char *label;
    enum nt_lex_kind kind;
    char **terms; /* plain phrases */
    size_t nterms;
    char **patterns; /* PCRE2, checked to compile */
    size_t npatterns;
    char **emoji; /* emoji sequences */
    size_t nemoji;
    char *refers_to; /* a contestant id, or NULL */
    char *election;  /* defaults to the file's election */
    char **scope;    /* canonical region codes; none = national */
    size_t nscope;
    time_t valid_from; /* 0 = unbounded */
    time_t valid_to;   /* exclusive; 0 = unbounded */
    double weight;
    bool low_specificity;            /* counts only together with other evidence */
    struct nt_lex_account *accounts; /* campaign accounts (kind campaign_account) */
    size_t naccounts;
};

/* What a rule item names: a kind, one entry, or any hit that refers to a
 * contestant ("@contestant"). */
enum nt_lex_item_type { NT_LEX_ITEM_KIND, NT_LEX_ITEM_ENTRY, NT_LEX_ITEM_CONTESTANT };

struct nt_lex_item {
    enum nt_lex_item_type type;
    int index; /* kind number or entry index */
};

struct nt_lex_rule {
    char *id;
    char *label;
    char *category;     /* SKB code */
    int category_index; /* nt_lex_category_index(category), -1 for none */
    double score;
    struct nt_lex_item *all; /* every one present, within `window` tokens */
    size_t nall;
    struct nt_lex_item *any; /* at least one present (within the window, if `all` is set) */
    size_t nany;
    struct nt_lex_item *none; /* none present anywhere in the post ("not" in JSON) */
    size_t nnone;
    unsigned window; /* tokens; 0 = the whole post */
};

struct nt_lex {
    char *version;
    char *election;
    char *description;
    double review;   /* score at which a post goes to review */
    double priority; /* score at which it is a priority */
    struct nt_lex_contestant *contestants;
    size_t ncontestants;
    struct nt_lex_entry *entries;
    size_t nentries;
    struct nt_lex_rule *rules;
    size_t nrules;
    struct nt_strmap ids;      /* entry id -> index */
    struct nt_strmap accounts; /* "platform handle" -> entry index */
};

/*
 * Parse and check a lexicon from json[0..len). `label` names the file in
 * diagnostics (borrowed). Every problem goes to `errs` (file, line where
 * JSON syntax is concerned, and the field path); returns NT_EINPUT if there
 * was any, with a summary in `d`. On success `*out` is owned by the caller.
 */
enum nt_err nt_lex_parse(const char *label, const char *json, size_t len, struct nt_lex **out,
                         struct nt_diag_list *errs, struct nt_diag *d);

void nt_lex_free(struct nt_lex *lex);

/* Index of the entry with `id`, or -1. */
int nt_lex_find_entry(const struct nt_lex *lex, const char *id);

/* Index of the contestant with `id`, or -1. */
int nt_lex_find_contestant(const struct nt_lex *lex, const char *id);

/* The entry naming account `handle` on `platform` (any case, a leading '@'
 * ignored), or -1. */
int nt_lex_find_account(const struct nt_lex *lex, const char *platform, const char *handle);

/* `handle` as entries and lookups keep it: lower case, no leading '@', in
 * out[n]; false when it is empty, too long or has blanks or controls. */
bool nt_lex_account_key(const char *platform, const char *handle, char *out, size_t n);

/* True when `e` applies at time `t` to an employee in region `region`
 * (canonical code, or NULL for "unknown": only national entries apply). */
bool nt_lex_entry_applies(const struct nt_lex_entry *e, const char *region, time_t t);

#endif
