#!/bin/sh
# Entrypoint wrapper for eclipse-mosquitto: builds the password file from the
# environment, then hands over to the image's own entrypoint and mosquitto.
#
# The passwords come from .env (MQTT_*_PASSWORD) through docker-compose.yml. They are
# hashed with mosquitto_passwd into /mosquitto/auth/passwd (a tmpfs, rebuilt at every
# start), so changing a password is: edit .env, `docker compose up -d mosquitto`, and
# restart the client that uses it.
set -eu

# Both overridable so infra/test/deploy/ can run this very script outside the image.
AUTH_DIR="${MOSQUITTO_AUTH_DIR:-/mosquitto/auth}"
ENTRYPOINT="${MOSQUITTO_ENTRYPOINT:-/docker-entrypoint.sh}"
PASSWD="$AUTH_DIR/passwd"
mkdir -p "$AUTH_DIR"
umask 077
: > "$PASSWD"

add_user() {
  user="$1"
  password="$2"
  if [ -z "$password" ]; then
    echo "init-auth: no password for MQTT user '$user' (set it in .env)" >&2
    exit 1
  fi
  case "$password" in
    CHANGE_ME*)
      echo "init-auth: MQTT user '$user' still has the placeholder password from .env.example" >&2
      exit 1
      ;;
  esac
  mosquitto_passwd -b "$PASSWD" "$user" "$password"
}

add_user chirpstack "${MQTT_CHIRPSTACK_PASSWORD:-}"
add_user gateway-bridge "${MQTT_GATEWAY_BRIDGE_PASSWORD:-}"
add_user ingest "${MQTT_INGEST_PASSWORD:-}"
add_user api "${MQTT_API_PASSWORD:-}"

# The healthcheck user gets a fresh random password at every start; only root in this
# container can read it (docker-compose.yml's healthcheck runs as root).
HC_PW="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s' "$HC_PW" > "$AUTH_DIR/healthcheck.pw"
mosquitto_passwd -b "$PASSWD" healthcheck "$HC_PW"

# The broker drops root and runs as user mosquitto: it must be able to read the file.
chown mosquitto:mosquitto "$PASSWD" 2>/dev/null || true
chmod 0600 "$PASSWD"

# Keep the variables out of the broker's environment.
unset MQTT_CHIRPSTACK_PASSWORD MQTT_GATEWAY_BRIDGE_PASSWORD MQTT_INGEST_PASSWORD MQTT_API_PASSWORD HC_PW

exec "$ENTRYPOINT" "$@"
