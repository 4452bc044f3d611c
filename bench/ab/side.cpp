// One side of bench/ab/ab.sh: the GET fixture of bench/fixture.hpp and
// its bare MAC, compiled against one revision's include/. The build
// renames the namespaces (-DSIDE=rev_a or rev_b), so that two revisions
// of the headers link into one program without clashing.
#define SIGREQ_AB_CAT2(a, b) a##b
#define SIGREQ_AB_CAT(a, b) SIGREQ_AB_CAT2(a, b)
#define sigreq SIGREQ_AB_CAT(sigreq_, SIDE)
#define sigreq_bench SIGREQ_AB_CAT(sigreq_bench_, SIDE)

#include <string>

#include "batches.hpp"

namespace {

using profile = sigreq::profiles::cubicweb;

struct side_state {
  sigreq_bench::world<profile>& world = sigreq_bench::world<profile>::get();
  std::string bytes =
      sigreq_bench::string_to_sign_of<profile>(world.get_request(0));
  const sigreq::token<sigreq::hash::sha512>* token =
      world.store().find(sigreq_bench::token_id_of(0));
};

side_state& state() {
  static side_state s;
  return s;
}

}  // namespace

bool SIGREQ_AB_CAT(accepts_, SIDE)() {
  return bool(state().world.verifier().verify(state().world.get_request(0)));
}

void SIGREQ_AB_CAT(verify_, SIDE)(long n) {
  sigreq_bench::verify_batch<profile>(state().world.verifier(),
                                      state().world.get_request(0), n);
}

void SIGREQ_AB_CAT(mac_, SIDE)(long n) {
  sigreq_bench::mac_batch<sigreq::hash::sha512>(state().token->key(),
                                                state().bytes, n);
}
