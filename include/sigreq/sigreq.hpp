// sigreq: verify and forge HMAC-signed HTTP requests.
//
// Everything but the Boost.Beast adapter, which is in sigreq/beast.hpp so
// that users of other HTTP libraries need not have Boost.
#pragma once

#include "authorization.hpp"
#include "clock.hpp"
#include "constant_time.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "hex.hpp"
#include "http_date.hpp"
#include "profiles.hpp"
#include "replay_guard.hpp"
#include "request.hpp"
#include "signed_headers.hpp"
#include "signer.hpp"
#include "string_to_sign.hpp"
#include "syntax.hpp"
#include "token_store.hpp"
#include "verifier.hpp"
