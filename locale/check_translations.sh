#!/bin/sh
# Fails when the Dutch catalogue has untranslated or fuzzy entries; run after makemessages.
set -eu
po="$(dirname "$0")/nl/LC_MESSAGES/django.po"
msgfmt --check --statistics -o /dev/null "$po"
todo="$(msgattrib --only-fuzzy "$po"; msgattrib --untranslated "$po")"
if [ -n "$todo" ]; then
    printf '%s\n' "$todo"
    echo "Untranslated or fuzzy entries in $po (listed above)." >&2
    exit 1
fi
