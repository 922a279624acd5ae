# Shared by scripts/slurm-cluster.sh and scripts/postgres-server.sh (sourced, not run; they set $dir).
# Each service lives in its own folder, by default one per checkout so that two work trees on one
# machine never share a cluster: ${TMPDIR:-/tmp}/healthgap-NAME-<checksum of the project folder>.

# service_dir NAME OVERRIDE: the service's folder (OVERRIDE when set, e.g. $HEALTHGAP_SLURM_DIR).
service_dir() {
  local name=$1 override=${2:-}
  if [ -n "$override" ]; then
    case $override in /*) echo "$override" ;; *) echo "$PWD/$override" ;; esac
    return
  fi
  local root sum
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
  sum=$(printf '%s' "$root" | cksum | cut -d' ' -f1)
  echo "${TMPDIR:-/tmp}/healthgap-$name-$sum"
}

# port_in_use PORT: true when something listens on PORT on this machine.
port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# free_port [AVOID...]: a TCP port in 20000-59999 that nothing listens on and is not in AVOID.
free_port() {
  local port tries=0 avoid
  while [ $tries -lt 200 ]; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    tries=$((tries + 1))
    for avoid in "$@"; do [ "$avoid" = "$port" ] && continue 2; done
    port_in_use "$port" || {
      echo "$port"
      return 0
    }
  done
  echo "no free TCP port found" >&2
  return 1
}

# alive PID: true when PID runs (a zombie, ended but not yet reaped by its parent, counts as ended)
# and its command line names the service's folder $dir, so a pid reused since is never taken for ours.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$dir"
}

# pid_alive PIDFILE: true when PIDFILE names a running process.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n 1 "$1" | tr -dc 0-9)
  [ -n "$pid" ] && alive "$pid"
}

# stop_pids PIDFILE...: SIGTERM the process named in each PIDFILE (only those pids, all at once, as
# each daemon takes about 2 s to end), wait up to 10 s for them, then SIGKILL what remains.
stop_pids() {
  local file pid pids=() i left
  for file in "$@"; do
    [ -s "$file" ] || continue
    pid=$(head -n 1 "$file" | tr -dc 0-9)
    [ -n "$pid" ] && alive "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  for i in $(seq 1 100); do
    left=()
    for pid in ${pids[@]+"${pids[@]}"}; do alive "$pid" && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && return 0
    sleep 0.1
  done
  echo "pids ${left[*]} did not stop in 10 s: killing them" >&2
  kill -KILL "${left[@]}" 2>/dev/null || true
}

# install_packages PKG...: apt-get install as root (or with sudo), noninteractive, without recommends.
# Where no /usr/sbin/policy-rc.d exists (a machine with an init system), one that denies every start is
# put there for the install only: the packages' own system-wide daemons (munge, slurmctld, slurmd, a
# PostgreSQL cluster) would otherwise start, or fail to start without a config and fail the install.
install_packages() {
  local sudo="" policy=/usr/sbin/policy-rc.d added=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "healthgap: installing missing system packages: $*" >&2
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Put here by healthgap scripts/service-lib.sh during an install; removed after it.\nexit 101\n' |
      $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added=1
  fi
  local status=0
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 || status=$?
  if [ -n "$added" ]; then $sudo rm -f "$policy"; fi
  return $status
}
