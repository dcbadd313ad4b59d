#!/usr/bin/env bash
# Bash completion (dist/bash-completion/jobdeck) driven through bash's own machinery: the
# line and cursor as readline sets them, the function `complete -p jobdeck` names, COMPREPLY.
# The words come from the program (jobdeck __complete), so the script names no command, type
# or option itself.
. "$(dirname "$0")/../lib.sh"
script=$JD_TOP/dist/bash-completion/jobdeck
dir=$(jd_tmp)
cd "$dir" || exit 1
touch report-a.csv report-b.csv notes.txt
printf '[task reindex]\ncommand = /bin/true\nparams = scope, mode\n[task rebuild]\ncommand = /bin/true\n' >tasks.conf
export JOBDECK_CONFIG=$dir/tasks.conf

# shellcheck source=../../dist/bash-completion/jobdeck
. "$script"
spec=$(complete -p jobdeck 2>&1)
t_match "sourcing the script registers a completion for jobdeck" "^complete .*-F [A-Za-z_]+ jobdeck$" "$spec"
fn=$(sed -E 's/.*-F ([^ ]+).*/\1/' <<<"$spec")
t_eq "…whose function exists" "function" "$(type -t "$fn")"

# Sets what readline would for LINE with the cursor at its end (words split at blanks, and
# at '=' and ':' which are in COMP_WORDBREAKS), calls the function, prints COMPREPLY sorted.
complete_at() {
	local line=$1 w="" c i
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:blank:]] ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w=""
		elif [[ $c == [=:] ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			COMP_WORDS+=("$c")
			w=""
		else
			w+=$c
		fi
	done
	[[ -n $w || $line == *[[:blank:]] ]] && COMP_WORDS+=("$w")
	COMP_WORDS[0]=$JD_BIN
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$JD_BIN${line#jobdeck}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" jobdeck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

out=$(complete_at "jobdeck ")
for c in $(jd --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }'); do
	t_match "the commands include $c" "(^| )$c( |$)" "$out"
done
t_eq "a command's start completes it" "submit" "$(complete_at "jobdeck subm")"
t_eq "…and only what starts so" "pause prune" "$(complete_at "jobdeck p")"
t_match "options before a command: the global ones and the dashboard's" "--config.*--db.*--interval.*--version" \
	"$(complete_at "jobdeck --")"

out=$(complete_at "jobdeck submit --")
for o in $(jd submit --help | sed -n '/^Options:/,/^$/p' | grep -oE -- '--[a-z-]+' | sort -u); do
	t_match "submit's options include $o" "(^| )$o( |$)" "$out"
done
t_eq "an option's start completes it" "--description" "$(complete_at "jobdeck submit --desc")"
t_eq "export's -o is there too" "--output" "$(complete_at "jobdeck export --outp")"

out=$(complete_at "jobdeck submit ")
t_match "after submit: the job types" "(^| )csv-import( |$)" "$out"
t_match "…every one of them" "(^| )sleep( |$)" "$out"
t_match "…and the task file's tasks" "(^| )reindex( |$)" "$out"
t_eq "a type's start completes it" "csv-export csv-import" "$(complete_at "jobdeck submit csv-")"
t_eq "types for worker --types" "rebuild reindex report" "$(complete_at "jobdeck worker --types re")"

t_eq "a task name after --param task=" "rebuild reindex" "$(complete_at "jobdeck submit command --param task=")"
t_eq "…narrowed by what is typed" "reindex" "$(complete_at "jobdeck submit command --param task=rei")"
t_eq "a param key after submit csv-import --param" "file=" "$(complete_at "jobdeck submit csv-import --param ")"
t_eq "the keys of another type" "format= kind=" "$(complete_at "jobdeck submit report --param ")"
t_eq "a task's own keys when it lists them" "mode= scope=" "$(complete_at "jobdeck submit reindex --param ")"
t_eq "…and when a command job names it" "mode= scope= task=" "$(complete_at "jobdeck submit command --param task=reindex --param ")"
t_eq "a choice's values (readline keeps what is before the =)" "box-labels" "$(complete_at "jobdeck submit report --param kind=bo")"
t_eq "file names for a file parameter" "report-a.csv report-b.csv" \
	"$(complete_at "jobdeck submit csv-import --object 1 --param file=rep")"

t_eq "file names after -o" "notes.txt report-a.csv report-b.csv tasks.conf" "$(complete_at "jobdeck export -o ")"
t_eq "…and after --output, narrowed" "report-a.csv report-b.csv" "$(complete_at "jobdeck export --output rep")"
t_eq "file names after --config" "tasks.conf" "$(complete_at "jobdeck --config ta")"
t_eq "nothing after an option that takes a number" "" "$(complete_at "jobdeck list --limit ")"
t_eq "user's one subcommand" "add" "$(complete_at "jobdeck user ")"

t_eq "the script names no job type, option or command of its own" "" \
	"$(grep -nE 'csv-import|--object|--filter|demo-seed|finding-aid' "$script")"
t_match "make install puts it where bash-completion looks" \
	"dist/bash-completion/jobdeck .*/x/usr/share/bash-completion/completions/jobdeck" \
	"$(make -s -n -C "$JD_TOP" install DESTDIR=/x PREFIX=/usr BUILD="$BUILD" 2>&1)"
