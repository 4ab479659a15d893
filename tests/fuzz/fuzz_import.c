/*
 * fuzz_import.c - fuzz target for the registry importers (CSV reader, field
 * checks, NIP/region/account validation, database writes).
 *
 * A libFuzzer target (clang, -fsanitize=fuzzer); under CTest it is linked
 * with driver.c, which feeds it deterministic mutations of seed files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "registry.h"

static struct nt_store *store;

static void import_both(const uint8_t *data, size_t size)
{
    struct nt_reg_import_opts o = {
        .skip_invalid = size % 2 == 0, .partial = size % 3 == 0, .actor = "fuzz", .now = 1795392000
    };
    struct nt_reg_import_result r;
    struct nt_diag_list errs;
    struct nt_diag d;
    nt_diag_list_init(&errs, 50);
    nt_diag_clear(&d);
    (void)nt_reg_import_employees(store, "fuzz.csv", (const char *)data, size, &o, &r, &errs, &d);
    errs.count = 0;
    (void)nt_reg_import_accounts(store, "fuzz.csv", (const char *)data, size, &o, &r, &errs, &d);
    nt_diag_list_release(&errs);
}

void nt_fuzz_cleanup(void)
{
    nt_store_close(store);
    store = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store) {
        struct nt_diag d;
        if (nt_store_open(":memory:", NT_STORE_CREATE, &store, &d) != NT_OK) {
            fprintf(stderr, "fuzz: %s\n", d.msg);
            abort();
        }
        /* Known employees, so that account rows can get past the NIP lookup. */
        static const char seed[] =
            "nip,nama,instansi,unit_kerja,jenis_jabatan,jabatan,kode_wilayah,status\n"
            "198503122010011003,Budi,Pemkab,,JPT,Kepala,76,PNS\n"
            "199001152015032001,Sari,Pemkab,,Pelaksana,Staf,76.04,PPPK\n";
        import_both((const uint8_t *)seed, sizeof(seed) - 1);
    }
    import_both(data, size);
    return 0;
}
