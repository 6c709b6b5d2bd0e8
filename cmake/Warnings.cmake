# Warnings are errors everywhere (gcc and clang); sanitizers on request.
add_compile_options(-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
                    -Wno-unused-parameter -Wvla -Wformat=2 -Wno-format-nonliteral)
add_compile_definitions(_GNU_SOURCE _FILE_OFFSET_BITS=64)
if(LR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
