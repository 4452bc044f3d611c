#!/bin/bash -eu
# build.sh for OSS-Fuzz and ClusterFuzzLite: builds every sigreq fuzz
# target with the engine and sanitizer the infrastructure chose, and puts
# next to each binary its seed corpus (<target>_seed_corpus.zip) and its
# dictionary (<target>.dict).
#
# Uses $CXX, $CXXFLAGS, $LIB_FUZZING_ENGINE and $OUT as the infrastructure
# sets them; the sources are at $SIGREQ_SRC (default $SRC/sigreq). Needs
# Crypto++ (libcrypto++-dev, linked statically so that the runner image
# needs nothing) and Howard Hinnant's date (libhowardhinnant-date-dev).
src=${SIGREQ_SRC:-$SRC/sigreq}
targets="authorization_fuzzer http_date_fuzzer signed_headers_fuzzer
  verify_fuzzer roundtrip_fuzzer media_type_fuzzer"
cryptopp=$(find /usr/lib /usr/local/lib -name libcryptopp.a 2>/dev/null |
  head -1)
cryptopp=${cryptopp:--lcryptopp}

for t in $targets; do
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS -std=c++20 -I"$src/include" "$src/fuzz/$t.cpp" \
    -o "$OUT/$t" $LIB_FUZZING_ENGINE "$cryptopp"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$src/fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  cp "$src/fuzz/${t%_fuzzer}.dict" "$OUT/$t.dict"
done
