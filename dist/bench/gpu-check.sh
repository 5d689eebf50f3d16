#!/bin/bash
# One check on a real GPU machine: raw nvidia-smi output (the agent tests' fixtures come from
# it), the agent's parsing of it, real PyTorch GPU jobs through a one-node cluster (ocean up,
# process runtime, as root on a throw-away machine), and a second node whose agent runs jobs as
# an unprivileged account. Needs a release's bin/ on PATH and a python3 with torch.
# Usage: OUT=DIR PATH=RELEASE/bin:$PATH dist/bench/gpu-check.sh
# What it printed on an NVIDIA H200: bench/results/2026-11-30/gpu-check-h200.txt.
set -u
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
t0=$(date +%s); el() { echo "== +$(( $(date +%s) - t0 ))s $*"; }
F=index,uuid,name,memory.total,memory.used,utilization.gpu,utilization.memory,temperature.gpu,power.draw,power.limit
A=gpu_uuid,pid,process_name,used_memory
el "nvidia-smi raw"
nvidia-smi | tee "$OUT/nvidia-smi.txt"
nvidia-smi --query-gpu=$F --format=csv,nounits > "$OUT/gpus-idle.csv"; echo "rc=$?"
nvidia-smi --query-compute-apps=$A --format=csv,nounits > "$OUT/apps-idle.csv"; echo "rc=$?"
cat "$OUT/gpus-idle.csv" "$OUT/apps-idle.csv"
PY=$(command -v python3); echo "python3=$PY"
el "a process holding 8 GiB of GPU memory"
"$PY" -c "import torch,time; x=torch.empty(8<<30,dtype=torch.uint8,device='cuda'); x.fill_(1); torch.cuda.synchronize(); print('held',flush=True); time.sleep(40)" &
hold=$!
for i in $(seq 1 30); do nvidia-smi --query-compute-apps=pid --format=csv,noheader | grep -q . && break; sleep 1; done
nvidia-smi --query-gpu=$F --format=csv,nounits > "$OUT/gpus-busy.csv"
nvidia-smi --query-compute-apps=$A --format=csv,nounits > "$OUT/apps-busy.csv"
cat "$OUT/gpus-busy.csv" "$OUT/apps-busy.csv"
export HOME=/tmp/h OCEAN_NO_DAEMON=1 NO_COLOR=1; mkdir -p $HOME
el "ocean-agent gpus (parsing real nvidia-smi while a process holds memory)"
ocean-agent gpus; echo "rc=$?"
kill $hold; wait $hold 2>/dev/null
el "ocean up --runtime process"
timeout 180 ocean up --runtime process --port ${PORT:-8080}; echo "rc=$?"
ocean node list; ocean gpu list; ocean machine-type list
cat > /tmp/job.py <<'PY'
import os, torch, time
print("CUDA_VISIBLE_DEVICES=" + str(os.environ.get("CUDA_VISIBLE_DEVICES")), flush=True)
print("device=" + torch.cuda.get_device_name(0), flush=True)
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
for _ in range(3): a @ a
torch.cuda.synchronize(); t = time.time()
for _ in range(20): c = a @ a
torch.cuda.synchronize(); dt = time.time() - t
print("bf16 TFLOP/s=%.0f" % (20 * 2 * 8192**3 / dt / 1e12), flush=True)
x = torch.empty(4 << 30, dtype=torch.uint8, device="cuda"); x.fill_(1)
print("holding 4 GiB for %s s" % os.environ.get("HOLD", "0"), flush=True)
time.sleep(int(os.environ.get("HOLD", "0")))
print("done", flush=True)
PY
chmod 644 /tmp/job.py
ocean admin quota grant admin@localhost --machine-type gpu.1 --count 2 --days 1
el "job 1: a real GPU job"
j1=$(ocean job submit --name gpu-smoke --machine-type gpu.1 --image host -q --env HOLD=25 -- "$PY" /tmp/job.py); echo "job=$j1 rc=$?"
j2=$(ocean job submit --name gpu-second --machine-type gpu.1 --image host -q -- "$PY" -c "import torch; print(torch.cuda.is_available())"); echo "job=$j2"
for i in $(seq 1 60); do ocean logs "$j1" 2>/dev/null | grep -q holding && break; sleep 1; done
el "while job 1 holds the GPU"
ocean job list; ocean job get "$j2"; ocean gpu list; ocean node list -o wide
timeout 120 ocean logs -f "$j1"; echo "logs rc=$?"
timeout 90 ocean job wait "$j2"; echo "wait rc=$?"; ocean logs "$j2"
el "a second node: the agent as root, jobs as an unprivileged account"
id oceanjobs 2>/dev/null || useradd -r -M -s /usr/sbin/nologin oceanjobs; id oceanjobs
tok=$(ocean admin node token -q); echo "token: ${#tok} chars"
ocean admin node drain local
setsid ocean-agent join --server http://127.0.0.1:${PORT:-8080} --token "$tok" --name gpu2 --runtime process --run-as oceanjobs --state-dir /tmp/a2 --heartbeat 1 > /tmp/a2.log 2>&1 < /dev/null &
for i in $(seq 1 60); do ocean node list | grep -q "^gpu2 *ready" && break; sleep 1; done
ocean node list
j3=$(ocean job submit --name as-user --machine-type gpu.1 --image host -q -- "$PY" -c "import os,pwd,torch; print('user='+pwd.getpwuid(os.getuid()).pw_name); print('CUDA_VISIBLE_DEVICES='+str(os.environ.get('CUDA_VISIBLE_DEVICES'))); print(torch.cuda.get_device_name(0)); print('sum', (torch.ones(1024, device='cuda') * 2).sum().item())"); echo "job=$j3"
timeout 120 ocean job wait "$j3"; echo "wait rc=$?"
ocean logs "$j3"; ocean job get "$j3"
tail -20 /tmp/a2.log
el "after"
ocean job list --all; ocean job get "$j1" -o json; ocean job get "$j2"
ocean gpu list -o json; ocean node list -o json
ocean down; echo "down rc=$?"; pkill -f "ocean-agent.*gpu2"; sleep 1
tar -czf "$OUT/ocean-data.tgz" -C /tmp/h .local/share/ocean 2>/dev/null
mkdir -p /tmp/fx && mv "$OUT"/*.csv /tmp/fx/ && tar -czf "$OUT/fixtures.tgz" -C /tmp/fx .
el "end"
