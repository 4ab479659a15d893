# Compiler policy shared by every target: strict warnings, optional -Werror
# (CI turns it on) and an optional ASan+UBSan build used by `make test`.
add_compile_options(
  -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wformat-security
  -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition
  -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla -Wundef
  -Wnull-dereference -Wimplicit-fallthrough -Wdouble-promotion
  -fno-common
  # snprintf truncation is how bounded buffers are meant to work here (GCC).
  $<$<C_COMPILER_ID:GNU>:-Wno-format-truncation>)
add_compile_definitions(_POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)

if(NT_WERROR)
  add_compile_options(-Werror)
endif()

if(NT_SANITIZE)
  set(_nt_san -fsanitize=address,undefined -fno-sanitize-recover=undefined
              -fno-omit-frame-pointer)
  add_compile_options(${_nt_san})
  add_link_options(${_nt_san})
else()
  add_compile_options(-D_FORTIFY_SOURCE=2 -fstack-protector-strong)
endif()
