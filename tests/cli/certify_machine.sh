#!/usr/bin/env bash
# The certificate's Machine row says what the document holds: "1 logical CPU" (not
# "1 logical CPUs"), and a document without a CPU count (an import of another tool's file)
# no count, not "0 logical CPUs"; with nothing at all, that it is unknown.
source "$(dirname "$0")/lib.bash"
mkdoc d.json x/y:steady:5:1
machine() { # CONTEXT-JSON: the certificate's Machine row for d.json with that context
  jq --argjson c "$1" '.context = $c' d.json >c.json
  "$TACH" certify c.json 2>/dev/null | grep '^| Machine |'
}
check "one CPU: '1 logical CPU'" [ "$(machine '{"host":"h","cpu_model":"X","cpus":1}')" = "| Machine | h: X, 1 logical CPU |" ]
check "two: '2 logical CPUs'" [ "$(machine '{"cpu_model":"X","cpus":2}')" = "| Machine | X, 2 logical CPUs |" ]
check "no count: none said, not 0" [ "$(machine '{"host":"h","cpu_model":"X"}')" = "| Machine | h: X |" ]
row=$(machine '{}')
check "nothing known: 'unknown', not '0 logical CPUs' ($row)" \
  bash -c '[[ $1 == "| Machine | unknown"* ]]' _ "$row"
finish
