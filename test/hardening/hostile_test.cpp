// A catalogue of hostile inputs, each with the reason it must be refused
// for (or "accepted" for the odd but valid ones that show the table is
// not vacuous).
//
// Each row starts from a genuinely signed request (a POST with a JSON body
// or a GET), bends one part, and either keeps the old signature or signs
// the bent request again with the real secret. Re-signed rows are the
// strong ones: the MAC is right, so only the parsers stand between the
// input and acceptance.
#define BOOST_TEST_MODULE hardening_hostile
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <locale>
#include <ostream>
#include <string>
#include <vector>

#include <date/date.h>

#include "fixture.hpp"

namespace bdata = boost::unit_test::data;
using hardening::world;
using sigreq::plain_request;
using sigreq::refusal;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view json_body = "{\"name\": \"widget\", \"count\": 3}";
const std::string mib(1 << 20, 'a');
const std::string digest_name(hardening::H::content_digest_header);

struct hostile {
  const world& w;
  plain_request r;
  std::string body;

  // Signs the request as it now stands with the real secret (no-op when
  // the signer refuses it, e.g. a signed header present twice).
  void resign() { w.sign_as_is(r); }

  std::string signature() const {
    std::string a = hardening::value_of(r, "Authorization");
    return a.substr(a.find(':') + 1);
  }
  void authorization(std::string value) { r.set("Authorization", value); }
  void credentials(std::string_view id, std::string_view sig) {
    authorization("Cubicweb " + std::string(id) + ":" + std::string(sig));
  }
  void date(std::string value) {
    r.set("Date", std::move(value));
    resign();
  }
};

enum class base { post, get };

struct row {
  const char* name;
  base start;
  void (*bend)(hostile&);
  refusal expected;
};

std::ostream& operator<<(std::ostream& os, const row& r) {
  return os << r.name;
}

std::string imf(std::chrono::seconds offset) {
  return sigreq::format_imf_fixdate(hardening::now + offset);
}

std::string formatted(const char* fmt, std::chrono::sys_seconds t) {
  return date::format(std::locale::classic(), fmt, t);
}

std::chrono::sys_seconds at(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + 12h;
}

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

