// The index behind in_memory_token_store: a lookup whose cost and memory
// accesses do not depend on whether the id is in it.
//
// Ids are padded to max_token_id_size bytes and hashed with a random key
// (so their placement cannot be predicted from outside); hashing and
// comparing read as many words as the looked-up id is long, a length the
// client chose. Each id has two
// candidate buckets of four slots, one cache line each; a lookup reads
// both, compares all eight fingerprints without branching, and compares
// the one candidate with the id in full, in constant time. For an unknown
// id the candidate is a stand-in: a stored entry picked by the id's hash. An
// unknown id therefore costs what a known one costs: the same hashing, the same
// two cache lines, the same comparisons, and one stored entry read.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "constant_time.hpp"
#include "limits.hpp"

namespace sigreq {
namespace detail {

// An id in a fixed-size buffer, zero-padded.
struct padded_id {
  std::array<std::uint64_t, max_token_id_size / 8> words;
  std::uint64_t size = 0;

  padded_id() noexcept : words{} {}

  // Every word written: for a stored id, which lookups of ids of any
  // length read.
  static padded_id of(std::string_view id) noexcept {
    padded_id p;
    std::size_t n =
        id.size() < max_token_id_size ? id.size() : max_token_id_size;
    std::memcpy(p.words.data(), id.data(), n);
    p.size = id.size();
    return p;
  }

  // A buffer whose words are left unwritten, for write_used().
  struct unfilled_t {};
  static constexpr unfilled_t unfilled{};
  explicit padded_id(unfilled_t) noexcept {}

  // Writes only the words that hold id (nothing reads the others): for
  // the id being looked up, on the stack of every verification.
  void write_used(std::string_view id) noexcept {
    std::size_t n =
        id.size() < max_token_id_size ? id.size() : max_token_id_size;
    std::size_t used = (n + 7) / 8;
    if (used != 0) words[used - 1] = 0;
    std::memcpy(words.data(), id.data(), n);
    size = id.size();
  }

  // The words that hold the id's bytes (a length the caller chose, so
  // public): hashing and comparing read just these.
  std::size_t used_words() const noexcept {
    std::size_t n = size < max_token_id_size ? size : max_token_id_size;
    return (n + 7) / 8;
  }

  // Equal, read in constant time: the words of this id's length from
  // both, whatever they hold. Beyond them o holds zeros or differs in
  // size, so a stored id longer or shorter than this one never matches.
  bool equals(const padded_id& o) const noexcept {
    std::uint64_t diff = size ^ o.size;
    for (std::size_t i = 0; i < used_words(); ++i)
      diff |= words[i] ^ o.words[i];
    return mask_if_zero(diff) & 1;
  }
};

// A bijective mix of 64 bits in which every input bit reaches every
// output bit (the finalizer of SplitMix64).
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z ^= z >> 30;
  z *= 0xbf58476d1ce4e5b9ull;
  z ^= z >> 27;
  z *= 0x94d049bb133111ebull;
  z ^= z >> 31;
  return z;
}

// A keyed mix of the id's words: its cost depends on the id's length only.
// Each word is fully mixed before the next joins: with a multiply alone, a
// difference in the top bits of one word could be cancelled by one in the
// next whatever the key, and ids such as "token-120008-x" and
// "token-160006-x" collided in every table, so that filling a store of a
// few hundred thousand numbered ids rebuilt it without end.
inline std::uint64_t keyed_hash(const padded_id& id,
                                std::uint64_t key) noexcept {
  std::uint64_t h = mix64(key ^ id.size);
  for (std::size_t i = 0; i < id.used_words(); ++i)
    h = mix64(h ^ id.words[i]);
  return h;
}

// T must offer `const padded_id& padded() const noexcept`.
template <class T>
class token_index {
 public:
  token_index() : key_(random_key()) { buckets_.resize(1); }

  // What a lookup found, and what the caller should use in its stead
  // for work it does either way (a MAC): the entry found or, when none,
  // a stand-in.
  struct lookup {
    const T* found;
    const T* used;
  };

  // The entry whose padded id equals id, or nullptr, and a stand-in: an
  // entry picked by the id's hash among all stored ones (dummy when there
  // are none), so that an unknown id reads a stored entry as a known one
  // does and the cache cannot tell them apart. dummy is never found.
  lookup find(const padded_id& id, const T& dummy) const noexcept {
    std::uint64_t h = keyed_hash(id, key_);
    std::uint64_t fingerprint = h | 1;
    const bucket& a = buckets_[first_bucket(h)];
    const bucket& b = buckets_[second_bucket(h)];

    std::uint64_t found = 0;
#pragma GCC unroll 4
    for (const slot& s : a.slots)
      found |= address(s.entry) & mask_if_zero(s.fingerprint ^ fingerprint);
#pragma GCC unroll 4
    for (const slot& s : b.slots)
      found |= address(s.entry) & mask_if_zero(s.fingerprint ^ fingerprint);

    // Read whether or not it is needed: a known id pays the same.
    std::uint64_t stand_in = address(&dummy);
    if (!entries_.empty()) {
      std::uint64_t pick = ((h >> 32) * entries_.size()) >> 32;
      stand_in = address(entries_[pick]);
    }
    std::uint64_t none = mask_if_zero(found);
    auto* candidate = reinterpret_cast<const T*>(
        static_cast<std::uintptr_t>(select(none, stand_in, found)));
    std::uint64_t same = 0 - std::uint64_t(id.equals(candidate->padded()));
    return {reinterpret_cast<const T*>(
                static_cast<std::uintptr_t>(found & same & ~none)),
            candidate};
  }

