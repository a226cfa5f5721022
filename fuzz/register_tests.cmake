# Registers each fuzz target of the clang build (CALLGATE_FUZZ_BUILD_DIR) as a CTest test:
# replay the committed corpus, then fuzz for CALLGATE_FUZZ_SECONDS. New inputs go to a
# scratch folder, never into the committed corpus.
set(CALLGATE_FUZZ_SECONDS 20 CACHE STRING "seconds each fuzz target runs in the test suite")
file(GLOB fuzz_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/*_fuzz.cpp)
foreach(src ${fuzz_sources})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "_fuzz$" "" corpus ${name})
  set(binary ${CALLGATE_FUZZ_BUILD_DIR}/fuzz/${name})
  add_test(NAME fuzz.${corpus}
    COMMAND sh -c "test -x '${binary}' || { echo 'fuzz target ${binary} not built'; exit 1; }; \
scratch=$(mktemp -d) && '${binary}' -max_total_time=${CALLGATE_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048 \
\"$scratch\" '${PROJECT_SOURCE_DIR}/fuzz/corpora/${corpus}'; rc=$?; rm -rf \"$scratch\"; exit $rc")
  set_tests_properties(fuzz.${corpus} PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()
