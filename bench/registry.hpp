// The benchmark families, registered by main() in an order that runs each
// baseline before the benchmarks whose ratio refers to it.
#pragma once

namespace sigreq_bench {

void register_baselines();
void register_verification();
void register_parts();
void register_threads();

// Builds the shared tokens and requests before any timing starts.
void prepare_verification();

}  // namespace sigreq_bench
