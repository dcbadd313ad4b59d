#!/usr/bin/env bash
# The documentation follows the program: every setting the configuration module reads is in
# the README and the man page (and no other), and every command and each of its options is in
# the man page. Nothing outside the configuration module reads a jobdeck setting itself.
. "$(dirname "$0")/../lib.sh"
man=$JD_TOP/src/jobdeck.1
readme=$JD_TOP/README.md

settings_of_help() { jd --help | sed -n '/^Environment:/,$p' | grep -E '^  [A-Z_]+$' | tr -d ' ' | sort; }
settings_of_readme() {
	sed -n '/^## Configuration/,/^## /p' "$readme" | grep -oE '^\| `[A-Z_]+`' | tr -d '|` ' | sort
}
settings_of_man() { sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$man" | grep -E '^\.B [A-Z_]+$' | sed 's/^\.B //' | sort; }

program=$(settings_of_help)
t_match "the program lists its settings" "JOBDECK_GEARMAN" "$program"
t_eq "the README's configuration table lists exactly the program's settings" "$program" "$(settings_of_readme)"
t_eq "the man page's ENVIRONMENT lists exactly the program's settings" "$program" "$(settings_of_man)"
t_eq "only src/config.c reads a jobdeck setting from the environment" "" \
	"$(grep -rlE 'getenv\("(JOBDECK_|NO_COLOR)' "$JD_TOP"/src "$JD_TOP"/ui "$JD_TOP"/cli | grep -v 'src/config.c$')"

# commands and options, from the program's own help
text=$(sed 's/\\-/-/g; s/\\f[BIR]//g' "$man")
commands=$(jd --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
t_match "the program lists its commands" "submit" "$commands"
for c in $commands; do
	t_match "the man page has the command $c" "(^|[^a-z-])$c( |\"|$)" "$text"
	[[ $c == dashboard ]] && continue
	block=$(awk -v c="$c" '/^\.TP/ { inb = 0 } $0 ~ "^\\.BR? " c "( |$)" { inb = 1 } inb' <<<"$text")
	for o in $(jd "$c" --help | sed -n '/^Options:/,/^$/p' | grep -oE -- '--[a-z-]+' | grep -vx -- --help | sort -u); do
		t_match "the man page has $c $o" "$o" "$block"
	done
done
