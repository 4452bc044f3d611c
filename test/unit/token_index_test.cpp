// The constant-time token index: every stored id is found, no other is,
// and filling it keeps the table at the size its load calls for, whatever
// the shape of the ids.
#define BOOST_TEST_MODULE unit_token_index
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <sigreq/token_index.hpp>

namespace {

struct entry {
  std::string id;
  sigreq::detail::padded_id padded_id;
  explicit entry(std::string i)
      : id(std::move(i)), padded_id(sigreq::detail::padded_id::of(id)) {}
  const sigreq::detail::padded_id& padded() const noexcept { return padded_id; }
};

sigreq::detail::padded_id probe(const std::string& id) {
  sigreq::detail::padded_id p(sigreq::detail::padded_id::unfilled);
  p.write_used(id);
  return p;
}

// The smallest table insert() keeps for n entries: at most half full.
std::size_t fitting_buckets(std::size_t n) {
  return std::bit_ceil((2 * n + 3) / 4);
}

struct id_shape {
  const char* name;
  std::string (*make)(std::size_t);
};

const id_shape shapes[] = {
    // Numbered ids that differ in the top bits of one word and the
    // middle of the next: they collided under every key with the old
    // word mix.
    {"numbered, 19 bytes",
     [](std::size_t i) { return "token-" + std::to_string(i) + "-abcdef"; }},
    {"decimal only", [](std::size_t i) { return std::to_string(i); }},
    {"long common prefix",
     [](std::size_t i) { return std::string(100, 'k') + std::to_string(i); }},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(unit)
BOOST_AUTO_TEST_SUITE(token_index)

BOOST_AUTO_TEST_CASE(filling_with_200000_ids_keeps_the_table_at_its_load) {
  constexpr std::size_t n = 200'000;
  for (const id_shape& shape : shapes) {
    std::vector<std::unique_ptr<entry>> entries;
    sigreq::detail::token_index<entry> index;
    for (std::size_t i = 0; i < n; ++i) {
      entries.push_back(std::make_unique<entry>(shape.make(i)));
      index.insert(entries.back().get());
    }
    // One doubling of slack for an unlucky key, no more.
    BOOST_TEST(index.bucket_count() <= 2 * fitting_buckets(n), shape.name);

    entry dummy(std::string(sigreq::max_token_id_size + 1, '\0'));
    std::size_t found = 0, wrong = 0;
    for (std::size_t i = 0; i < n; i += 97) {
      auto r = index.find(probe(entries[i]->id), dummy);
      found += r.found == entries[i].get();
      wrong += r.found != entries[i].get();
    }
    BOOST_TEST(wrong == 0u, shape.name);
    BOOST_TEST(found > 0u, shape.name);
  }
}

BOOST_AUTO_TEST_CASE(finds_no_entry_for_an_id_not_stored) {
  std::vector<std::unique_ptr<entry>> entries;
  sigreq::detail::token_index<entry> index;
  for (std::size_t i = 0; i < 1000; ++i) {
    entries.push_back(std::make_unique<entry>("tok-" + std::to_string(i)));
    index.insert(entries.back().get());
  }
  entry dummy(std::string(sigreq::max_token_id_size + 1, '\0'));
  using namespace std::string_literals;
  for (std::string id :
       {"tok-1000"s, "tok-"s, "tok-01"s, "TOK-1"s, "tok-1\0"s}) {
    auto r = index.find(probe(id), dummy);
    BOOST_TEST(r.found == nullptr, id);
    BOOST_TEST(r.used != nullptr, id);
  }
}

BOOST_AUTO_TEST_SUITE_END()
BOOST_AUTO_TEST_SUITE_END()
