add_library(parley_options INTERFACE)
target_compile_options(parley_options INTERFACE -Wall -Wextra -Wno-missing-field-initializers
  # GCC 12 reports Asio coroutine frames (custom operator new/delete) as mismatched: a false positive.
  -Wno-mismatched-new-delete)
if(PARLEY_WERROR)
  target_compile_options(parley_options INTERFACE -Werror)
endif()
if(PARLEY_SANITIZE)
  target_compile_options(parley_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(parley_options INTERFACE -fsanitize=address,undefined)
endif()
