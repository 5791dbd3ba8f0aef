"""Copies of one app side by side: whole-run time as the number of copies grows.

Run ``python bench/copies.py``. A repository often holds one render of a chart per
values file (or per environment): the same objects, same names and namespace, once
per file. Those copies are alternatives, and gwlint pairs each HPA, PDB, Service and
route with the copy in its own file, so the run must stay linear in the number of
copies. This writes N files (``--copies``), each holding a copy of one 21-object app
(three Deployments, a StatefulSet, four Services, an Ingress, an HTTPRoute, two HPAs,
three PDBs, two NetworkPolicies, a ConfigMap, a ServiceAccount, a Secret and a
migration Job), half of them with autoscaling on, and times whole ``gwlint``
processes on the folder, the best of ``--repeat`` runs. Nothing is asserted: read
the time per copy, which should stay flat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop, labels: {{app: web}}}}
spec:
{web_replicas}  selector: {{matchLabels: {{app: web}}}}
  minReadySeconds: 5
  template:
    metadata: {{labels: {{app: web, release: r{i}}}}}
    spec:
      containers:
        - name: web
          image: "example/web:{i}"
          ports: [{{name: http, containerPort: 8080}}]
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop}}
spec:
{api_replicas}  selector: {{matchLabels: {{app: api}}}}
  minReadySeconds: 5
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: "example/api:{i}"
          args: ["--listen=:9000"]
          ports: [{{name: grpc, containerPort: 9000}}]
          readinessProbe: {{grpc: {{port: 9000}}}}
          lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: worker, namespace: shop}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: worker}}}}
  template:
    metadata: {{labels: {{app: worker}}}}
    spec:
      containers: [{{name: worker, image: "example/worker:{i}", envFrom: [{{configMapRef: {{name: app-config}}}}]}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: cache, namespace: shop}}
spec:
  replicas: 3
  serviceName: cache-headless
  selector: {{matchLabels: {{app: cache}}}}
  minReadySeconds: 5
  template:
    metadata: {{labels: {{app: cache}}}}
    spec:
      containers:
        - name: cache
          image: "example/cache:{i}"
          ports: [{{name: redis, containerPort: 6379}}]
          readinessProbe: {{tcpSocket: {{port: redis}}}}
          lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: web, namespace: shop}}
spec:
  selector: {{app: web}}
  ports: [{{name: http, port: 80, targetPort: http}}]
---
apiVersion: v1
kind: Service
metadata: {{name: api, namespace: shop}}
spec:
  selector: {{app: api}}
  ports: [{{name: grpc, port: 9000, targetPort: 9000}}]
---
apiVersion: v1
kind: Service
metadata: {{name: cache, namespace: shop}}
spec:
  selector: {{app: cache}}
  ports: [{{name: redis, port: 6379, targetPort: redis}}]
---
apiVersion: v1
kind: Service
metadata: {{name: cache-headless, namespace: shop}}
spec:
  clusterIP: None
  selector: {{app: cache}}
  ports: [{{name: redis, port: 6379}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: web, namespace: shop}}
spec:
  ingressClassName: nginx
  rules:
    - host: "r{i}.shop.example.com"
      http:
        paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: api, namespace: shop}}
spec:
  parentRefs: [{{name: gateway}}]
  rules: [{{backendRefs: [{{name: api, port: 9000}}]}}]
{autoscaling}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: web, namespace: shop}}
spec:
  maxUnavailable: 1
  selector: {{matchLabels: {{app: web}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: api, namespace: shop}}
spec:
  maxUnavailable: 1
  selector: {{matchLabels: {{app: api}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: cache, namespace: shop}}
spec:
  minAvailable: 2
  selector: {{matchLabels: {{app: cache}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: default-deny, namespace: shop}}
spec:
  podSelector: {{}}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: allow-apps, namespace: shop}}
spec:
  podSelector: {{}}
  ingress: [{{ports: [{{port: 8080}}, {{port: 9000}}, {{port: 6379}}]}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: app-config, namespace: shop}}
data: {{QUEUE: "jobs", RELEASE: "r{i}"}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {{name: shop, namespace: shop}}
---
apiVersion: v1
kind: Secret
metadata: {{name: shop, namespace: shop}}
stringData: {{token: "t{i}"}}
---
apiVersion: batch/v1
kind: Job
metadata: {{name: migrate-{i}, namespace: shop}}
spec:
  template:
    metadata: {{labels: {{app: api, job: migrate}}}}
    spec:
      restartPolicy: Never
      containers: [{{name: migrate, image: "example/api:{i}"}}]
"""

AUTOSCALING = """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: {name}, namespace: shop}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 2
  maxReplicas: 10
"""

FIXED = """\
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: {name}-scaling, namespace: shop}}
data: {{replicas: "2"}}
"""


def app(i: int) -> str:
    """Copy ``i`` of the app: even copies autoscale (two HPAs, no replicas), odd ones set replicas."""
    scaled = i % 2 == 0
    return APP.format(
        i=i,
        web_replicas="" if scaled else "  replicas: 2\n",
        api_replicas="" if scaled else "  replicas: 2\n",
        autoscaling="".join((AUTOSCALING if scaled else FIXED).format(name=n) for n in ("web", "api")),
    )


def write(folder: Path, copies: int) -> int:
    """Write ``copies`` files of one app copy each; the number of objects."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        (folder / f"values-{i:04d}.yaml").write_text(app(i), encoding="utf-8")
    return copies * app(0).count("\nkind: ")


def gwlint_command() -> list[str]:
    script = Path(sys.executable).with_name("gwlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gwlint"]


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs and that run's CPU time (user + sys, children included)."""
    out = (float("inf"), 0.0)
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if wall < out[0]:
            out = (wall, usage.ru_utime + usage.ru_stime)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", default="40,100,200,400", help="numbers of copies (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best counts)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is given up")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gwlint-copies-"))
    print("| copies | objects | wall s (best) | CPU s | ms per copy (wall) |")
    print("|---:|---:|---:|---:|---:|")
    try:
        for n in (int(x) for x in args.copies.split(",") if x):
            folder = work / f"copies-{n}"
            objects = write(folder, n)
            cmd = [*gwlint_command(), "--fail-on", "never", str(folder)]
            try:
                subprocess.run(cmd, stdout=subprocess.DEVNULL, timeout=args.timeout, check=False)  # warm-up
            except subprocess.TimeoutExpired:
                print(f"| {n} | {objects} | > {args.timeout:.0f} | | |")
                continue
            wall, cpu = best(cmd, args.repeat)
            print(f"| {n} | {objects} | {wall:.2f} | {cpu:.2f} | {1000 * wall / n:.1f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
