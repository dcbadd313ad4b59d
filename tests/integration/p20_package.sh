#!/usr/bin/env bash
# The Debian package: `make deb` from this build, installed into this machine with dpkg -i,
# holds exactly what `make install` puts in place; its program migrates the test database;
# its jobdeck user runs a worker as the unit would, writing into /var/lib/jobdeck; its units
# pass systemd-analyze verify where they are installed; dpkg --purge leaves nothing behind.
#
# It installs into this machine (as root): a jobdeck package already there, from a run that
# failed, is purged first.
source "$(dirname "$0")/q_common.bash"

if [[ $(id -u) != 0 ]]; then
	_t_record fail "the package test runs as root (it installs the package)"
	exit 0
fi

# dpkg, waiting (up to a minute) while something else holds its lock
dpkg_() {
	local out i
	for ((i = 0; i < 60; i++)); do
		if out=$(DEBIAN_FRONTEND=noninteractive dpkg "$@" 2>&1); then return 0; fi
		grep -qi 'lock' <<<"$out" || { printf '%s\n' "$out"; return 1; }
		sleep 1
	done
	printf '%s\n' "$out"
	return 1
}
installed() { dpkg-query -W -f='${db:Status-Abbrev}' jobdeck 2>/dev/null | grep -q .; }

if installed; then
	echo "  (a jobdeck package is installed, from an earlier run: purging it)"
	dpkg_ --purge jobdeck
fi
t_fails "no jobdeck package to begin with" installed

version=$(sed -n 's/^VERSION *:= *//p' "$JD_TOP/Makefile")
deb=$JD_TOP/$BUILD/jobdeck_${version}_$(dpkg --print-architecture).deb
rm -f "$deb"
rc=0; out=$(make -C "$JD_TOP" --no-print-directory BUILD="$BUILD" deb 2>&1) || rc=$?
t_eq "make deb succeeds" 0 "$rc"
[[ $rc == 0 ]] || printf '%s\n' "$out" | tail -n 5
t_ok "and makes $(basename "$deb")" test -f "$deb"
t_match "its Depends name the libraries the program links" "libpq5.*" "$(dpkg-deb -f "$deb" Depends)"
# (the package of the copy the loader picks: its folder tells the architecture's apart)
for lib in $(objdump -p "$JD_BIN" | awk '$1 == "NEEDED" { print $2 }'); do
	dir=$(ldd "$JD_BIN" | awk -v l="$lib" '$1 == l { print $3 }' | xargs dirname | xargs basename)
	pkg=$(dpkg -S "*/$dir/$lib" 2>/dev/null | head -n1 | cut -d: -f1 | cut -d, -f1)
	t_match "Depends has $pkg (for $lib)" "(^|, )$pkg( |,|$)" "$(dpkg-deb -f "$deb" Depends)"
done
t_match "and adduser, which its postinst uses" "(^|, )adduser(,|$)" "$(dpkg-deb -f "$deb" Depends)"
t_eq "the settings file is its one conffile" /etc/jobdeck/jobdeck.env "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)"

# exactly what make install puts under DESTDIR
stage=$Q_TMP/stage
make -C "$JD_TOP" --no-print-directory BUILD="$BUILD" install DESTDIR="$stage" PREFIX=/usr >/dev/null 2>&1
t_eq "the package holds exactly what make install DESTDIR= PREFIX=/usr puts there" \
	"$(cd "$stage" && find . -type f | sed 's|^\.||' | sort)" \
	"$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\.||' | sort)"

rc=0; out=$(dpkg_ -i "$deb") || rc=$?
t_eq "dpkg -i installs it" 0 "$rc"
[[ $rc == 0 ]] || printf '%s\n' "$out" | tail -n 5
t_eq "it is installed" "install ok installed" "$(dpkg-query -W -f='${Status}' jobdeck 2>&1)"
t_eq "/usr/bin/jobdeck --version" "jobdeck $version" "$(/usr/bin/jobdeck --version 2>&1)"
t_ok "the man page is there" test -f /usr/share/man/man1/jobdeck.1

IFS=: read -r _ _ uid _ _ home shell <<<"$(getent passwd jobdeck)"
t_ok "the jobdeck user exists" getent passwd jobdeck
t_ok "as a system user (uid $uid)" test "${uid:-1000}" -lt 1000
t_eq "with /var/lib/jobdeck as its home and no shell" "/var/lib/jobdeck /usr/sbin/nologin" "$home $shell"
t_eq "in its own group" jobdeck "$(id -gn jobdeck 2>&1)"
t_eq "/var/lib/jobdeck is the user's" "jobdeck:jobdeck 750" "$(stat -c '%U:%G %a' /var/lib/jobdeck 2>&1)"
t_eq "and so is its downloads folder" "jobdeck:jobdeck 750" "$(stat -c '%U:%G %a' /var/lib/jobdeck/downloads 2>&1)"

