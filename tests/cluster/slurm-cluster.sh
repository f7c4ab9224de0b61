#!/bin/sh
# A real single-node Slurm on this machine for the executor's integration test (Debian's slurm-wlm and
# munge; root, no systemd needed). Facts from ../shared/notes/slurm-single-node.md.
#   slurm-cluster.sh start    configure and start munged, slurmctld and slurmd; wait until the node is idle
#   slurm-cluster.sh stop     cancel every job, wait for the queue to empty, stop the daemons
# Exit 77 when it cannot run here (not root, packages missing): the test then skips with this script's message.
set -eu

skip() { echo "slurm-cluster: $*" >&2; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root to start slurmctld and slurmd"
for program in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ] || skip "$program is not installed (apt-get install slurmctld slurmd slurm-client munge)"
done

host=$(hostname -s)
conf=/etc/slurm/slurm.conf
state=/var/lib/slurm/tunebench-test
completion=$state/jobcomp.txt

stop() {
    scancel --partition=debug >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do
        [ -z "$(squeue -h 2>/dev/null)" ] && break
        sleep 0.1
    done
    for pid in /run/slurmd.pid /run/slurmctld.pid; do
        [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
    done
    for _ in $(seq 1 50); do
        pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || break
        sleep 0.1
    done
    rm -f /run/slurmctld.pid /run/slurmd.pid
}

case "${1:-}" in
start)
    stop
    memory=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
    mkdir -p /etc/slurm "$state" /var/log/slurm /var/spool/slurmd
    cat > "$conf" <<CONF
ClusterName=tunebench-test
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$completion
MinJobAge=3600
KillWait=5
MailProg=/bin/true
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=$state/ctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    # munge: its key comes with the package.
    install -d -o munge -g munge /run/munge
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        runuser -u munge -- /usr/sbin/munged
        for _ in $(seq 1 50); do
            munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
            sleep 0.1
        done
    fi
    munge -n | unmunge >/dev/null || skip "munge does not work here"
    # A fresh state: job ids restart at 1.
    rm -rf "$state/ctld" "$completion"
    mkdir -p "$state/ctld"
    chown -R slurm:slurm "$state" /var/log/slurm 2>/dev/null || true
    /usr/sbin/slurmctld
    /usr/sbin/slurmd
    for _ in $(seq 1 200); do
        node=$(sinfo -h -N -o %T 2>/dev/null | head -1)
        case "$node" in
        idle) exit 0 ;;
        inval* | drain* | unknown\*)
            sinfo -N -o '%N %T %E' >&2
            skip "the node did not come up ($node)" ;;
        esac
        sleep 0.1
    done
    sinfo -N -o '%N %T %E' >&2 || true
    skip "the node did not come up within 20 s"
    ;;
stop)
    stop
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
