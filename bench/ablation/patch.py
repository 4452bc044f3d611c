#!/usr/bin/env python3
"""Writes a copy of include/ whose verifier can skip steps, for ablate.sh.

Switches, set at run time through sigreq::ablation::mode:
  2  the token lookup is skipped: the token recorded is used;
  4  the header walk is skipped: the fields recorded are copied in (a
     copy of about 200 bytes is all it costs);
 32  the Authorization split is skipped: the split recorded is copied in;
 64  the date parse is skipped: the date recorded is copied in;
 16  record: the walk, the lookup, the split and the date parse store what
     they found, for 2, 4, 32 and 64.
With mode 0 the verifier runs its own code, plus one load of mode and a
predicted branch at each switch.
Each anchor must be found once, so that a change of the verifier fails
here loudly rather than measuring something else.

    patch.py INCLUDE_DIR OUT_DIR
"""

import shutil
import sys

src, out = sys.argv[1], sys.argv[2]
shutil.copytree(src, out, dirs_exist_ok=True)
path = out + "/sigreq/verifier.hpp"
text = open(path).read()

EDITS = [
    ("namespace sigreq {\n\nstruct verifier_options",
     "namespace sigreq {\n"
     "namespace ablation {\n"
     "inline int mode = 0;\n"
     "inline const void* token = nullptr;\n"
     "alignas(64) inline unsigned char headers[4096];\n"
     "alignas(64) inline unsigned char authorization[256];\n"
     "alignas(64) inline unsigned char date[64];\n"
     "}  // namespace ablation\n\n"
     "struct verifier_options"),
    ("    auto found = find_headers<header_names>(r);\n",
     "    using found_type = decltype(find_headers<header_names>(r));\n"
     "    static_assert(sizeof(found_type) <= sizeof ablation::headers);\n"
     "    auto found = (ablation::mode & 4) ? [] {\n"
     "      static_assert(std::is_trivially_copyable_v<found_type>);\n"
     "      found_type cached;\n"
     "      std::memcpy(&cached, ablation::headers, sizeof cached);\n"
     "      return cached;\n"
     "    }() : find_headers<header_names>(r);\n"
     "    if (ablation::mode & 16)\n"
     "      std::memcpy(ablation::headers, &found, sizeof found);\n"),
    ("      auto lookup = store_->find_with_stand_in(auth->token_id);\n"
     "      tok = lookup.found;\n"
     "      used = lookup.used;\n",
     "      if (ablation::mode & 2) {\n"
     "        tok = used = static_cast<const token<H>*>(ablation::token);\n"
     "      } else {\n"
     "        auto lookup = store_->find_with_stand_in(auth->token_id);\n"
     "        tok = lookup.found;\n"
     "        used = lookup.used;\n"
     "        if (ablation::mode & 16) ablation::token = tok;\n"
     "      }\n"),
    ("    auto auth = parse_authorization(found[0].value, Profile::scheme);\n",
     "    using auth_type = decltype(parse_authorization(found[0].value,\n"
     "                                                   Profile::scheme));\n"
     "    static_assert(sizeof(auth_type) <= sizeof ablation::authorization);\n"
     "    auto auth = (ablation::mode & 32) ? [] {\n"
     "      static_assert(std::is_trivially_copyable_v<auth_type>);\n"
     "      auth_type cached(refusal{});\n"
     "      std::memcpy(&cached, ablation::authorization, sizeof cached);\n"
     "      return cached;\n"
     "    }() : parse_authorization(found[0].value, Profile::scheme);\n"
     "    if (ablation::mode & 16)\n"
     "      std::memcpy(ablation::authorization, &auth, sizeof auth);\n"),
    ("    auto date = parse_http_date(values[date_slot], now);\n",
     "    using date_type = decltype(parse_http_date(values[date_slot], now));\n"
     "    static_assert(sizeof(date_type) <= sizeof ablation::date);\n"
     "    auto date = (ablation::mode & 64) ? [] {\n"
     "      static_assert(std::is_trivially_copyable_v<date_type>);\n"
     "      date_type cached(refusal{});\n"
     "      std::memcpy(&cached, ablation::date, sizeof cached);\n"
     "      return cached;\n"
     "    }() : parse_http_date(values[date_slot], now);\n"
     "    if (ablation::mode & 16)\n"
     "      std::memcpy(ablation::date, &date, sizeof date);\n"),
]
for old, new in EDITS:
    if text.count(old) != 1:
        sys.exit("patch.py: anchor not found once in verifier.hpp:\n" + old)
    text = text.replace(old, new)
if "#include <cstring>" not in text:
    text = text.replace("#include <cstdint>\n", "#include <cstdint>\n"
                        "#include <cstring>\n", 1)
open(path, "w").write(text)