out=$(systemd-analyze verify /lib/systemd/system/jobdeck-worker@.service /lib/systemd/system/jobdeck-workers.target 2>&1)
t_eq "systemd-analyze verify passes on the installed units, with nothing to say" "0:" "$?:$out"

# installing it again (a failed run's second try, an upgrade to the same version) is fine
t_ok "dpkg -i again succeeds (postinst is idempotent)" dpkg_ -i "$deb"
t_eq "with one jobdeck user still" 1 "$(getent passwd | grep -c '^jobdeck:')"

# its program makes the schema of a new database, and finds nothing to do a second time
db=jobdeck_p20
PGUSER=postgres dropdb --if-exists "$db" >/dev/null 2>&1
PGUSER=postgres createdb "$db"
export PGDATABASE=$db
out=$(PGUSER=postgres /usr/bin/jobdeck migrate 2>&1)
t_match "jobdeck migrate from the package makes the schema" "^applied [0-9]+ migrations; schema at version [0-9]+$" "$out"
t_match "a second migrate finds nothing to do" "^schema up to date at version ${out##* }$" \
	"$(PGUSER=postgres /usr/bin/jobdeck migrate 2>&1)"
PGUSER=postgres psql -X -q -v ON_ERROR_STOP=1 -f "$JD_TOP/db/demo_users.sql" >/dev/null

# the jobdeck user runs a worker as the unit would: the installed settings file, the
# unit's ExecStart with instance 1, from its home; its role is named like it (as README
# says for peer authentication), in jobdeck_worker
sql "CREATE ROLE jobdeck LOGIN IN ROLE jobdeck_worker" >/dev/null
sql "INSERT INTO jobdeck.records (id, identifier, title, level) VALUES (1, 'F-1', 'Fonds', 'Fonds')" >/dev/null
cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/jobdeck-worker@.service)
cmd=${cmd//%l/$(hostname -s)}
cmd=${cmd//%i/1}
cmd=${cmd//\$WORKER_ARGS/--max-jobs 1}
id=$(as alice jd submit csv-export --object 1 2>/dev/null)
svc_pghost=$PGHOST svc_pgport=$PGPORT svc_gm=$JOBDECK_GEARMAN
(
	set -a
	# shellcheck disable=SC1091
	. /etc/jobdeck/jobdeck.env
	set +a
	# where this run's services are, instead of the file's database and gearmand
	export PGHOST=$svc_pghost PGPORT=$svc_pgport PGDATABASE=$db JOBDECK_GEARMAN=$svc_gm
	unset PGUSER JOBDECK_CONFIG
	cd /var/lib/jobdeck && umask 0007
	# shellcheck disable=SC2086
	exec timeout 30 runuser -u jobdeck -- $cmd
) >"$Q_TMP/pkgworker.log" 2>&1
rc=$?
t_eq "the package's worker, as the jobdeck user, runs one job and exits 0" 0 "$rc"
[[ $rc == 0 ]] || tail -n 5 "$Q_TMP/pkgworker.log"
t_eq "the job completed" Completed "$(q_col "$id" status)"
t_eq "on worker HOST:1" "$(hostname -s):1" "$(q_col "$id" worker)"
t_match "the file it wrote in the package's downloads folder was stored" "^[1-9][0-9]*$" "$(q_col "$id" file_bytes)"
t_eq "and removed from there" "" "$(ls -A /var/lib/jobdeck/downloads 2>&1)"
t_match "it is the export" "^identifier,.*F-1" "$(as alice jd download "$id" -o - 2>&1 | head -n 2 | tr '\n' ' ')"

# purge: everything goes
rc=0; out=$(dpkg_ --purge jobdeck) || rc=$?
t_eq "dpkg --purge succeeds" 0 "$rc"
[[ $rc == 0 ]] || printf '%s\n' "$out" | tail -n 5
t_fails "the package is gone" installed
t_fails "the jobdeck user is gone" getent passwd jobdeck
t_fails "its group is gone" getent group jobdeck
for f in /usr/bin/jobdeck /usr/share/man/man1/jobdeck.1 /lib/systemd/system/jobdeck-worker@.service \
	/lib/systemd/system/jobdeck-workers.target /etc/jobdeck /var/lib/jobdeck /usr/share/jobdeck \
	/usr/share/doc/jobdeck; do
	t_fails "$f is gone" test -e "$f"
done
t_eq "the database stays" "$db" "$(PGUSER=postgres psql -X -At -c "SELECT datname FROM pg_database WHERE datname = '$db'")"
