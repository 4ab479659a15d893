/*
 * accounts.h - campaign accounts from a CSV list: the accounts of
 * candidates, parties, winning teams and volunteer groups per platform
 * (SKB 2022 form 2: following or joining them). Each row becomes an entry
 * of kind "campaign_account" naming its contestant; the crawler records
 * whom employees follow, and a follow of one of these accounts is queued.
 *
 * Columns: platform (mastodon, bluesky, x), akun (user@host, a handle or a
 * DID, a username), kontestan (a contestant id of the lexicon), peran (who
 * the account is: "Tim Kampanye Nasional", "relawan").
 */
#ifndef NT_LEX_ACCOUNTS_H
#define NT_LEX_ACCOUNTS_H

#include <stddef.h>

#include "diag.h"

struct nt_lex_accounts_result {
    size_t rows;     /* account rows read */
    size_t added;    /* entries added */
    size_t replaced; /* entries of an earlier import removed */
};

/* Merge the accounts of csv[0..csv_len) into the lexicon JSON
 * base[0..blen): a new lexicon JSON in *out (caller frees). Entries of an
 * earlier account import are replaced. Row problems go to `errs` as
 * "FILE:LINE: field: reason"; any problem rejects the whole file
 * (NT_EINPUT) and nothing is returned. */
enum nt_err nt_lex_accounts_merge(const char *base, size_t blen, const char *csv_label,
                                  const char *csv, size_t csv_len, char **out,
                                  struct nt_lex_accounts_result *res, struct nt_diag_list *errs,
                                  struct nt_diag *d);

#endif