  // Adds an entry whose id is not in the index yet, rebuilding the table
  // larger, or with a new key, when it does not fit. Allocates.
  void insert(const T* entry) {
    bool full = (entries_.size() + 1) * 2 > buckets_.size() * slots_per_bucket;
    entries_.push_back(entry);
    if (full || !try_insert(entry))
      rebuild(full ? buckets_.size() * 2 : buckets_.size());
  }

  void erase(const T* entry) noexcept {
    // An entry lives in one of its two buckets only.
    std::uint64_t h = keyed_hash(entry->padded(), key_);
    for (bucket* bk : {&buckets_[first_bucket(h)], &buckets_[second_bucket(h)]})
      for (slot& s : bk->slots)
        if (s.entry == entry) s = slot{};
    for (auto& e : entries_)
      if (e == entry) {
        e = entries_.back();
        entries_.pop_back();
        return;
      }
  }

  // For tests and capacity planning: the table's size in buckets of four.
  std::size_t bucket_count() const noexcept {
    return buckets_.size();
  }

  void reserve(std::size_t n) {
    std::size_t want =
        std::bit_ceil((2 * n + slots_per_bucket - 1) / slots_per_bucket);
    entries_.reserve(n);
    if (want > buckets_.size()) rebuild(want);
  }

 private:
  static constexpr std::size_t slots_per_bucket = 4;

  struct slot {
    std::uint64_t fingerprint = 0;  // 0: empty
    const T* entry = nullptr;
  };
  struct alignas(64) bucket {
    std::array<slot, slots_per_bucket> slots{};
  };

  static std::uint64_t random_key() {
    std::random_device rd;
    return (std::uint64_t(rd()) << 32) ^ rd();
  }

  std::size_t first_bucket(std::uint64_t h) const noexcept {
    return (h >> 8) & (buckets_.size() - 1);
  }
  std::size_t second_bucket(std::uint64_t h) const noexcept {
    return (h >> 36 ^ h >> 12) & (buckets_.size() - 1);
  }

  // Places entry in one of its two buckets, moving entries already placed
  // to their other bucket when both are full (cuckoo hashing), so that the
  // table fills to its half-full limit without rebuilding. False when no
  // place was found within a bounded number of moves, or when two
  // fingerprints would meet in one probe (find() would OR them together):
  // the caller rebuilds, with a new key, from entries_, so an entry left
  // unplaced by a move is placed again then.
  bool try_insert(const T* entry) {
    const T* moving = entry;
    std::size_t came_from = ~std::size_t{0};
    for (int move = 0; move < 256; ++move) {
      std::uint64_t h = keyed_hash(moving->padded(), key_);
      std::uint64_t fingerprint = h | 1;
      std::size_t at[2] = {first_bucket(h), second_bucket(h)};

      for (std::size_t i : at)
        for (const slot& s : buckets_[i].slots)
          if (s.entry && s.entry != moving && s.fingerprint == fingerprint)
            return false;
      for (std::size_t i : at)
        for (slot& s : buckets_[i].slots)
          if (!s.entry) {
            s = {fingerprint, moving};
            return true;
          }

      // Both full: take the place of an entry of the bucket this one did
      // not come from, and move that entry on.
      std::size_t into = at[0] == came_from ? at[1] : at[0];
      slot& taken =
          buckets_[into]
              .slots[static_cast<std::size_t>(move) % slots_per_bucket];
      std::swap(taken.entry, moving);
      taken.fingerprint = fingerprint;
      came_from = into;
    }
    return false;
  }

  // Places every entry anew in bucket_count buckets; on a failure, again
  // with a new key, doubling the size every fourth time.
  void rebuild(std::size_t bucket_count) {
    for (int attempt = 0;; ++attempt) {
      buckets_.assign(bucket_count, bucket{});
      if (attempt > 0) key_ = random_key();
      bool placed = true;
      for (const T* e : entries_)
        if (!(placed = try_insert(e))) break;
      if (placed) return;
      if (attempt % 4 == 3) bucket_count *= 2;
    }
  }

  static std::uint64_t address(const T* p) noexcept {
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p));
  }

  std::vector<bucket> buckets_;
  std::vector<const T*> entries_;
  std::uint64_t key_;
};

}  // namespace detail
}  // namespace sigreq
