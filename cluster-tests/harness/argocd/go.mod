// Argo CD's source at the version argocd/install installs: its CRDs and install manifest for the cluster stage
// (see ../../README.md).
module namesmanager.io/cluster-harness/argocd

go 1.26.3

require github.com/argoproj/argo-cd/v3 v3.5.1 // indirect
