#include "ratio_reporter.hpp"

#include <optional>
#include <string_view>

namespace sigreq_bench {
namespace {

using Run = benchmark::BenchmarkReporter::Run;

std::string family(const Run& r) {
  std::string s = r.run_name.function_name;
  if (!r.run_name.args.empty()) s += "/" + r.run_name.args;
  return s;
}

// Which measurement of a benchmark a run is: a repetition, or an
// aggregate whose ratio means something (mean, median).
std::optional<std::string> instance(const Run& r) {
  if (r.run_type == Run::RT_Iteration) {
    std::string s = "repetition ";
    s += std::to_string(r.repetition_index);
    return s;
  }
  if (r.aggregate_name == "mean" || r.aggregate_name == "median")
    return r.aggregate_name;
  return std::nullopt;
}

std::string key(const std::string& family, std::int64_t threads,
                const std::string& instance) {
  return family + "|" + std::to_string(threads) + "|" + instance;
}

std::optional<double> rate(const Run& r) {
  for (const auto& [name, c] : r.counters) {
    std::string_view n = name;
    if (n.ends_with("_per_second") && n != "bytes_per_second" &&
        n != "items_per_second")
      return c.value;
  }
  return std::nullopt;
}

}  // namespace

void ratio_book::record(const std::vector<Run>& runs) {
  for (const Run& r : runs) {
    if (r.error_occurred) continue;
    auto which = instance(r);
    auto per_second = rate(r);
    if (which && per_second)
      rates_[key(family(r), r.threads, *which)] = *per_second;
  }
}

std::vector<Run> ratio_book::annotate(const std::vector<Run>& runs) const {
  std::vector<Run> out = runs;
  for (Run& r : out) {
    if (r.error_occurred) continue;
    auto which = instance(r);
    auto per_second = rate(r);
    if (!which || !per_second) continue;
    for (const ratio_rule& rule : rules_) {
      if (rule.target != family(r) || rule.target_threads != r.threads)
        continue;
      auto base =
          rates_.find(key(rule.baseline, rule.baseline_threads, *which));
      if (base == rates_.end() || base->second <= 0) continue;
      r.counters[rule.counter] = *per_second / base->second;
    }
  }
  return out;
}

std::vector<ratio_rule> sigreq_ratio_rules() {
  std::vector<ratio_rule> rules;
  for (std::string p : {"cubicweb", "md5_legacy", "sha256_request_id"})
    rules.push_back({"ratio_to_limit", "BM_verify_get<" + p + ">", 1,
                     "BM_hmac_limit<" + p + ">", 1});
  rules.push_back({"ratio_to_naive", "BM_verify_get<cubicweb>", 1,
                   "BM_naive_baseline/filters:1", 1});
  rules.push_back({"ratio_to_naive_plain", "BM_verify_get<cubicweb>", 1,
                   "BM_naive_baseline/filters:0", 1});
  for (std::string size : {"0", "1024", "65536", "1048576"})
    rules.push_back({"ratio_to_sha512_raw", "BM_verify_post/" + size, 1,
                     "BM_sha512_raw/" + size, 1});
  rules.push_back({"ratio_to_limit", "BM_verify_get_store/1", 1,
                   "BM_hmac_limit<cubicweb>", 1});
  rules.push_back({"ratio_to_limit", "BM_verify_get_store/10000", 1,
                   "BM_hmac_limit<cubicweb>", 1});
  rules.push_back({"ratio_to_limit", "BM_verify_get_store/1000000", 1,
                   "BM_hmac_limit<cubicweb>", 1});
  rules.push_back({"ratio_to_one_thread", "BM_verify_get_threads<cubicweb>", 2,
                   "BM_verify_get_threads<cubicweb>", 1});
  rules.push_back({"ratio_to_one_thread", "BM_hmac_limit_threads<cubicweb>", 2,
                   "BM_hmac_limit_threads<cubicweb>", 1});
  rules.push_back(
      {"ratio_to_date_parse", "BM_parse_http_date", 1, "BM_date_parse", 1});
  rules.push_back({"ratio_to_date_parse_istringstream", "BM_parse_http_date", 1,
                   "BM_date_parse_istringstream", 1});
  rules.push_back(
      {"ratio_to_memcmp", "BM_constant_time_equal", 1, "BM_memcmp", 1});
  return rules;
}

}  // namespace sigreq_bench
