#!/bin/sh
# The `preflight` service of docker-compose.yml: the databases, the broker and ChirpStack start
# only after this exits 0. Compose's ${VAR:?} already stops on a missing secret; this refuses the
# ones that are there but unusable: a placeholder from .env.example (they are public), a short
# one, or one with characters that would break the URLs and TOML strings the secrets go into.
# SECRET_NAMES lists the machine-made secrets to check; PASSWORD_NAMES the passwords people
# type (the api's first admin), which may hold any character but no placeholder.
set -eu

failed=0
for name in ${SECRET_NAMES:?}; do
  eval "value=\${$name:-}"
  case "$value" in
    "")
      echo "preflight: $name is not set (see .env.example)" >&2
      failed=1
      ;;
    CHANGE_ME*)
      echo "preflight: $name still has its placeholder from .env.example; make one with: openssl rand -hex 32" >&2
      failed=1
      ;;
    *[!A-Za-z0-9]*)
      echo "preflight: $name may hold only letters and digits (it goes into URLs and TOML); e.g. openssl rand -hex 32" >&2
      failed=1
      ;;
    *)
      if [ "${#value}" -lt 16 ]; then
        echo "preflight: $name is shorter than 16 characters; e.g. openssl rand -hex 32" >&2
        failed=1
      fi
      ;;
  esac
done
for name in ${PASSWORD_NAMES:-}; do
  eval "value=\${$name:-}"
  case "$value" in
    "" | CHANGE_ME*)
      echo "preflight: set $name in .env (not the placeholder from .env.example)" >&2
      failed=1
      ;;
  esac
done
[ "$failed" -eq 0 ] && echo "preflight: secrets ok"
exit "$failed"
