#!/bin/sh
# The `backup` service's loop: deploy/backup.sh every day at BACKUP_AT (HH:MM, the
# container's TZ, which docker-compose sets to the district's TIME_ZONE).
set -u
at=${BACKUP_AT:-01:30}
echo "backups at $at ($(date +%Z)) into ${BACKUP_DIR:-/backups}, kept ${BACKUP_KEEP_DAYS:-14} days"
while true; do
    now=$(date +%s)
    next=$(date -d "today $at" +%s)
    [ "$next" -gt "$now" ] || next=$(date -d "tomorrow $at" +%s)
    sleep $((next - now))
    sh /deploy/backup.sh || echo "BACKUP FAILED at $(date)" >&2
done
