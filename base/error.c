/*
 * error.c - message and name tables generated from NT_ERR_MAP, so the enum and
 * its texts can never drift apart.
 */
#include "error.h"

const char *nt_err_str(enum nt_err err)
{
    switch (err) {
#define NT_ERR_CASE(name, num, msg)                                                                \
    case NT_E##name:                                                                               \
        return msg;
        NT_ERR_MAP(NT_ERR_CASE)
#undef NT_ERR_CASE
    }
    return "kesalahan tidak dikenal";
}

const char *nt_err_name(enum nt_err err)
{
    switch (err) {
#define NT_ERR_CASE(name, num, msg)                                                                \
    case NT_E##name:                                                                               \
        return "NT_E" #name;
        NT_ERR_MAP(NT_ERR_CASE)
#undef NT_ERR_CASE
    }
    return "NT_E?";
}
