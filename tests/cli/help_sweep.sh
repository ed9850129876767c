#!/usr/bin/env bash
# help_sweep.sh - every command and subcommand's --help, swept: -h and --help exit 0 with
# the help on stdout and nothing on stderr (`tach help --help` too: it was "unknown
# command '--help'", exit 2); an unknown option exits 2 with one line naming it and
# nothing on stdout; every option --help lists, long or short, is one the parser knows,
# and each choice such an option takes is named in that --help.
# Each listed option is tried with a value no option accepts, in an empty folder, so
# nothing runs (at most a usage error).
source "$(dirname "$0")/lib.bash"
private_store
cmds=$("$TACH" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$cmds" ] && [ "$(wc -w <<<"$cmds")" -ge 20 ] && ok "tach --help lists the commands" ||
  fail "tach --help lists no commands: $cmds"
subs=("baseline save" "baseline list" "baseline rm" "suite compression" "suite crypto" "suite storage"
  "suite bus")
all=()
for c in $cmds; do all+=("$c"); done
all+=("${subs[@]}" help)

for c in "${all[@]}"; do
  # shellcheck disable=SC2086
  for h in --help -h; do
    if expect 0 "$TACH" $c $h; then
      if [ -s "$W/out" ] && [ ! -s "$W/err" ]; then ok "tach $c $h: exit 0, the help on stdout"
      else fail "tach $c $h: stdout $(wc -c <"$W/out") bytes, stderr: $(head -c 200 "$W/err")"; fi
    fi
  done
  # shellcheck disable=SC2086
  if expect 2 "$TACH" $c --no-such-opt; then
    if [ "$(wc -l <"$W/err")" -eq 1 ] && grep -q -- "--no-such-opt" "$W/err" && [ ! -s "$W/out" ]; then
      ok "tach $c --no-such-opt: exit 2, one line naming it"
    else fail "tach $c --no-such-opt: $(head -c 300 "$W/err")"; fi
  fi
done

# every option listed is known: given (with a value none takes) before an unknown one,
# the parser refuses the value or the unknown one, never it; nothing runs
mkdir -p empty
unhelped=""
for c in "${all[@]}"; do
  [ "$c" = help ] || [ "$c" = version ] && continue
  # shellcheck disable=SC2086
  opts=$("$TACH" $c --help | grep -oE '^ +(-[a-zA-Z0-9], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+$')
  # shellcheck disable=SC2086
  shorts=$("$TACH" $c --help | grep -oE '^ +-[a-zA-Z0-9],' | tr -d ' ,')
  unknown=""
  for o in $opts $shorts; do
    case $o in --help|-h) continue ;; esac
    case $o in --*) a=("$o=@@no@@") ;; *) a=("$o" @@no@@) ;; esac
    # shellcheck disable=SC2086
    (cd empty && "$TACH" $c "${a[@]}" --no-such-opt </dev/null >"$W/o" 2>"$W/e")
    rc=$?
    # refused (exit 2: nothing ran) for the unknown option or for the value, never for it
    { [ $rc -eq 2 ] && ! grep -q -- "unknown option '$o" "$W/e"; } || unknown+=" $o($(head -c 120 "$W/e"))"
    # an option of choices: each choice the parser takes is one its --help names (report's
    # --format took 'markdown', which no help said)
    choices=$(sed -n 's/.*is not one of the choices, expected //p' "$W/e" | sed 's/,/ /g; s/ or / /g')
    for w in $choices; do
      # shellcheck disable=SC2086
      "$TACH" $c --help | grep -qw -- "$w" || unhelped+=" $c $o $w;"
    done
  done
  if [ -z "$opts$shorts" ]; then fail "tach $c: no option found in its --help"
  elif [ -z "$unknown" ]; then ok "tach $c: its $(wc -w <<<"$opts $shorts") listed options are known"
  else fail "tach $c: listed but not known:$unknown"; fi
done
if [ -z "$unhelped" ]; then ok "every choice an option takes is named in its command's --help"
else fail "choices taken but not in --help:$unhelped"; fi
check "nothing was written by the listed options" bash -c "[ -z \"\$(ls -A empty)\" ]"
finish
