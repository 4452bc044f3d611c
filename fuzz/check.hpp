// The way a fuzz target reports a broken invariant: a message on stderr,
// then abort(), which libFuzzer records as a crash and the replay test as
// a failure. Unlike assert(), it stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SIGREQ_FUZZ_CHECK(cond)                                       \
  do {                                                                \
    if (!(cond)) {                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
                   __LINE__, #cond);                                  \
      std::abort();                                                   \
    }                                                                 \
  } while (false)
