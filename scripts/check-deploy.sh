#!/usr/bin/env bash
# Checks the deployment files without a container engine or a cluster (CI's "deploy files"
# step): yamllint on compose.yaml, deploy/ and .github/; promtool on the alert rules and the
# Prometheus configuration (which names them); kustomize's build of the Kubernetes manifests
# where kubectl is installed; and the container image's build steps run into a temporary
# folder, whose runtime tree must start and answer (scripts/image-build.sh ci).
# The Debian packages yamllint and prometheus (promtool) come from scripts/ensure-test-tools.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

yaml=(compose.yaml deploy)
[ -d .github ] && yaml+=(.github)
yamllint --strict "${yaml[@]}"
echo "check-deploy: yamllint: ${yaml[*]} are clean"

[ -f deploy/prometheus/alerts.yml ] || { echo "check-deploy: deploy/prometheus/alerts.yml is missing" >&2; exit 1; }
promtool check rules deploy/prometheus/alerts.yml
# Also checks the rule files the configuration names.
promtool check config deploy/prometheus/prometheus.yml

if command -v kubectl >/dev/null 2>&1; then
  for dir in deploy/kubernetes deploy/kubernetes/migrate; do
    kubectl kustomize "$dir" >/dev/null
  done
  echo "check-deploy: kubectl kustomize builds deploy/kubernetes and deploy/kubernetes/migrate"
else
  echo "check-deploy: kubectl is not installed: the kustomizations were not built (yamllint checked them)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash scripts/image-build.sh ci "$work"
