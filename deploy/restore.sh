#!/bin/sh
# Restore a backup made by deploy/backup.sh:
#   restore.sh BACKUP_DIR/helpdesk-<stamp>.dump [BACKUP_DIR/helpdesk-<stamp>-media.tar.gz]
# into DATABASE_URL (its tables are replaced, in one transaction) and, given a media
# tarball, into MEDIA_DIR (files are added or overwritten). In docker-compose, with web,
# worker and beat stopped first (README "Restore a backup"):
#   docker-compose run --rm backup sh /deploy/restore.sh /backups/helpdesk-<stamp>.dump /backups/helpdesk-<stamp>-media.tar.gz
set -eu

: "${DATABASE_URL:?set DATABASE_URL}"
dump=${1:?usage: restore.sh DUMP [MEDIA_TARBALL]}
media=${2:-}

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$dump"
echo "database restored from $dump"

if [ -n "$media" ]; then
    : "${MEDIA_DIR:?set MEDIA_DIR to restore files}"
    mkdir -p "$MEDIA_DIR"
    tar -C "$MEDIA_DIR" -xzf "$media"
    echo "files restored from $media into $MEDIA_DIR"
fi
