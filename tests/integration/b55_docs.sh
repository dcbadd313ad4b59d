#!/usr/bin/env bash
# The documentation follows the program: every setting the configuration module reads is in
# the README and the man page (and no other), with its default; every command and each of its
# options is in the man page, each option --help shows (and the global ones) with an entry of
# its own in OPTIONS. Nothing outside the configuration module reads a jobdeck setting itself.
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

# Each option --help shows has its own entry in the man page's OPTIONS, with its short form and
# its value's name, under the command's .SS (the global ones before the first .SS); and the
# man page describes no option the program does not have.
# The options column of a --help: "-o, --output FILE", without -h, --help.
options_of_help() {
	sed -n '/^Options:/,/^$/p' | grep -E '^  +-' | sed -E 's/^ +//; s/  +.*//' | grep -vx -- '-h, --help' | sort
}
# The terms (the line after each .TP) of a part of OPTIONS, as plain text.
options_of_man() { # SUBSECTION ("" for the global options)
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" |
		awk -v s="$1" '/^\.SH / && NR > 1 { exit } /^\.SS / { cur = $2; gsub(/"/, "", cur); next }
			cur == s && tp { print; tp = 0; next } cur == s && /^\.TP/ { tp = 1 }' |
		sed -E 's/^\.(BR|BI|B|IR|I) //; s/\\f[BIRP]//g; s/\\-/-/g; s/"//g; s/ +/ /g; s/ ,/,/g; s/ +$//' | sort
}
t_eq "the man page's global options are jobdeck --help's" "$(jd --help | options_of_help)" "$(options_of_man "" | grep -vx -- "-h, --help")"
t_match "…--version among them" "^-V, --version$" "$(options_of_man "")"
for c in $commands; do
	t_eq "the man page describes each of $c's options, as $c --help shows them" \
		"$(jd "$c" --help | options_of_help)" "$(options_of_man "$c")"
done
t_eq "…and has no OPTIONS part for a command that does not exist" "" \
	"$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man" | sed -n 's/^\.SS "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' | grep -vxF "$commands")"

# Each setting's default, as --help says it, is in its man page entry.
while IFS='|' read -r name fallback; do
	[[ $fallback == unset ]] && continue
	entry=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$man" | awk -v n="$name" '/^\.TP/ { inb = 0 } $0 == ".B " n { inb = 1 } inb' |
		sed 's/\\f[BIR]//g; s/\\-/-/g')
	t_match "the man page gives $name's default ($fallback)" "$(sed 's/[][\.*^$]/\\&/g' <<<"$fallback")" "$entry"
done < <(jd --help | sed -n '/^Environment:/,$p' | awk '/^  [A-Z_]+$/ { n = $1; next }
	n && match($0, /\(default: [^)]*\)$/) { print n "|" substr($0, RSTART + 10, RLENGTH - 11); n = "" }')
