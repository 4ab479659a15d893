/*
 * names.c - cleaning KPU candidate names. Titles come first ("Dr.", "H.",
 * "Hj.", "Ir.", "Tgk."), degrees after the first comma ("S.Sos., M.M."),
 * initials are single letters ("H. A. MUHAIMIN"); nicknames in parentheses.
 */
#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_title(const char *w, size_t n)
{
    static const char *const titles[] = {
        "h",   "hj",      "dr",   "drs",    "dra",      "drh", "ir",    "prof",  "kh",      "k.h",
        "tgk", "teungku", "ust",  "ustadz", "ustadzah", "hc",  "h.c",   "(h.c)", "dr(h.c)", "apt",
        "ns",  "kyai",    "tuan", "hajjah", "haji",     "rd",  "raden", "ners"
    };
    char buf[32];
    if (n >= sizeof(buf))
        return false;
    memcpy(buf, w, n);
    buf[n] = '\0';
    if (n && buf[n - 1] == '.')
        buf[--n] = '\0';
    for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
        if (strcasecmp(buf, titles[i]) == 0)
            return true;
    return false;
}

/* "S.Sos", "M.M.", "Ph.D", "S.H.I." and single-letter initials "M.". */
static bool is_degree_or_initial(const char *w, size_t n)
{
    size_t seg = 0, dots = 0;
    if (n == 1 && isalpha((unsigned char)w[0]))
        return true;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '.') {
            if (seg == 0 && i > 0)
                return false;
            dots++;
            seg = 0;
        } else if (isalpha((unsigned char)w[i]) && ++seg <= 4) {
            continue;
        } else {
            return false;
        }
    }
    return dots > 0;
}

size_t nt_lex_clean_name(const char *raw, char *name, size_t n, char *nick, size_t nn)
{
    char main[512];
    size_t m = 0, words = 0, o = 0;
    if (nn)
        nick[0] = '\0';
    if (n)
        name[0] = '\0';
    /* Main part: up to the first comma after the name has begun (titles may
     * carry commas of their own: "Dr., Drs. DEDING ISHAK, S.H."), with
     * parentheses taken out as nickname. */
    bool begun = false;
    for (const char *p = raw; *p && m + 1 < sizeof(main); p++) {
        if (*p == ',') {
            if (begun)
                break;
            main[m++] = ' ';
            continue;
        }
        if (!begun && (*p == ' ' || *p == '\t')) {
            /* Look back at the word just finished: a title keeps us in the prefix. */
            size_t ws = m;
            while (ws > 0 && main[ws - 1] != ' ')
                ws--;
            if (m > ws && !is_title(main + ws, m - ws) && !is_degree_or_initial(main + ws, m - ws))
                begun = true;
        }
        if (*p == '(') {
            const char *close = strchr(p, ')');
            if (!close)
                break;
            size_t l = (size_t)(close - p - 1);
            if (nn && l < nn && !(l == 3 && strncasecmp(p + 1, "H.C", 3) == 0) &&
                !(l == 4 && strncasecmp(p + 1, "H.C.", 4) == 0)) {
                memcpy(nick, p + 1, l);
                nick[l] = '\0';
            }
            p = close;
            continue;
        }
        main[m++] = *p;
    }
    main[m] = '\0';
    for (char *w = main; *w;) {
        while (*w == ' ' || *w == '\t')
            w++;
        size_t l = strcspn(w, " \t");
        if (!l)
            break;
        if (!is_title(w, l) && !is_degree_or_initial(w, l) && o + l + 2 < n) {
            if (words)
                name[o++] = ' ';
            for (size_t i = 0; i < l; i++) {
                unsigned char ch = (unsigned char)w[i];
                bool first = i == 0 || w[i - 1] == '-' || w[i - 1] == '\'';
                name[o++] = (char)(first ? toupper(ch) : tolower(ch));
            }
            name[o] = '\0';
            words++;
        }
        w += l;
    }
    /* A nickname keeps its letters, in title case too. */
    for (size_t i = 0; nn && nick[i]; i++) {
        unsigned char ch = (unsigned char)nick[i];
        nick[i] = (char)(i == 0 || nick[i - 1] == ' ' ? toupper(ch) : tolower(ch));
    }
    return words;
}

bool nt_lex_name_is_common(const char *name, size_t words)
{
    static const char *const common[] = { "muhammad", "muhamad",  "mohammad", "mohamad", "moh",
                                          "muh",      "mhd",      "ahmad",    "achmad",  "siti",
                                          "nur",      "abdul",    "sri",      "dewi",    "agus",
                                          "budi",     "andi",     "ni",       "i",       "putu",
                                          "made",     "nyoman",   "ketut",    "wayan",   "teuku",
                                          "cut",      "syarifah", "said" };
    if (words <= 1)
        return true;
    if (words > 2)
        return false;
    size_t l = strcspn(name, " ");
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (strlen(common[i]) == l && strncasecmp(name, common[i], l) == 0)
            return true;
    return false;
}