const std::vector<row>& catalogue() {
  static const std::vector<row> rows = {
      // Controls: odd but valid.
      {"accepts_the_request_as_signed", base::post, [](hostile&) {},
       refusal{}},
      {"accepts_a_get_as_signed", base::get, [](hostile&) {}, refusal{}},
      {"accepts_a_tab_between_scheme_and_credentials", base::post,
       [](hostile& h) {
         h.authorization("Cubicweb\ttok:" + h.signature());
       },
       refusal{}},
      {"accepts_spaces_around_the_authorization_value", base::post,
       [](hostile& h) {
         h.authorization("  Cubicweb   tok:" + h.signature() + " \t");
       },
       refusal{}},
      {"accepts_a_resigned_body_with_nul_bytes", base::post,
       [](hostile& h) {
         h.body = std::string("a\0b\0c", 5);
         h.w.sign(h.r, h.body);
       },
       refusal{}},
      {"accepts_a_resigned_1_mib_body", base::post,
       [](hostile& h) {
         h.body = mib;
         h.w.sign(h.r, h.body);
       },
       refusal{}},
      {"accepts_a_resigned_quoted_content_type_parameter", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/plain; charset=\"utf\\\"8\"");
         h.resign();
       },
       refusal{}},
      {"accepts_a_resigned_lowercase_method_as_another_method", base::post,
       [](hostile& h) {
         h.r = plain_request("post", std::string(h.r.target()), h.r.fields());
         h.resign();
       },
       refusal{}},

      // Authorization.
      {"rejects_missing_authorization", base::post,
       [](hostile& h) {
         plain_request r(std::string(h.r.method()),
                         std::string(h.r.target()));
         for (auto& f : h.r.fields())
           if (f.name != "Authorization") r.add(f.name, f.value);
         h.r = r;
       },
       refusal::missing_authorization},
      {"rejects_empty_authorization", base::post,
       [](hostile& h) { h.authorization(""); },
       refusal::malformed_authorization},
      {"rejects_blank_authorization", base::post,
       [](hostile& h) { h.authorization(" \t "); },
       refusal::malformed_authorization},
      {"rejects_scheme_without_credentials", base::post,
       [](hostile& h) { h.authorization("Cubicweb"); },
       refusal::malformed_authorization},
      {"rejects_scheme_and_space_without_credentials", base::post,
       [](hostile& h) { h.authorization("Cubicweb   "); },
       refusal::malformed_authorization},
      {"rejects_lowercase_scheme", base::post,
       [](hostile& h) { h.authorization("cubicweb tok:" + h.signature()); },
       refusal::wrong_scheme},
      {"rejects_uppercase_scheme", base::post,
       [](hostile& h) { h.authorization("CUBICWEB tok:" + h.signature()); },
       refusal::wrong_scheme},
      {"rejects_bearer_scheme", base::post,
       [](hostile& h) { h.authorization("Bearer tok:" + h.signature()); },
       refusal::wrong_scheme},
      {"rejects_basic_scheme", base::post,
       [](hostile& h) { h.authorization("Basic dG9rOnNlY3JldA=="); },
       refusal::wrong_scheme},
      {"rejects_scheme_with_nul", base::post,
       [](hostile& h) {
         h.authorization(std::string("Cubicweb\0 tok:", 14) + h.signature());
       },
       refusal::wrong_scheme},
      {"rejects_obs_fold_after_scheme", base::post,
       [](hostile& h) {
         h.authorization("Cubicweb\r\n tok:" + h.signature());
       },
       refusal::wrong_scheme},
      {"rejects_credentials_without_colon", base::post,
       [](hostile& h) { h.authorization("Cubicweb tok" + h.signature()); },
       refusal::malformed_authorization},
      {"rejects_empty_token_id", base::post,
       [](hostile& h) { h.credentials("", h.signature()); },
       refusal::malformed_authorization},
      {"rejects_empty_signature", base::post,
       [](hostile& h) { h.credentials("tok", ""); },
       refusal::malformed_authorization},
      {"rejects_token_id_of_129_bytes", base::post,
       [](hostile& h) { h.credentials(std::string(129, 't'), h.signature()); },
       refusal::malformed_authorization},
      {"rejects_unknown_token_id_of_128_bytes", base::post,
       [](hostile& h) { h.credentials(std::string(128, 't'), h.signature()); },
       refusal::unknown_token},
      {"rejects_token_id_with_nul", base::post,
       [](hostile& h) {
         h.credentials(std::string("to\0k", 4), h.signature());
       },
       refusal::malformed_authorization},
      {"rejects_token_id_with_control_byte", base::post,
       [](hostile& h) { h.credentials("to\x01k", h.signature()); },
       refusal::malformed_authorization},
      {"rejects_token_id_with_del", base::post,
       [](hostile& h) { h.credentials("to\x7fk", h.signature()); },
       refusal::malformed_authorization},
      {"rejects_token_id_with_tab_inside", base::post,
       [](hostile& h) { h.credentials("to\tk", h.signature()); },
       refusal::malformed_authorization},
      {"rejects_non_ascii_token_id_as_unknown", base::post,
       [](hostile& h) { h.credentials("t\xc3\xb6k", h.signature()); },
       refusal::unknown_token},
      {"rejects_token_id_with_space_as_unknown", base::post,
       [](hostile& h) { h.credentials("to k", h.signature()); },
       refusal::unknown_token},
      {"rejects_token_id_differing_in_case", base::post,
       [](hostile& h) { h.credentials("TOK", h.signature()); },
       refusal::unknown_token},
      {"rejects_signature_with_nul", base::post,
       [](hostile& h) {
         std::string s = h.signature();
         s[5] = '\0';
         h.credentials("tok", s);
       },
       refusal::malformed_authorization},
      {"rejects_signature_with_tab_inside", base::post,
       [](hostile& h) {
         std::string s = h.signature();
         s[5] = '\t';
         h.credentials("tok", s);
       },
       refusal::malformed_authorization},
      {"rejects_uppercase_hex_signature", base::post,
       [](hostile& h) { h.credentials("tok", upper(h.signature())); },
       refusal::malformed_authorization},
      {"rejects_signature_one_char_short", base::post,
       [](hostile& h) { h.credentials("tok", h.signature().substr(1)); },
       refusal::malformed_authorization},
      {"rejects_signature_one_char_long", base::post,
       [](hostile& h) { h.credentials("tok", h.signature() + "0"); },
       refusal::malformed_authorization},
      {"rejects_signature_of_odd_hex_length", base::post,
       [](hostile& h) { h.credentials("tok", h.signature().substr(0, 127)); },
       refusal::malformed_authorization},
      {"rejects_signature_with_non_hex_letter", base::post,
       [](hostile& h) {
         std::string s = h.signature();
         s[0] = 'g';
         h.credentials("tok", s);
       },
       refusal::malformed_authorization},
      {"rejects_signature_with_second_colon", base::post,
       [](hostile& h) { h.credentials("tok", h.signature() + ":x"); },
       refusal::malformed_authorization},
      {"rejects_sha256_length_signature", base::post,
       [](hostile& h) { h.credentials("tok", h.signature().substr(0, 64)); },
       refusal::malformed_authorization},
      {"rejects_signature_with_non_ascii", base::post,
       [](hostile& h) {
         std::string s = h.signature();
         s.replace(0, 2, "\xc3\xa9");
         h.credentials("tok", s);
       },
       refusal::malformed_authorization},
      {"rejects_flipped_signature_bit", base::post,
       [](hostile& h) {
         std::string s = h.signature();
         s[0] = s[0] == '0' ? '1' : '0';
         h.credentials("tok", s);
       },
       refusal::bad_signature},
      {"rejects_authorization_over_1_kib", base::post,
       [](hostile& h) {
         h.authorization("Cubicweb tok:" + h.signature() +
                         std::string(1024, ' '));
       },
       refusal::oversized_input},
      {"rejects_authorization_of_1_mib", base::post,
       [](hostile& h) { h.authorization("Cubicweb " + mib); },
       refusal::oversized_input},
      {"rejects_duplicate_authorization", base::post,
       [](hostile& h) {
         h.r.add("Authorization", hardening::value_of(h.r, "Authorization"));
       },
       refusal::ambiguous_header},
      {"rejects_duplicate_authorization_in_other_case", base::post,
       [](hostile& h) {
         h.r.add("authorization", "Cubicweb other:" + h.signature());
       },
       refusal::ambiguous_header},

      // Methods.
      {"rejects_empty_method", base::post,
       [](hostile& h) {
         h.r = plain_request("", std::string(h.r.target()), h.r.fields());
         h.resign();
       },
       refusal::malformed_method},
      {"rejects_method_with_space", base::post,
       [](hostile& h) {
         h.r = plain_request("PO ST", std::string(h.r.target()), h.r.fields());
         h.resign();
       },
       refusal::malformed_method},
      {"rejects_method_with_nul", base::post,
       [](hostile& h) {
         h.r = plain_request(std::string("POST\0", 5),
                             std::string(h.r.target()), h.r.fields());
         h.resign();
       },
       refusal::malformed_method},
      {"rejects_method_with_tab", base::post,
       [](hostile& h) {
         h.r = plain_request("POST\t", std::string(h.r.target()),
                             h.r.fields());
         h.resign();
       },
       refusal::malformed_method},
      {"rejects_non_ascii_method", base::post,
       [](hostile& h) {
         h.r = plain_request("P\xc3\x96ST", std::string(h.r.target()),
                             h.r.fields());
         h.resign();
       },
       refusal::malformed_method},
      {"rejects_method_of_33_bytes", base::post,
       [](hostile& h) {
         h.r = plain_request(std::string(33, 'P'), std::string(h.r.target()),
                             h.r.fields());
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_method_changed_after_signing", base::post,
       [](hostile& h) {
         h.r = plain_request("PUT", std::string(h.r.target()), h.r.fields());
       },
       refusal::bad_signature},

      // Request targets.
      {"rejects_empty_target", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_without_leading_slash", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "api/items", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_asterisk_target", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "*", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_absolute_form_target", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "https://api.example.org/api/items",
                             h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_with_space", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api/it ems", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_with_tab", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api/\titems", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_with_nul", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", std::string("/api\0/items", 11),
                             h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_with_crlf", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api\r\nX-Injected: 1", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_non_ascii_target", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api/\xc3\xa9l\xc3\xa9ment",
                             h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_with_del", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api/\x7f", h.r.fields());
         h.resign();
       },
       refusal::malformed_target},
      {"rejects_target_over_8_kib", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/" + std::string(8192, 'a'),
                             h.r.fields());
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_target_of_1_mib", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/" + mib, h.r.fields());
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_target_changed_after_signing", base::post,
       [](hostile& h) {
         h.r = plain_request("POST", "/api/items?x=2", h.r.fields());
       },
       refusal::bad_signature},

      // Signed headers: duplicates, sizes, bytes.
      {"rejects_duplicate_date", base::post,
       [](hostile& h) { h.r.add("Date", imf(0s)); },
       refusal::ambiguous_header},
      {"rejects_duplicate_date_in_other_case", base::post,
       [](hostile& h) { h.r.add("date", imf(0s)); },
       refusal::ambiguous_header},
      {"rejects_duplicate_x_cubicweb_date", base::post,
       [](hostile& h) {
         h.r.add("X-Cubicweb-Date", imf(0s));
         h.r.add("X-Cubicweb-Date", imf(0s));
       },
       refusal::ambiguous_header},
      {"rejects_duplicate_content_type", base::post,
       [](hostile& h) { h.r.add("Content-Type", "application/json"); },
       refusal::ambiguous_header},
      {"rejects_duplicate_content_digest", base::post,
       [](hostile& h) {
         h.r.add(digest_name, hardening::value_of(h.r, digest_name));
       },
       refusal::ambiguous_header},
      {"rejects_content_type_over_8_kib", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/plain; a=" + std::string(8192, 'b'));
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_content_type_of_1_mib", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/" + mib);
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_date_of_1_mib", base::post,
       [](hostile& h) { h.date(mib); }, refusal::oversized_input},
      {"rejects_content_digest_of_1_mib", base::post,
       [](hostile& h) {
         h.r.set(digest_name, mib);
         h.resign();
       },
       refusal::oversized_input},
      {"rejects_empty_content_type", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_with_nul", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", std::string("text/plain\0", 11));
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_with_tab_instead_of_semicolon", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/plain\tcharset=utf-8");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_with_obs_fold", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/plain;\r\n charset=utf-8");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_non_ascii_content_type", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/pl\xc3\xa2in");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_without_subtype", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_without_type", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "/json");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_with_unclosed_quote", base::post,
       [](hostile& h) {
         h.r.set("Content-Type", "text/plain; charset=\"utf-8");
         h.resign();
       },
       refusal::malformed_header},
      {"rejects_content_type_changed_after_signing", base::post,
       [](hostile& h) { h.r.set("Content-Type", "application/xml"); },
       refusal::bad_signature},

      // Content digest and body.
      {"rejects_uppercase_hex_digest", base::post,
       [](hostile& h) {
         h.r.set(digest_name, upper(hardening::value_of(h.r, digest_name)));
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_digest_one_char_short", base::post,
       [](hostile& h) {
         h.r.set(digest_name, hardening::value_of(h.r, digest_name).substr(1));
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_digest_one_char_long", base::post,
       [](hostile& h) {
         h.r.set(digest_name, hardening::value_of(h.r, digest_name) + "0");
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_digest_with_non_hex_letter", base::post,
       [](hostile& h) {
         std::string d = hardening::value_of(h.r, digest_name);
         d[3] = 'z';
         h.r.set(digest_name, d);
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_digest_with_trailing_space", base::post,
       [](hostile& h) {
         h.r.set(digest_name, hardening::value_of(h.r, digest_name) + " ");
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_empty_digest_on_get", base::get,
       [](hostile& h) {
         h.r.set(digest_name, "");
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_garbage_digest_on_get", base::get,
       [](hostile& h) {
         h.r.set(digest_name, "not-a-digest");
         h.resign();
       },
       refusal::malformed_body_digest},
      {"rejects_digest_of_another_body_on_get", base::get,
       [](hostile& h) {
         sigreq::digest_state<hardening::H> d;
         d.update("x");
         auto hex = d.finish_hex();
         h.r.set(digest_name, std::string(hex.begin(), hex.end()));
         h.resign();
       },
       refusal::body_digest_mismatch},
      {"rejects_post_without_digest", base::post,
       [](hostile& h) {
         plain_request r(std::string(h.r.method()),
                         std::string(h.r.target()));
         for (auto& f : h.r.fields())
           if (f.name != digest_name) r.add(f.name, f.value);
         h.r = r;
         h.resign();
       },
       refusal::missing_body_digest},
      {"rejects_get_body_without_digest", base::get,
       [](hostile& h) {
         plain_request r("GET", std::string(h.r.target()));
         for (auto& f : h.r.fields())
           if (f.name != digest_name) r.add(f.name, f.value);
         h.r = r;
         h.resign();
         h.body = "smuggled";
       },
       refusal::missing_body_digest},
      {"rejects_body_changed_after_signing", base::post,
       [](hostile& h) { h.body = "{\"name\": \"widget\", \"count\": 4}"; },
       refusal::body_digest_mismatch},
      {"rejects_body_truncated_after_signing", base::post,
       [](hostile& h) { h.body.pop_back(); }, refusal::body_digest_mismatch},
      {"rejects_empty_body_where_one_was_signed", base::post,
       [](hostile& h) { h.body.clear(); }, refusal::body_digest_mismatch},
      {"rejects_1_mib_body_under_a_small_body_digest", base::post,
       [](hostile& h) { h.body = mib; }, refusal::body_digest_mismatch},
      {"rejects_body_with_nul_appended", base::post,
       [](hostile& h) { h.body.push_back('\0'); },
       refusal::body_digest_mismatch},

      // Dates, re-signed: only the date rules decide.
      {"rejects_missing_date", base::post,
       [](hostile& h) {
         plain_request r(std::string(h.r.method()),
                         std::string(h.r.target()));
         for (auto& f : h.r.fields())
           if (f.name != "Date") r.add(f.name, f.value);
         h.r = r;
         h.resign();
       },
       refusal::missing_date},
      {"rejects_empty_date", base::post, [](hostile& h) { h.date(""); },
       refusal::malformed_date},
      {"accepts_date_exactly_300_s_old", base::post,
       [](hostile& h) { h.date(imf(-300s)); }, refusal{}},
      {"rejects_date_301_s_old", base::post,
       [](hostile& h) { h.date(imf(-301s)); }, refusal::stale_date},
      {"accepts_date_exactly_300_s_ahead", base::post,
       [](hostile& h) { h.date(imf(300s)); }, refusal{}},
      {"rejects_date_301_s_ahead", base::post,
       [](hostile& h) { h.date(imf(301s)); }, refusal::stale_date},
      {"accepts_plus_0200_date_300_s_ahead", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 14:05:00 +0200"); },
       refusal{}},
      {"rejects_plus_0200_date_301_s_ahead", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 14:05:01 +0200"); },
       refusal::stale_date},
      {"accepts_minus_0200_date_300_s_old", base::post,
       [](hostile& h) { h.date("29 Feb 2024 09:55:00 -0200"); }, refusal{}},
      {"rejects_minus_0200_date_301_s_old", base::post,
       [](hostile& h) { h.date("29 Feb 2024 09:54:59 -0200"); },
       refusal::stale_date},
      {"accepts_minus_0000_date_300_s_ahead", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:05:00 -0000"); }, refusal{}},
      {"rejects_plus_0000_date_301_s_old", base::post,
       [](hostile& h) { h.date("29 Feb 2024 11:54:59 +0000"); },
       refusal::stale_date},
      {"rejects_local_time_whose_offset_puts_it_out", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00 +0200"); },
       refusal::stale_date},
      {"accepts_plus_1330_date_inside_the_window", base::post,
       [](hostile& h) { h.date("1 Mar 2024 01:30:00 +1330"); }, refusal{}},
      {"rejects_zone_plus_2400", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00 +2400"); },
       refusal::malformed_date},
      {"rejects_zone_minutes_60", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00 +0060"); },
       refusal::malformed_date},
      {"rejects_zone_of_two_digits", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00 +02"); },
       refusal::malformed_date},
      {"rejects_zone_with_trailing_space", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00 +0000 "); },
       refusal::malformed_date},
      {"rejects_utc_instead_of_gmt", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 12:00:00 UTC"); },
       refusal::malformed_date},
      {"rejects_leap_second_23_59_60", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 23:59:60 GMT"); },
       refusal::malformed_date},
      {"rejects_second_60_inside_the_window", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 11:59:60 GMT"); },
       refusal::malformed_date},
      {"rejects_hour_24", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 24:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_minute_60", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024 12:60:00 GMT"); },
       refusal::malformed_date},
      {"rejects_feb_29_of_common_year", base::post,
       [](hostile& h) { h.date("Wed, 29 Feb 2023 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_feb_29_of_1900", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 1900 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_feb_30", base::post,
       [](hostile& h) { h.date("Fri, 30 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_day_00", base::post,
       [](hostile& h) { h.date("Thu, 00 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_wrong_weekday", base::post,
       [](hostile& h) { h.date("Fri, 29 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_lowercase_names", base::post,
       [](hostile& h) { h.date("thu, 29 feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_trailing_garbage", base::post,
       [](hostile& h) { h.date(imf(0s) + "x"); }, refusal::malformed_date},
      {"rejects_leading_space", base::post,
       [](hostile& h) { h.date(" " + imf(0s)); }, refusal::malformed_date},
      {"rejects_doubled_space", base::post,
       [](hostile& h) { h.date("Thu,  29 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_tab_for_space", base::post,
       [](hostile& h) { h.date("Thu,\t29 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_nul_inside_date", base::post,
       [](hostile& h) {
         h.date(std::string("Thu, 29 Feb 2024\0 12:00:00 GMT", 30));
       },
       refusal::malformed_date},
      {"rejects_obs_fold_inside_date", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 2024\r\n 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_non_ascii_date", base::post,
       [](hostile& h) { h.date("Th\xc3\xbc, 29 Feb 2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_unix_timestamp", base::post,
       [](hostile& h) { h.date("1709208000"); }, refusal::malformed_date},
      {"rejects_iso_8601", base::post,
       [](hostile& h) { h.date("2024-02-29T12:00:00Z"); },
       refusal::malformed_date},
      {"rejects_five_digit_year", base::post,
       [](hostile& h) { h.date("Thu, 29 Feb 02024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_rfc5322_without_zone", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00:00"); },
       refusal::malformed_date},
      {"accepts_rfc5322_without_seconds", base::post,
       [](hostile& h) { h.date("29 Feb 2024 12:00 +0000"); }, refusal{}},
      {"accepts_rfc850_date", base::post,
       [](hostile& h) {
         h.date(formatted("%A, %d-%b-%y %H:%M:%S GMT", hardening::now));
       },
       refusal{}},
      {"rejects_rfc850_feb_29_of_two_digit_common_year", base::post,
       [](hostile& h) { h.date("Wednesday, 29-Feb-23 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_rfc850_year_75_read_as_1975", base::post,
       [](hostile& h) {
         h.date(formatted("%A, %d-%b-%y %H:%M:%S GMT", at(1975, 2, 28)));
       },
       refusal::stale_date},
      {"rejects_rfc850_year_75_with_2075_weekday", base::post,
       [](hostile& h) {
         h.date(formatted("%A, %d-%b-%y %H:%M:%S GMT", at(2075, 2, 28)));
       },
       refusal::malformed_date},
      {"rejects_rfc850_short_weekday", base::post,
       [](hostile& h) { h.date("Thu, 29-Feb-24 12:00:00 GMT"); },
       refusal::malformed_date},
      {"rejects_rfc850_four_digit_year", base::post,
       [](hostile& h) { h.date("Thursday, 29-Feb-2024 12:00:00 GMT"); },
       refusal::malformed_date},
      {"accepts_asctime_date", base::post,
       [](hostile& h) { h.date("Thu Feb 29 12:00:00 2024"); }, refusal{}},
      {"rejects_asctime_with_trailing_space", base::post,
       [](hostile& h) { h.date("Thu Feb 29 12:00:00 2024 "); },
       refusal::malformed_date},
      {"rejects_asctime_with_zone", base::post,
       [](hostile& h) { h.date("Thu Feb 29 12:00:00 2024 GMT"); },
       refusal::malformed_date},
      {"rejects_stale_x_cubicweb_date_over_a_fresh_date", base::post,
       [](hostile& h) {
         h.r.set("X-Cubicweb-Date", imf(-3600s));
         h.resign();
       },
       refusal::stale_date},
      {"rejects_empty_x_cubicweb_date_over_a_fresh_date", base::post,
       [](hostile& h) {
         h.r.set("X-Cubicweb-Date", "");
         h.resign();
       },
       refusal::malformed_date},
      {"rejects_x_cubicweb_date_added_after_signing", base::post,
       [](hostile& h) { h.r.set("X-Cubicweb-Date", imf(10s)); },
       refusal::bad_signature},
      {"rejects_date_changed_after_signing", base::post,
       [](hostile& h) { h.r.set("Date", imf(1s)); }, refusal::bad_signature},
  };
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_CASE(catalogue_holds_at_least_100_hostile_rows) {
  std::size_t hostile_rows = 0;
  for (const row& r : catalogue())
    if (r.expected != refusal{}) ++hostile_rows;
  BOOST_TEST(hostile_rows >= 100u);
}

BOOST_DATA_TEST_CASE(hostile_input, bdata::make(catalogue()), row) {
  world w;
  plain_request r;
  if (row.start == base::post) {
    r = plain_request("POST", "/api/items?x=1");
    r.add("Content-Type", "application/json");
    w.sign(r, json_body);
  } else {
    r = plain_request("GET", "/api/items?limit=10");
    w.sign(r, "");
  }
  hostile h{w, r, std::string(row.start == base::post ? json_body : "")};

  row.bend(h);

  BOOST_TEST(w.verify(h.r, h.body) == row.expected);
  BOOST_TEST(w.verify(h.r, h.body, true) == row.expected);
}
