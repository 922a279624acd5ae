#!/usr/bin/env bash
# A one-node Slurm cluster on loopback for healthgap's tests, in a folder of its own.
#
#   scripts/slurm-cluster.sh install   install Debian's slurm-wlm and munge when missing
#   scripts/slurm-cluster.sh start     install, then start munged, slurmctld and slurmd; wait until the
#                                      node is idle; print the export lines for the caller
#   scripts/slurm-cluster.sh env       print the export lines of the running cluster (exit 1 if none)
#   scripts/slurm-cluster.sh status    sinfo and squeue of the running cluster
#   scripts/slurm-cluster.sh stop      cancel its jobs, stop the three daemons by their pids, remove the folder
#
# Use:  eval "$(scripts/slurm-cluster.sh start)"   then sbatch, squeue, scontrol … talk to it,
#       because SLURM_CONF points at its slurm.conf (which also names its private munge socket).
#
# The folder is $HEALTHGAP_SLURM_DIR, by default ${TMPDIR:-/tmp}/healthgap-slurm-<checksum of this
# checkout>: slurm.conf, env (the export lines), munge/ (private key, socket), state/, spool/, log/,
# and the pid files munged.pid, slurmctld.pid, slurmd.pid. Ports are picked free at start.
# Jobs run as root (SlurmUser=root, SlurmdUser=root), with proctrack/linuxproc and task/none, so no
# cgroups are needed. There is no accounting daemon (no sacct): see "Finished jobs" below.
#
# Finished jobs, without accounting: `scontrol show job ID` (ID an array job id shows every task)
# reports JobState=COMPLETED or FAILED and ExitCode=N:S for each task until MinJobAge (300 s here)
# after it ended; `squeue` lists only pending and running jobs. For a job that must be inspected
# later, have its script write its own exit code to a file per task.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/service-lib.sh
. "$here/service-lib.sh"

dir=$(service_dir slurm "${HEALTHGAP_SLURM_DIR:-}")
conf=$dir/slurm.conf
wait_seconds=${HEALTHGAP_SLURM_WAIT:-30}

install() {
  local need=()
  for cmd in slurmctld slurmd sinfo sbatch; do command -v $cmd >/dev/null 2>&1 || need+=(slurm-wlm); done
  command -v munged >/dev/null 2>&1 || need+=(munge)
  [ ${#need[@]} -eq 0 ] && return 0
  # Debian's packages would start system-wide daemons where an init system runs; ours are private.
  install_packages $(printf '%s\n' "${need[@]}" | sort -u)
}

running() {
  pid_alive "$dir/slurmctld.pid" && pid_alive "$dir/slurmd.pid" && pid_alive "$dir/munged.pid"
}

print_env() {
  cat "$dir/env"
}

# The node as slurmd sees it (real CPUs, sockets, cores, memory), named after this host.
node_line() {
  local line name
  name=$(hostname -s 2>/dev/null || true)
  [ -n "$name" ] || name=localhost
  line=$(slurmd -C 2>/dev/null | head -1 || true)
  if [[ $line == NodeName=* ]]; then
    line=${line#NodeName=* }
  else
    line="CPUs=$(nproc) RealMemory=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)"
  fi
  echo "NodeName=$name NodeHostname=$name NodeAddr=127.0.0.1 $line State=UNKNOWN"
}

start() {
  install
  if running; then
    echo "slurm: already running in $dir" >&2
    print_env
    return 0
  fi
  # Leftovers from a cluster that died: stop what remains, start afresh.
  [ -d "$dir" ] && stop_quietly
  local t0 node name ctld_port slurmd_port
  t0=$(date +%s.%N)
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 700 "$dir" "$dir/munge"

  # munge: a private key and socket, so neither a system munged nor another cluster is involved.
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >>"$dir/log/munged.log" 2>&1 || {
    echo "slurm: munged did not start:" >&2
    tail -n 5 "$dir/log/munged.log" >&2
    return 1
  }

  node=$(node_line)
  name=$(sed -E 's/^NodeName=([^ ]+).*/\1/' <<<"$node")
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  cat >"$conf" <<CONF
# Written by scripts/slurm-cluster.sh: one node on loopback, for tests.
ClusterName=healthgap
SlurmctldHost=$name(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
DependencyParameters=kill_invalid_depend
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
MinJobAge=300
KillWait=5
InactiveLimit=0
$node
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  printf 'export SLURM_CONF=%q\nexport HEALTHGAP_SLURM_DIR=%q\n' "$conf" "$dir" >"$dir/env"
  export SLURM_CONF=$conf

  slurmctld -c -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 || {
    echo "slurm: slurmctld did not start:" >&2
    tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmctld.out" >&2 2>/dev/null || true
    return 1
  }
  slurmd -f "$conf" -N "$name" </dev/null >>"$dir/log/slurmd.out" 2>&1 || {
    echo "slurm: slurmd did not start:" >&2
    tail -n 5 "$dir/log/slurmd.log" "$dir/log/slurmd.out" >&2 2>/dev/null || true
    return 1
  }

  # Ready when the node is idle: slurmd has registered and the partition can run jobs.
  local deadline state=""
  deadline=$(($(date +%s) + wait_seconds))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    state=$(sinfo -h -n "$name" -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.2
  done
  if [ "$state" != idle ]; then
    echo "slurm: node $name not idle after ${wait_seconds} s (state: ${state:-no answer}); logs in $dir/log:" >&2
    tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null || true
    return 1
  fi
  echo "slurm: node $name idle after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s (SLURM_CONF=$conf)" >&2
  print_env
}

# Cancels the cluster's jobs, stops its daemons by the pids in the folder, removes the folder.
stop_quietly() {
  [ -d "$dir" ] || return 0
  if [ -f "$conf" ] && pid_alive "$dir/slurmctld.pid"; then
    local jobs i
    jobs=$(SLURM_CONF=$conf timeout 10 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ' || true)
    if [ -n "${jobs// /}" ]; then
      # shellcheck disable=SC2086
      SLURM_CONF=$conf timeout 10 scancel $jobs 2>/dev/null || true
      # Let slurmd end their job steps before it goes.
      for i in $(seq 1 50); do
        [ -z "$(SLURM_CONF=$conf timeout 5 squeue -h -o %A 2>/dev/null || true)" ] && break
        sleep 0.2
      done
    fi
  fi
  stop_pids "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  env)
    if running; then print_env; else
      echo "slurm: no cluster running in $dir (scripts/slurm-cluster.sh start)" >&2
      exit 1
    fi
    ;;
  status)
    running || {
      echo "slurm: no cluster running in $dir" >&2
      exit 1
    }
    SLURM_CONF=$conf sinfo
    SLURM_CONF=$conf squeue
    ;;
  stop)
    stop_quietly
    echo "slurm: stopped; $dir removed" >&2
    ;;
  *)
    echo "usage: $0 install|start|stop|env|status" >&2
    exit 2
    ;;
esac
