# The two commands. Each installs what it needs first (idempotent, quick
# when already done); see README.md.
.PHONY: run test

run:
	@scripts/run.sh

test:
	@scripts/test.sh
