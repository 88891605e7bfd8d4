#!/usr/bin/env bash
# Dev-only comparison of Vigil's IRT/CAT engine with Python references.
# Usage (from the repository root): tests/irt/run.sh
# 1. creates a venv in target/pyenv-irt with numpy, catsim and girth;
# 2. runs the Rust report example (writes data to target/irt-compare);
# 3. runs the criterion benches (quick mode) so their medians exist;
# 4. runs the Python comparisons, which print Python figures next to Rust's.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=target/pyenv-irt
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy catsim girth
fi
export CARGO_BUILD_JOBS=1
cargo run -p assessments --release --example irt_report target/irt-compare
cargo bench -p assessments --bench irt --bench cat -- --quick --noplot
"$VENV/bin/python" tests/irt/compare_cat.py target/irt-compare
"$VENV/bin/python" tests/irt/compare_calibration.py target/irt-compare
