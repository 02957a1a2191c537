#!/usr/bin/env bash
# Dependency audit: pip-audit over every package installed in .venv (the site's, gunicorn's
# and the tests'), run from a venv of its own so the auditor's packages are not audited too.
# Fails when a package has a known vulnerability. Where the advisory service cannot be
# reached (a machine that reaches only a package mirror), it says so loudly and passes,
# unless GOLDENDREAMS_REQUIRE_AUDIT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.venv-audit
if [ ! -x "$tools/bin/pip-audit" ]; then
    "${PYTHON:-python3}" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --upgrade pip
    "$tools/bin/python" -m pip install --quiet "pip-audit>=2.7"
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
"$tools/bin/pip-audit" --path .venv/lib/python3*/site-packages --skip-editable \
    --format json --output "$report" --progress-spinner off || status=$?

"$tools/bin/python" - "$report" "$status" <<'PY'
import json
import os
import sys

report, status = json.load(open(sys.argv[1])), int(sys.argv[2])
dependencies = report["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
skipped = [d for d in dependencies if d.get("skip_reason")]
audited = len(dependencies) - len(skipped)
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
              f"(fixed in {fixed})")
print(f"pip-audit: {len(dependencies)} packages, {audited} audited, {len(vulnerable)} "
      f"vulnerable, {len(skipped)} not audited")
if vulnerable or (status and not skipped):
    sys.exit(1)
if skipped:
    print("NOT AUDITED: " + "; ".join(d["skip_reason"] for d in skipped[:3]) + " ...")
    if audited == 0:
        print("The advisory service could not be reached from this machine: no package was "
              "checked. Run scripts/audit_deps.sh where it can be reached.")
    if os.environ.get("GOLDENDREAMS_REQUIRE_AUDIT") == "1":
        sys.exit(1)
PY
