#!/bin/sh
# One backup of the help desk: the database as a pg_dump custom-format archive and the
# uploaded files as a tarball, side by side in BACKUP_DIR, then backups older than
# BACKUP_KEEP_DAYS are deleted. docker-compose's `backup` service runs it nightly
# (deploy/backup-nightly.sh); `docker-compose run --rm backup sh /deploy/backup.sh` runs it
# now; tests/deploy/test_backup_restore.py runs it against a seeded database.
#
#   DATABASE_URL      postgres://user:password@host:5432/name (required)
#   BACKUP_DIR        where backups go (default /backups)
#   MEDIA_DIR         uploaded files to archive (default: none)
#   BACKUP_KEEP_DAYS  days to keep (default 14)
set -eu

: "${DATABASE_URL:?set DATABASE_URL}"
backup_dir=${BACKUP_DIR:-/backups}
media_dir=${MEDIA_DIR:-}
keep_days=${BACKUP_KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$backup_dir"

# Written under a temporary name and renamed when complete, so a half-written file
# never looks like a backup; pg_restore --list proves the archive reads back.
dump="$backup_dir/helpdesk-$stamp.dump"
pg_dump --format=custom --compress=6 --file="$dump.partial" "$DATABASE_URL"
pg_restore --list "$dump.partial" >/dev/null
mv "$dump.partial" "$dump"
echo "database: $dump ($(du -h "$dump" | cut -f1))"

if [ -n "$media_dir" ]; then
    media="$backup_dir/helpdesk-$stamp-media.tar.gz"
    tar -C "$media_dir" -czf "$media.partial" .
    mv "$media.partial" "$media"
    echo "files: $media ($(du -h "$media" | cut -f1))"
fi

find "$backup_dir" -maxdepth 1 -name 'helpdesk-*' -type f -mmin +$((keep_days * 1440)) -print -delete \
    | sed 's/^/deleted (older than '"$keep_days"' days): /'
