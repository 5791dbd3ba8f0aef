"""Realistic rendered-chart streams for the benchmark: N objects, spread over namespaces.

Each "app" renders like a Helm chart: a Deployment with probes and a preStop hook, its
Service, an Ingress, a PodDisruptionBudget, an HPA, a NetworkPolicy and an HTTPRoute,
each document preceded by a ``# Source:`` comment. About 600 bytes per object, so
10,000 objects make a ~6 MB stream, as product.md's performance target assumes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

APP_TEMPLATE = """\
---
# Source: {chart}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {app}
    app.kubernetes.io/instance: {chart}
    helm.sh/chart: {chart}-1.{i}.0
spec:
  minReadySeconds: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxUnavailable: 0, maxSurge: 25%}}
  selector:
    matchLabels:
      app.kubernetes.io/name: {app}
      app.kubernetes.io/instance: {chart}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {app}
        app.kubernetes.io/instance: {chart}
      annotations:
        checksum/config: 5f1c0a9e{i:08x}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: app
          image: "registry.example.com/{app}:1.{i}.0"
          ports:
            - {{name: http, containerPort: 8080, protocol: TCP}}
            - {{name: metrics, containerPort: 9090}}
          readinessProbe:
            httpGet: {{path: /ready, port: http}}
            periodSeconds: 5
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
            initialDelaySeconds: 10
          startupProbe:
            httpGet: {{path: /healthz, port: http}}
            failureThreshold: 30
          lifecycle:
            preStop:
              exec: {{command: ["sh", "-c", "sleep 10"]}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
          env:
            - {{name: APP_NAME, value: {app}}}
            - {{name: LOG_LEVEL, value: info}}
---
# Source: {chart}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {app}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: {app}
    app.kubernetes.io/instance: {chart}
  ports:
    - {{name: http, port: 80, targetPort: http, protocol: TCP}}
---
# Source: {chart}/templates/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {app}
  namespace: {ns}
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
spec:
  ingressClassName: nginx
  rules:
    - host: {app}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {app}
                port: {{name: http}}
---
# Source: {chart}/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {app}
  namespace: {ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {app}
---
# Source: {chart}/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {app}
  namespace: {ns}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {app}}}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {{type: Utilization, averageUtilization: 70}}
---
# Source: {chart}/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {app}
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {app}
  policyTypes: [Ingress]
  ingress:
    - ports:
        - {{port: http, protocol: TCP}}
---
# Source: {chart}/templates/httproute.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {app}
  namespace: {ns}
spec:
  parentRefs:
    - {{name: public, namespace: gateway-system}}
  hostnames: ["{app}.example.net"]
  rules:
    - matches:
        - path: {{type: PathPrefix, value: /}}
      backendRefs:
        - {{name: {app}, port: 80}}
"""

OBJECTS_PER_APP = 7


def stream(objects: int, apps_per_namespace: int = 20) -> Iterator[str]:
    """Documents of a stream with about ``objects`` objects (whole apps of 7 objects)."""
    apps = max(1, round(objects / OBJECTS_PER_APP))
    for i in range(apps):
        ns = f"team-{i // apps_per_namespace:04d}"
        yield APP_TEMPLATE.format(app=f"svc-{i:06d}", chart=f"chart-{i % 97:02d}", ns=ns, i=i)


def write(path: str, objects: int) -> int:
    """Write a stream to ``path``; returns the number of objects written."""
    apps = 0
    with open(path, "w", encoding="utf-8") as fh:
        for doc in stream(objects):
            fh.write(doc)
            apps += 1
    return apps * OBJECTS_PER_APP


def write_files(folder: str, objects: int) -> tuple[int, int]:
    """Write one file per app (a chart's output) into ``folder``; returns (objects, files)."""
    os.makedirs(folder, exist_ok=True)
    apps = 0
    for doc in stream(objects):
        with open(os.path.join(folder, f"app-{apps:06d}.yaml"), "w", encoding="utf-8") as fh:
            fh.write(doc)
        apps += 1
    return apps * OBJECTS_PER_APP, apps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("objects", type=int)
    args = parser.parse_args()
    for doc in stream(args.objects):
        sys.stdout.write(doc)


if __name__ == "__main__":
    main()
